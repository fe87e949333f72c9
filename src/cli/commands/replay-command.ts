import path from 'node:path';
import type { Command } from 'commander';
import { ProviderConfigError, providerConfigsFromEnv } from '../../core/llm/provider-configs';
import { createReplayServices } from '../../core/replay/default-replay-services';
import { LangfuseTemplateSpecError, prepareSourceReplay, recordLangfuseReplay, type LangfuseReplayRecord } from '../../core/replay/langfuse-replay';
import { InvalidOverrideError } from '../../core/replay/replay-parameters';
import { DEFAULT_REPLAY_CONCURRENCY, ReplayQueue } from '../../core/replay/replay-queue';
import type { ReplayJob, ReplayMode, ReplayOverrides } from '../../core/replay/replay-types';
import { LangfuseError } from '../../core/sources/langfuse/langfuse-errors';
import { CliError } from '../cli-error';
import { positiveInt as positiveNumber } from '../override-options';
import { replayJobJson, replayJobText } from '../replay-json';
import { ReplayProgress } from '../replay-progress';
import { addSourceOption, openSource, traceIdArg, usageErrors } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

interface ReplayOptions {
  store: string;
  model?: string;
  param: string[];
  template?: string;
  mode: string;
  concurrency: number;
  cache: boolean;
  json?: boolean;
  source: string;
  refresh?: boolean;
  writeBack: boolean;
  promptVersion?: number;
  promptLabel?: string;
}

/** `k=v`; v is JSON when it parses (temperature=0 is the number 0, stop=["a"] an array), else a string. */
export function parseParam(text: string, previous: string[] = []): string[] {
  if (!/^[^=]+=/.test(text)) throw new CliError(`--param needs key=value, got "${text}".`, 2);
  return [...previous, text];
}

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

