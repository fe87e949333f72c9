// The replay overrides as command-line options (`replay` and `batch` take the same ones).
import type { TemplateRef } from '../core/prompts/template-ref';
import path from 'node:path';
import type { Command } from 'commander';
import { pickerProviders } from '../core/llm/provider-registry';
import { DEFAULT_QUEUE_NAME, REDIS_URL_ENV } from '../core/queue/redis-connection';
import { DEFAULT_REPLAY_CONCURRENCY } from '../core/replay/replay-queue';
import { checkForkOverrides, TOOL_POLICIES } from '../core/replay/replay-fork';
import { sampleCounts } from '../core/replay/replay-samples';
import type { ReplayMode, ReplayOverrides, ToolPolicy } from '../core/replay/replay-types';
import { PLATFORMS } from '../core/sources/platform-registry';
import { parseTemplateSpec, promptSpecExample } from '../core/sources/template-spec';
import { CliError } from './cli-error';
import { checkLiveToolOptions, parseToolTimeout } from './live-tools';

export interface OverrideOptions {
  model?: string;
  param: string[];
  template?: string;
  /** Spans the template applies to (repeatable --span). */
  span: string[];
  /** Repeatable --tools: a tool policy (recorded|strict|live) and/or a tool-definitions file for
   *  spans that called tools but recorded none. */
  tools: string[];
  /** --tools live: the MCP config (default .vscode/mcp.json here), the permission, the step bound. */
  mcpConfig?: string;
  allowLiveTools?: boolean;
  maxSteps?: number;
  /** --tool-timeout: seconds one live tool call may take. */
  toolTimeout?: number;
  /** `replay` only: replay from this LLM span (`batch` refuses it: span ids are per trace). */
  fromSpan?: string;
  /** Absent: independent, or chained with --from-span. */
  mode?: string;
  /** --repeat N / --baseline-repeat M as typed (checked by sampleCounts, core/replay/replay-samples.ts). */
  repeat?: string;
  baselineRepeat?: string;
  cache: boolean;
  /** Absent: DEFAULT_REPLAY_CONCURRENCY (given with --queue it applies to nothing: a warning). */
  concurrency?: number;
  /** Platforms: shorthands for a version / label of the prompt the spans are linked to. */
  promptVersion?: string;
  promptLabel?: string;
  /** Platforms: read the traces (and the list) again instead of the copies in the store. */
  refresh?: boolean;
  /** Platforms: send completed replays back (--no-write-back: false). */
  writeBack: boolean;
  /** Run the jobs on `trace-replay worker` processes of this Redis (default TRACE_REPLAY_REDIS_URL). */
  queue?: string;
  queueName: string;
  /** With --queue: a rerun with the same id submits only what is missing. */
  batchId?: string;
}

/** `openai:gpt-4o-mini, anthropic:claude-haiku-4-5, ...`: a suggested model of each keyed provider. */
function modelExamples(): string {
  return pickerProviders()
    .filter((a) => a.credentials !== 'none' && (a.suggestedModels?.length ?? 0) > 0)
    .map((a) => `${a.id}:${a.suggestedModels?.[0] ?? ''}`)
    .join(', ');
}

/** The options of `replay` and `batch` that say how to replay: overrides, concurrency, cache and
 *  the platform ones. */
