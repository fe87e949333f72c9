// How the fake Phoenix server answers errors and reads query parameters, as Phoenix (FastAPI +
// its plain_text_http_exception_handler) does: an HTTPException is text/plain with its detail
// ("Not Found" when it has none), a query or body that fails FastAPI's validation is a JSON 422
// {"detail": [{type, loc, msg, input, ctx?}]}.

export type Json = Record<string, unknown>;

/** An error answer: text/plain `text`, or the JSON 422 of a failed validation. */
export class PhoenixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly json?: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(text);
  }
}

/** Phoenix's HTTPException(status, detail). */
export function httpError(status: number, detail?: string): PhoenixHttpError {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    404: 'Not Found',
    405: 'Method Not Allowed',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
  };
  return new PhoenixHttpError(status, detail ?? phrases[status] ?? String(status));
}

export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Json;
}

/** FastAPI's RequestValidationError answer. */
export function validationError(issues: ValidationIssue[]): PhoenixHttpError {
  return new PhoenixHttpError(422, JSON.stringify({ detail: issues }), { detail: issues });
}

export function intQuery(
  q: URLSearchParams,
  name: string,
  fallback: number,
  bounds: { gt?: number; le?: number },
): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw))
    throw validationError([
      {
        type: 'int_parsing',
        loc,
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: raw,
      },
    ]);
  const n = Number(raw);
  if (bounds.gt !== undefined && !(n > bounds.gt))
    throw validationError([
      {
        type: 'greater_than',
        loc,
        msg: `Input should be greater than ${bounds.gt}`,
        input: raw,
        ctx: { gt: bounds.gt },
      },
    ]);
  if (bounds.le !== undefined && !(n <= bounds.le))
    throw validationError([
      {
        type: 'less_than_equal',
        loc,
        msg: `Input should be less than or equal to ${bounds.le}`,
        input: raw,
        ctx: { le: bounds.le },
      },
    ]);
  return n;
}

export function boolQuery(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y', 'on'].includes(v)) return true;
  if (['0', 'false', 'f', 'no', 'n', 'off'].includes(v)) return false;
  throw validationError([
    {
      type: 'bool_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: raw,
    },
  ]);
}

export function literalQuery<T extends string>(
  q: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = q.get(name);
  if (raw === null) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  const expected = allowed.map((a) => `'${a}'`).join(' or ');
  throw validationError([
    { type: 'literal_error', loc: ['query', name], msg: `Input should be ${expected}`, input: raw, ctx: { expected } },
  ]);
}

/** A datetime query parameter in microseconds since the epoch (see parseIsoMicros). */
export function timeQuery(
  q: URLSearchParams,
  name: string,
  parse: (text: string) => number | undefined,
): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const micros = parse(raw);
  if (micros === undefined)
    throw validationError([
      {
        type: 'datetime_from_date_parsing',
        loc: ['query', name],
        msg: 'Input should be a valid datetime or date, invalid character in year',
        input: raw,
        ctx: { error: 'invalid character in year' },
      },
    ]);
  return micros;
}

/** Phoenix's validate_enum_filter: values upper-cased, 422 naming the invalid ones (Python list repr). */
export function enumFilter(values: string[], valid: ReadonlySet<string>, param: string): string[] {
  const upper = values.map((v) => v.toUpperCase());
  const invalid = upper.filter((v) => !valid.has(v));
  if (invalid.length) throw httpError(422, `Invalid ${param} values: [${invalid.map((v) => `'${v}'`).join(', ')}]`);
  return upper;
}
