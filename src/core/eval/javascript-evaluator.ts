// javascript: a scoring function from a module in the workspace. It runs the workspace's own code,
// so createEvaluators refuses it unless the caller allows it (workspace trust in VS Code,
// --allow-js-evaluators on the CLI). The module is loaded on first use with a dynamic import of its
// absolute path; a load failure or a throw is an error on that score only.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JavaScriptEvaluatorError } from './eval-errors';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion, shortHash } from './evaluator-version';
import { errorMessage } from '../util/error-message';

export const JAVASCRIPT_EVALUATOR_VERSION = '1';

export interface JavaScriptOptions {
  module: string;
  function?: string;
  params?: Record<string, unknown>;
}

/** What the scoring function receives. */
export type JavaScriptEvaluatorArgument = EvaluatorInput & { params: Record<string, unknown> };

type ScoringFunction = (input: JavaScriptEvaluatorArgument) => unknown;

export function resolveModulePath(modulePath: string, workspaceDir: string | undefined): string {
  return path.resolve(workspaceDir ?? process.cwd(), modulePath);
}

function pickFunction(mod: Record<string, unknown>, name: string, file: string): ScoringFunction {
  const fallback = mod.default;
  const candidates = [
    mod[name],
    fallback,
    fallback !== null && typeof fallback === 'object' ? (fallback as Record<string, unknown>)[name] : undefined,
  ];
  const fn = candidates.find((c) => typeof c === 'function');
  if (fn === undefined)
    throw new JavaScriptEvaluatorError(`${file} exports no function "${name}" and no default function.`);
  return fn as ScoringFunction;
}

/** A number 0..1, a boolean, or {score, reason?, passed?}. */
export function toEvaluatorResult(returned: unknown, file: string): EvaluatorResult {
  if (typeof returned === 'boolean') return { value: returned ? 1 : 0, passed: returned };
  const obj = returned !== null && typeof returned === 'object' ? (returned as Record<string, unknown>) : undefined;
  const value = obj !== undefined ? obj.score : returned;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new JavaScriptEvaluatorError(
      `The scoring function in ${file} returned ${JSON.stringify(value) ?? String(value)}; expected a number from 0 to 1 or {score, reason}.`,
    );
  }
  const result: EvaluatorResult = { value };
  if (typeof obj?.reason === 'string') result.reason = obj.reason;
  if (typeof obj?.passed === 'boolean') result.passed = obj.passed;
  return result;
}

/** Throws JavaScriptEvaluatorError when the module file cannot be read (so the caller can skip it). */
export function createJavaScriptEvaluator(config: EvaluatorConfig, workspaceDir: string | undefined): Evaluator {
  const options = config.options as unknown as JavaScriptOptions;
  const file = resolveModulePath(options.module, workspaceDir);
  let source: string;
  let mtime: number;
  try {
    source = readFileSync(file, 'utf8');
    mtime = statSync(file).mtimeMs;
  } catch (error) {
    throw new JavaScriptEvaluatorError(
      `The JavaScript evaluator module ${file} cannot be read: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const name = options.function ?? 'score';
  let loaded: Promise<ScoringFunction> | undefined;
  const load = (): Promise<ScoringFunction> => {
    // The mtime query makes an edited ES module load fresh instead of from the import cache.
    loaded ??= (import(`${pathToFileURL(file).href}?v=${mtime}`) as Promise<Record<string, unknown>>).then(
      (mod) => pickFunction(mod, name, file),
      (error: unknown) => {
        throw new JavaScriptEvaluatorError(`Cannot load ${file}: ${errorMessage(error)}`, { cause: error });
      },
    );
    return loaded;
  };
  return {
    id: config.id,
    type: 'javascript',
    // The module's source is part of the version: an edited scoring function is another evaluator.
    version: evaluatorVersion('javascript', JAVASCRIPT_EVALUATOR_VERSION, config.options, shortHash(source)),
    scope: config.scope,
    async evaluate(input: EvaluatorInput): Promise<EvaluatorResult> {
      const fn = await load();
      let returned: unknown;
      try {
        returned = await fn({ ...input, params: options.params ?? {} });
      } catch (error) {
        throw new JavaScriptEvaluatorError(`The scoring function in ${file} threw: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      return toEvaluatorResult(returned, file);
    },
  };
}
