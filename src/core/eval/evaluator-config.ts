// The workspace's evaluator configuration: .trace-replay/evaluators.json (or the same JSON from the
// extension's settings), validated entry by entry against docs/evaluators.schema.json so one bad
// entry is reported with its index and id while the good ones still load.
import { readFile } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv as ajvModule } from './ajv-modules';
import evaluatorsSchema from '../../../docs/evaluators.schema.json';
import { EvaluatorConfigError } from './eval-errors';
import type { EvaluatorConfig, EvaluatorScope, EvaluatorType } from './evaluator-types';
import { compileOutputSchema } from './json-evaluator';
import { errorMessage } from '../util/error-message';

/** Where the config lives, relative to the workspace folder. */
export const EVALUATORS_CONFIG_PATH = '.trace-replay/evaluators.json';

export interface EvaluatorConfigLoad {
  /** The usable entries (disabled ones included, with enabled: false). */
  evaluators: EvaluatorConfig[];
  /** One per bad entry, or one for the whole config when it could not be used. */
  errors: EvaluatorConfigError[];
  /** True when the defaults are in use: no config, or a config that could not be read at all. */
  usedDefaults: boolean;
}

/** The evaluators used when a workspace has no config: deterministic only, no model calls. The json
 *  evaluator only scores outputs where JSON is expected, so plain-text apps get no json noise. */
export function defaultEvaluatorConfigs(): EvaluatorConfig[] {
  return [
    { id: 'similarity', type: 'similarity', enabled: true, scope: 'all', options: { metric: 'token-f1' } },
    { id: 'json', type: 'json', enabled: true, scope: 'all', options: { applies: 'when-expected' } },
    { id: 'tool-calls-match', type: 'tool-calls-match', enabled: true, scope: 'all', options: {} },
  ];
}

const SCHEMA_KEY = 'evaluators.schema.json';
let validators: { file: ValidateFunction; entry: ValidateFunction } | undefined;

function getValidators(): { file: ValidateFunction; entry: ValidateFunction } {
  if (validators === undefined) {
    const ajv = new (ajvModule().Ajv)({ allErrors: true, strict: true });
    ajv.addSchema(evaluatorsSchema, SCHEMA_KEY);
    // The file shape is checked without its items, so each entry is validated (and reported) alone.
    const file = ajv.compile({
      type: 'object',
      required: ['evaluators'],
      properties: { evaluators: { type: 'array' } },
    });
    const entry = ajv.getSchema(`${SCHEMA_KEY}#/definitions/evaluator`);
    if (entry === undefined) throw new Error('docs/evaluators.schema.json has no definitions/evaluator');
    validators = { file, entry };
  }
  return validators;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '' : `${error.instancePath.slice(1).replace(/\//g, '.')}: `;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}unknown property "${String(error.params.additionalProperty)}"`;
    case 'enum':
      return `${where}must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `${where}missing required property "${String(error.params.missingProperty)}"`;
    default:
      return `${where}${error.message ?? error.keyword}`;
  }
}

function entryProblems(errors: ErrorObject[] | null | undefined): string[] {
  // if/then failures only say "must match then schema"; the error inside says what is wrong.
  const useful = (errors ?? []).filter((e) => e.keyword !== 'if');
  return [...new Set(useful.map(describeAjvError))];
}

/** Checks the schema cannot express: the regex compiles, the JSON Schema option compiles. */
function semanticProblem(type: EvaluatorType, options: Record<string, unknown>): string | undefined {
  if (type === 'regex') {
    try {
      new RegExp(options.pattern as string, (options.flags as string | undefined) ?? '');
    } catch (error) {
      return `options.pattern is not a valid regular expression: ${errorMessage(error)}`;
    }
  }
  if (type === 'json' && options.schema !== undefined) {
    try {
      compileOutputSchema(options.schema as Record<string, unknown>);
    } catch (error) {
      return `options.schema is not a usable JSON Schema: ${errorMessage(error)}`;
    }
  }
  return undefined;
}

function entryLabel(index: number, raw: unknown): { label: string; id?: string } {
  const id =
    raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id
      : undefined;
  return { label: id !== undefined ? `evaluators[${index}] ("${id}"):` : `evaluators[${index}]:`, id };
}

/**
 * Validates a parsed config (the file's JSON or the settings value). A config that is not
 * `{ "evaluators": [...] }` is one error and the defaults; otherwise each bad entry is an error and
 * the good entries load (an empty list means no evaluators, not the defaults).
 */
export function parseEvaluatorConfig(json: unknown, source: string): EvaluatorConfigLoad {
  const { file, entry } = getValidators();
  if (!file(json)) {
    const problems = entryProblems(file.errors).join('; ');
    return {
      evaluators: defaultEvaluatorConfigs(),
      errors: [
        new EvaluatorConfigError(
          `${source} must be an object {"evaluators": [...]} (${problems}); using the default evaluators.`,
          source,
        ),
      ],
      usedDefaults: true,
    };
  }
  const evaluators: EvaluatorConfig[] = [];
  const errors: EvaluatorConfigError[] = [];
  const seen = new Set<string>();
  const items = (json as { evaluators: unknown[] }).evaluators;
  items.forEach((raw, index) => {
    const { label, id } = entryLabel(index, raw);
    const fail = (problem: string): void => {
      errors.push(
        new EvaluatorConfigError(`${source}: ${label} ${problem}; this evaluator is not loaded.`, source, index, id),
      );
    };
    if (!entry(raw)) {
      fail(entryProblems(entry.errors).join('; '));
      return;
    }
    const value = raw as {
      id: string;
      type: EvaluatorType;
      enabled?: boolean;
      scope?: EvaluatorScope;
      options?: Record<string, unknown>;
      description?: string;
    };
    if (seen.has(value.id)) {
      fail(`repeats the id "${value.id}" (ids must be unique)`);
      return;
    }
    const options = value.options ?? {};
    const problem = semanticProblem(value.type, options);
    if (problem !== undefined) {
      fail(problem);
      return;
    }
    seen.add(value.id);
    const config: EvaluatorConfig = {
      id: value.id,
      type: value.type,
      enabled: value.enabled ?? true,
      // One judge call per trace side by default: judging every span multiplies the cost.
      scope: value.scope ?? (value.type === 'llm-judge' ? 'final' : 'all'),
      options,
    };
    if (value.description !== undefined) config.description = value.description;
    evaluators.push(config);
  });
  return { evaluators, errors, usedDefaults: false };
}

/** Reads the config file. A missing file gives the defaults with no error; an unreadable file or
 *  broken JSON gives one error and the defaults (the caller shows the error, the replay still gets
 *  scored). */
export async function loadEvaluatorConfig(filePath: string): Promise<EvaluatorConfigLoad> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { evaluators: defaultEvaluatorConfigs(), errors: [], usedDefaults: true };
    }
    const detail = errorMessage(error);
    return {
      evaluators: defaultEvaluatorConfigs(),
      errors: [
        new EvaluatorConfigError(`Cannot read ${filePath} (${detail}); using the default evaluators.`, filePath),
      ],
      usedDefaults: true,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = errorMessage(error);
    return {
      evaluators: defaultEvaluatorConfigs(),
      errors: [
        new EvaluatorConfigError(
          `${filePath} is not valid JSON (${detail}); fix it or delete it. Using the default evaluators.`,
          filePath,
        ),
      ],
      usedDefaults: true,
    };
  }
  return parseEvaluatorConfig(json, filePath);
}
