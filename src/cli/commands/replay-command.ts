import path from 'node:path';
import type { Command } from 'commander';
import { ProviderConfigError, providerConfigsFromEnv } from '../../core/llm/provider-configs';
import { createReplayServices } from '../../core/replay/default-replay-services';
import { InvalidOverrideError } from '../../core/replay/replay-parameters';
import { DEFAULT_REPLAY_CONCURRENCY, ReplayQueue } from '../../core/replay/replay-queue';
import type { ReplayJob, ReplayMode, ReplayOverrides } from '../../core/replay/replay-types';
import { CliError } from '../cli-error';
import { replayJobJson, replayJobText } from '../replay-json';
import { ReplayProgress } from '../replay-progress';
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
  if (opts.template !== undefined) overrides.templatePath = path.resolve(opts.template);
  if (!opts.cache) overrides.cache = false;
  return overrides;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--concurrency must be a positive integer, got "${value}".`, 2);
  return n;
}

export function registerReplayCommand(program: Command): void {
  addStoreOption(
    program
      .command('replay')
      .description('replay every LLM span of one or more traces with overrides, and store the replayed traces')
      .argument('<traceIds...>', 'trace ids (as listed by `trace-replay traces`)')
      .option('--model <provider:model>', 'send every LLM span to this model (e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5)')
      .option('--param <key=value>', 'model parameter over the recorded ones, repeatable; JSON values (temperature=0, stop=["x"])', parseParam, [])
      .option('--template <file>', 'new prompt-template version for the spans linked to that template')
      .option('--mode <mode>', 'independent (each span gets its recorded input) or chained (replayed answers flow into later spans)', 'independent')
      .option('--concurrency <n>', 'replay jobs running at once', positiveInt, DEFAULT_REPLAY_CONCURRENCY)
      .option('--no-cache', 'always send, never answer from the response cache')
      .option('--json', 'print JSON: one job object per trace (an array if several), see README'),
  ).action(async (traceIds: string[], opts: ReplayOptions) => {
    const overrides = overridesFrom(opts);
    let configs;
    try {
      configs = providerConfigsFromEnv(process.env);
    } catch (err) {
      if (err instanceof ProviderConfigError) throw new CliError(err.message, 2);
      throw err;
    }
    const jobs = await withStore(opts.store, async store => {
      const queue = await ReplayQueue.open(createReplayServices(store, configs), { concurrency: opts.concurrency });
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
        for (const id of traceIds) {
          const traceId = id.toLowerCase();
          try {
            const job = await queue.enqueue(traceId, overrides);
            totals.set(job.id, store.getSummary(traceId)?.llmSpanCount ?? 0);
            queued.push(job);
          } catch (err) {
            if (err instanceof InvalidOverrideError) throw new CliError(err.message, 2);
            throw err;
          }
        }
        return await Promise.all(queued.map(job => queue.wait(job.id)));
      } finally {
        progress?.stop();
        unsubscribe();
        process.off('SIGINT', onSigint);
        await queue.close();
      }
    });
    if (opts.json) {
      const out = jobs.map(replayJobJson);
      console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    } else if (ReplayProgress.enabled(opts.json)) {
      for (const job of jobs) console.log(replayJobText(job));
    }
    const unfinished = jobs.filter(j => j.status !== 'COMPLETED').length;
    if (unfinished) throw new CliError(`${unfinished} of ${jobs.length} replay(s) did not complete; see above.`, 1);
  });
}
