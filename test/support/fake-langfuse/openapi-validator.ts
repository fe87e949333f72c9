// Validates the fake Langfuse server's answers against Langfuse's own OpenAPI document
// (test/fixtures/specs/langfuse/openapi.yml, a copy of Langfuse's published file) with ajv, so the fake cannot drift from the real API.
// OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` becomes anyOf [schema, null] (also next
// to a $ref, which Langfuse's generator writes), and $refs to components/schemas are made absolute.
import Ajv, { type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENAPI_PATH = join(__dirname, '../../fixtures/specs/langfuse/openapi.yml');
const ID = 'https://langfuse.test/openapi.json';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OpenAPI 3.0 schema object -> JSON Schema (draft-07, as ajv's default). */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace(/^#\//, `${ID}#/`);
    else if (key === 'properties' && isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    else out[key] = toJsonSchema(value);
  }
  if (schema.nullable === true) {
    if (out.$ref !== undefined) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export interface OpenApiValidator {
  /** Errors (empty when valid) of a JSON answer of `method path` with `status`. Throws when the
   *  document has no such operation or answer: the fake must only serve documented endpoints. */
  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[];
  validateRequestBody(method: string, pathTemplate: string, body: unknown): string[];
}

let cached: OpenApiValidator | undefined;

export function langfuseOpenApiValidator(): OpenApiValidator {
  cached ??= createValidator(readFileSync(OPENAPI_PATH, 'utf8'));
  return cached;
}

function createValidator(yamlText: string): OpenApiValidator {
  const doc = load(yamlText) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // OpenAPI's numeric formats carry no constraint here; date-time is checked.
  for (const f of ['double', 'float', 'int32', 'int64', 'uri', 'binary', 'byte']) ajv.addFormat(f, true);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  const components = (doc.components as Json).schemas as Json;
  ajv.addSchema({ $id: ID, components: { schemas: toJsonSchema(components) } });
  const paths = doc.paths as Json;
  const compiled = new Map<string, ValidateFunction>();

  const operation = (method: string, pathTemplate: string): Json => {
    const item = paths[pathTemplate];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (!isObject(op)) throw new Error(`The Langfuse OpenAPI document has no ${method} ${pathTemplate}`);
    return op;
  };
  const compile = (key: string, schema: unknown): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) compiled.set(key, (fn = ajv.compile(toJsonSchema(schema) as Json)));
    return fn;
  };
  const errors = (fn: ValidateFunction, body: unknown): string[] =>
    fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

  return {
    validateResponse(method, pathTemplate, status, body) {
      const responses = operation(method, pathTemplate).responses as Json;
      const answer = responses[String(status)];
      if (!isObject(answer)) throw new Error(`The Langfuse OpenAPI document has no ${status} answer for ${method} ${pathTemplate}`);
      const schema = ((answer.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (schema === undefined) return [];
      return errors(compile(`${method} ${pathTemplate} ${status}`, schema), body);
    },
    validateRequestBody(method, pathTemplate, body) {
      const requestBody = operation(method, pathTemplate).requestBody as Json;
      const schema = ((requestBody.content as Json)['application/json'] as Json).schema;
      return errors(compile(`${method} ${pathTemplate} request`, schema), body);
    },
  };
}
