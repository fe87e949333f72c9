// json: the output parses as JSON and, with a `schema` option, satisfies that JSON Schema (ajv).
// Binary: 1 or 0, with the parse or validation errors as the reason.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv, ajv2019, ajv2020 } from './ajv-modules';
import type { Span } from '../model/trace';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion } from './evaluator-version';
import { errorMessage } from '../util/error-message';

export const JSON_EVALUATOR_VERSION = '1';

export interface JsonOptions {
  schema?: Record<string, unknown>;
  applies?: 'when-expected' | 'always';
  allowCodeFence?: boolean;
}

/** Compiles a user's output schema (draft-07 by default; 2019-09 / 2020-12 by its $schema). Formats
 *  are not checked (no format vocabulary is installed); unknown keywords are ignored. Throws when
 *  the schema itself is invalid. */
export function compileOutputSchema(schema: Record<string, unknown>): ValidateFunction {
  const options = { allErrors: true, strict: false, validateFormats: false } as const;
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  const compiler = dialect.includes('2020-12')
    ? new (ajv2020().Ajv2020)(options)
    : dialect.includes('2019-09')
      ? new (ajv2019().Ajv2019)(options)
      : new (ajv().Ajv)(options);
  return compiler.compile(schema);
}

const FENCE = /^```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** The parsed JSON, or why not ("empty", "not valid JSON: ..."). */
export function parseJsonOutput(
  text: string,
  allowCodeFence = true,
): { ok: true; value: unknown } | { ok: false; error: string } {
  let body = text.trim();
  const fenced = allowCodeFence ? FENCE.exec(body) : null;
  if (fenced) body = fenced[1].trim();
  if (body === '') return { ok: false, error: 'empty' };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${errorMessage(error)}` };
  }
}

function asksForJson(span: Span | undefined): boolean {
  const format = span?.llm?.responseFormat?.type;
  return format === 'json_object' || format === 'json_schema';
}

/** JSON is expected where the call asked for a JSON response format or the original answered JSON. */
function jsonExpected(input: EvaluatorInput, allowCodeFence: boolean): boolean {
  if (asksForJson(input.span) || asksForJson(input.reference?.span)) return true;
  const ref = input.reference?.output;
  return ref !== undefined && ref.text.trim() !== '' && parseJsonOutput(ref.text, allowCodeFence).ok;
}

function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? e.keyword}`)
    .join('; ');
}

export function createJsonEvaluator(config: EvaluatorConfig): Evaluator {
  const options = config.options as JsonOptions;
  const allowCodeFence = options.allowCodeFence ?? true;
  const validate = options.schema !== undefined ? compileOutputSchema(options.schema) : undefined;
  return {
    id: config.id,
    type: 'json',
    version: evaluatorVersion('json', JSON_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    evaluate(input: EvaluatorInput): Promise<EvaluatorResult | null> {
      if ((options.applies ?? 'when-expected') === 'when-expected' && !jsonExpected(input, allowCodeFence))
        return Promise.resolve(null);
      const parsed = parseJsonOutput(input.output.text, allowCodeFence);
      if (!parsed.ok) return Promise.resolve({ value: 0, passed: false, reason: `The output is ${parsed.error}.` });
      if (validate !== undefined && !validate(parsed.value)) {
        return Promise.resolve({
          value: 0,
          passed: false,
          reason: `The output is JSON but does not match the schema: ${describeSchemaErrors(validate.errors)}.`,
        });
      }
      return Promise.resolve({
        value: 1,
        passed: true,
        reason: validate !== undefined ? 'The output is JSON and matches the schema.' : 'The output is valid JSON.',
      });
    },
  };
}