export function addOverrideOptions(command: Command): Command {
  return command
    .option(
      '--model <provider:model>',
      `send every LLM span to this model (e.g. ${modelExamples()}, or <profile>:<model> for an endpoint of TRACE_REPLAY_ENDPOINTS)`,
    )
    .option(
      '--param <key=value>',
      'model parameter over the recorded ones, repeatable; JSON values (temperature=0, stop=["x"])',
      parseParam,
      [],
    )
    .option(
      '--template <file>',
      `new prompt-template version for the spans linked to that template: a file, or a platform's prompt version: ${PLATFORMS.filter(
        (p) => p.capabilities.includes('prompts'),
      )
        .map((p) => promptSpecExample(p))
        .join('; ')}`,
    )
    .option(
      '--span <id>',
      'apply --template only to this LLM span (repeatable); needed when the trace recorded several templates',
      collect,
      [],
    )
    .option(
      '--tools <policy|file>',
      'where replayed tool calls get their results: recorded (default; the recorded results, divergences flagged), strict (the first call whose tool or arguments differ from the recording stops the replay, FAILED: for CI gates) or live (the tools of your MCP servers run for real and the agent goes on from their results; needs --allow-live-tools, see --mcp-config); any other value is a tool-definitions file (OpenAI, Anthropic or JSON-Schema JSON) for spans that called tools but recorded none; repeatable to give both',
      collect,
      [],
    )
    .option(
      '--mcp-config <file>',
      "with --tools live: the MCP servers, in VS Code's mcp.json format (default: .vscode/mcp.json of the current folder)",
    )
    .option('--allow-live-tools', 'with --tools live: allow the MCP servers to run tools for real (required)')
    .option(
      '--max-steps <n>',
      'with --tools live: the most extra LLM calls the agent may make before the replay stops (default 20)',
      nonNegativeInt,
    )
    .option(
      '--tool-timeout <seconds>',
      'with --tools live: how long one tool call may take before the replay stops there (default 60)',
      parseToolTimeout,
    )
    .option(
      '--from-span <span-id>',
      'replay: fork at this LLM span of the trace; spans that ended before it keep their recorded output (not sent), it and every later LLM span are replayed, chained',
    )
    .option(
      '--prompt-version <version>',
      'platforms: this version of the prompt the LLM spans are linked to (shorthand for --template <platform>:<name>@<version>)',
    )
    .option(
      '--prompt-label <label>',
      'platforms: the version of the linked prompt that has this label or tag (e.g. staging)',
    )
    .option(
      '--mode <mode>',
      'independent (each span gets its recorded input; the default) or chained (replayed answers flow into later spans; always with --from-span)',
    )
    .option(
      '--repeat <n>',
      'replay each trace n times with the overrides (A/B samples, min / median / max per span and score); the cache is bypassed',
    )
    .option(
      '--baseline-repeat <m>',
      'with --repeat: also replay each trace m times without overrides (A/A: the recorded model against itself today) to measure the noise a verdict must beat (default: n; 0 turns it off)',
    )
    .option(
      '--concurrency <n>',
      `replay jobs running at once here (default ${DEFAULT_REPLAY_CONCURRENCY}; with --queue each worker has its own)`,
      positiveInt,
    )
    .option(
      '--queue <redis-url>',
      `run the replays on \`trace-replay worker\` processes that serve this Redis (default: $${REDIS_URL_ENV}); keys stay with the workers`,
      process.env[REDIS_URL_ENV] || undefined,
    )
    .option('--queue-name <name>', 'the queue on that Redis', DEFAULT_QUEUE_NAME)
    .option(
      '--batch-id <id>',
      'with --queue: name this run; a rerun with the same id keeps what completed and submits only what is missing',
    )
    .option('--no-cache', 'always send, never answer from the response cache')
    .option('--refresh', 'platforms: read the traces (and a listed page) again instead of the copies in the store')
    .option('--no-write-back', 'platforms: do not send the replayed traces (and their scores) back to the platform');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `k=v`; v is JSON when it parses (temperature=0 is the number 0, stop=["a"] an array), else a string. */
export function parseParam(text: string, previous: string[] = []): string[] {
  if (!/^[^=]+=/.test(text)) throw new CliError(`--param needs key=value, got "${text}".`, 'usage');
  const key = text.slice(0, text.indexOf('=')).trim();
  // A name a provider could take; __proto__ and friends would change the object instead of a field.
  if (!PARAMETER_NAME.test(key) || UNSAFE_KEYS.has(key)) {
    throw new CliError(
      `--param ${key} is not a model parameter name (letters, digits, '_', '.', '-'; e.g. --param max_tokens=256).`,
      'usage',
    );
  }
  return [...previous, text];
}

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function paramsFromArgs(args: string[]): Record<string, unknown> | undefined {
  if (args.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    const key = arg.slice(0, at).trim();
    const raw = arg.slice(at + 1);
    try {
      out[key] = JSON.parse(raw) as unknown;
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** `--template`: a platform's prompt spec, or a file path (resolved here). */
export function overridesFrom(opts: OverrideOptions): ReplayOverrides {
  const mode = opts.mode ?? (opts.fromSpan !== undefined ? 'chained' : 'independent');
  if (mode !== 'independent' && mode !== 'chained')
    throw new CliError(`--mode must be independent or chained, got "${mode}".`, 'usage');
  const overrides: ReplayOverrides = { mode: mode as ReplayMode };
  if (opts.fromSpan !== undefined) overrides.fromSpanId = opts.fromSpan.trim().toLowerCase();
  if (opts.model !== undefined) overrides.model = opts.model;
  const parameters = paramsFromArgs(opts.param);
  if (parameters) overrides.parameters = parameters;
  if (opts.template !== undefined) overrides.template = templateFrom(opts.template);
  if (opts.span.length > 0) {
    if (opts.template === undefined && opts.promptVersion === undefined && opts.promptLabel === undefined) {
      throw new CliError(
        '--span picks the spans a template applies to; give the template with --template FILE too.',
        'usage',
      );
    }
    overrides.templateSpanIds = opts.span.map((s) => s.toLowerCase());
  }
  const { policy, file } = toolsFrom(opts.tools ?? []);
  if (policy !== undefined) overrides.toolPolicy = policy;
  if (file !== undefined) overrides.toolsPath = path.resolve(file);
  if (!opts.cache) overrides.cache = false;
  // --repeat 0, a negative or a fractional count: a usage error in one sentence, before anything is read.
  sampleCounts(opts.repeat, opts.baselineRepeat);
  checkLiveToolOptions(opts, overrides);
  // Independent mode with --from-span, live tools: usage errors now, before any trace is read.
  checkForkOverrides(overrides, overrides.toolPolicy === 'live');
  return overrides;
}

/** `--tools` values: a policy word (recorded, strict, live) or a tool-definitions file, at most one
 *  of each (a file named like a policy: `--tools ./strict`). */
export function toolsFrom(values: string[]): { policy?: ToolPolicy; file?: string } {
  const policies = values.filter((v): v is ToolPolicy => (TOOL_POLICIES as readonly string[]).includes(v));
  const files = values.filter((v) => !(TOOL_POLICIES as readonly string[]).includes(v));
  if (new Set(policies).size > 1)
    throw new CliError(`--tools takes one policy (recorded, strict or live), got ${policies.join(' and ')}.`, 'usage');
  if (files.length > 1)
    throw new CliError(
      `--tools takes one tool-definitions file, got ${files.join(' and ')}; merge their definitions into one file.`,
      'usage',
    );
  return { ...(policies.length ? { policy: policies[0] } : {}), ...(files.length ? { file: files[0] } : {}) };
}

/** A malformed spec throws a TemplateSpecError, a usage error (exit 2). */
function templateFrom(spec: string): TemplateRef {
  return parseTemplateSpec(spec);
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`expected a whole number of 0 or more, got "${value}".`, 'usage');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`expected a positive whole number, got "${value}".`, 'usage');
  return n;
}
