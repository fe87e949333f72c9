// The replay overrides as command-line options (`replay` and `batch` take the same ones).
import path from 'node:path';
import type { ReplayMode, ReplayOverrides } from '../core/replay/replay-types';
import { isLangfuseTemplateSpec } from '../core/replay/langfuse-replay';
import { CliError } from './cli-error';

export interface OverrideOptions {
  model?: string;
  param: string[];
  template?: string;
  mode: string;
  cache: boolean;
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

/** A `langfuse:` template spec is passed through; anything else is a file path. */
export function overridesFrom(opts: OverrideOptions): ReplayOverrides {
  if (opts.mode !== 'independent' && opts.mode !== 'chained') throw new CliError(`--mode must be independent or chained, got "${opts.mode}".`, 2);
  const overrides: ReplayOverrides = { mode: opts.mode as ReplayMode };
  if (opts.model !== undefined) overrides.model = opts.model;
  const parameters = paramsFromArgs(opts.param);
  if (parameters) overrides.parameters = parameters;
  if (opts.template !== undefined) overrides.templatePath = isLangfuseTemplateSpec(opts.template) ? opts.template : path.resolve(opts.template);
  if (!opts.cache) overrides.cache = false;
  return overrides;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`expected a positive whole number, got "${value}".`, 2);
  return n;
}