function overridesFrom(opts: ReplayOptions): ReplayOverrides {
  if (opts.mode !== 'independent' && opts.mode !== 'chained') throw new CliError(`--mode must be independent or chained, got "${opts.mode}".`, 2);
  const overrides: ReplayOverrides = { mode: opts.mode as ReplayMode };
  if (opts.model !== undefined) overrides.model = opts.model;
  const parameters = paramsFromArgs(opts.param);
  if (parameters) overrides.parameters = parameters;
  // A `langfuse:` spec names a prompt version in Langfuse, not a file.
  if (opts.template !== undefined) overrides.templatePath = opts.template.startsWith('langfuse:') ? opts.template : path.resolve(opts.template);
  if (!opts.cache) overrides.cache = false;
  return overrides;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--concurrency must be a positive integer, got "${value}".`, 2);
  return n;
}

export function registerReplayCommand(program: Command): void {
  addSourceOption(addStoreOption(
    program
      .command('replay')
      .description('replay every LLM span of one or more traces with overrides, and store the replayed traces')
      .argument('<traceIds...>', 'trace ids (as listed by `trace-replay traces`)')
      .option('--model <provider:model>', 'send every LLM span to this model (e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5)')
      .option('--param <key=value>', 'model parameter over the recorded ones, repeatable; JSON values (temperature=0, stop=["x"])', parseParam, [])
      .option('--template <file>', 'new prompt-template version for the spans linked to that template: a file, or langfuse:<name>@<version> / langfuse:<name>#<label>')
      .option('--prompt-version <n>', 'Langfuse: this version of the prompt the LLM spans are linked to (shorthand for --template langfuse:<name>@<n>)', positiveNumber)
      .option('--prompt-label <label>', 'Langfuse: the version of the linked prompt that has this label (e.g. staging)')
      .option('--mode <mode>', 'independent (each span gets its recorded input) or chained (replayed answers flow into later spans)', 'independent')
      .option('--concurrency <n>', 'replay jobs running at once', positiveInt, DEFAULT_REPLAY_CONCURRENCY)
      .option('--no-cache', 'always send, never answer from the response cache')
      .option('--refresh', 'Langfuse: read the traces again instead of the copies already in the store')
      .option('--no-write-back', 'Langfuse: do not send the replayed trace back to Langfuse')
      .option('--json', 'print JSON: one job object per trace (an array if several), see README'),
  )).action(async (traceIds: string[], opts: ReplayOptions) => {
    const overrides = overridesFrom(opts);
    let configs;
    try {
      configs = providerConfigsFromEnv(process.env);
    } catch (err) {
      if (err instanceof ProviderConfigError) throw new CliError(err.message, 2);
      throw err;
    }
    const langfuse = new Map<string, LangfuseReplayRecord>();
    const writeBackErrors: string[] = [];
    const jobs = await withStore(opts.store, async store => {
      const source = await openSource(opts.source, store);
      const plan = await usageErrors(() => prepareSourceReplay(source, store, traceIds.map(id => traceIdArg(source, id)), {
        refresh: opts.refresh, templatePath: overrides.templatePath, promptVersion: opts.promptVersion, promptLabel: opts.promptLabel, env: process.env,
      }), LangfuseTemplateSpecError);
      if (plan.templatePath !== undefined) overrides.templatePath = plan.templatePath;
      const queue = await ReplayQueue.open(createReplayServices(store, configs, undefined, { langfusePrompts: plan.langfusePrompts }), { concurrency: opts.concurrency });
      const onSigint = (): void => void queue.close();
      process.once('SIGINT', onSigint);
      const totals = new Map<string, number>();
      const progress = ReplayProgress.enabled(opts.json) ? new ReplayProgress(totals) : undefined;
      const unsubscribe = queue.onEvent(event => {
        progress?.handle(event);
        if (event.type === 'job-finished' && !opts.json && !progress) console.log(replayJobText(event.job));
      });
      try {
        const queued: ReplayJob[] = [];
        for (const traceId of plan.traceIds) {
          try {
            const job = await queue.enqueue(traceId, overrides);
            totals.set(job.id, store.getSummary(traceId)?.llmSpanCount ?? 0);
            queued.push(job);
          } catch (err) {
            if (err instanceof InvalidOverrideError) throw new CliError(err.message, 2);
            throw err;
          }
        }
        const finished = await Promise.all(queued.map(job => queue.wait(job.id)));
        if (source.kind === 'langfuse') {
          for (const job of finished) {
            try {
              const record = await recordLangfuseReplay(store, source, job, { writeBack: opts.writeBack && job.status === 'COMPLETED' });
              if (record) langfuse.set(job.id, record);
            } catch (err) {
              if (!(err instanceof LangfuseError)) throw err;
              writeBackErrors.push(`The replay ${job.id} completed but writing it back to Langfuse failed: ${err.message}`);
            }
          }
        }
        return finished;
      } finally {
        progress?.stop();
        unsubscribe();
        process.off('SIGINT', onSigint);
        await queue.close();
      }
    });
    if (opts.json) {
      // A replay of a Langfuse trace carries `langfuse` (see docs/langfuse.md).
      const out = jobs.map(job => (langfuse.has(job.id) ? { ...replayJobJson(job), langfuse: langfuse.get(job.id) } : replayJobJson(job)));
      console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    } else if (ReplayProgress.enabled(opts.json)) {
      for (const job of jobs) console.log(replayJobText(job));
    }
    if (!opts.json) for (const record of langfuse.values()) console.log(langfuseText(record));
    if (writeBackErrors.length) throw new CliError(writeBackErrors.join(' '), 1);
    const unfinished = jobs.filter(j => j.status !== 'COMPLETED').length;
    if (unfinished) throw new CliError(`${unfinished} of ${jobs.length} replay(s) did not complete; see above.`, 1);
  });
}

function langfuseText(record: LangfuseReplayRecord): string {
  const lines = [`  langfuse: original ${record.originalTraceId}${record.originalUrl ? ` ${record.originalUrl}` : ''}`];
  if (record.writeBack) lines.push(`  langfuse: replay written back as ${record.writeBack.langfuseTraceId}${record.writeBack.url ? ` ${record.writeBack.url}` : ''}`);
  return lines.join('\n');
}
