// Validates the fake Langfuse server's answers against Langfuse's own OpenAPI document
// (test/fixtures/specs/langfuse/openapi.yml, a copy of Langfuse's published file) with ajv, so the fake cannot drift from the real API.
// The file is looked for upward from this module's folder: the same code runs from test/support
// (tsx) and bundled into dist/test/integration (the VS Code suite), both under the checkout.
// OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` becomes anyOf [schema, null] (also next
// to a $ref, which Langfuse's generator writes), and $refs to components/schemas are made absolute.
import Ajv, { type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where the copy of Langfuse's OpenAPI file sits, relative to the checkout's root. */
export const OPENAPI_RELATIVE_PATH = join('test', 'fixtures', 'specs', 'langfuse', 'openapi.yml');
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
    else if (key === 'properties' && isObject(value))
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
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

/** The OpenAPI file of the checkout `from` is in: the first folder upward from `from` (default:
 *  this module's) that holds test/fixtures/specs/langfuse/openapi.yml. */
export function findLangfuseOpenApiPath(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, OPENAPI_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(
        `No ${OPENAPI_RELATIVE_PATH} in ${resolve(from)} or any folder above it; pass the file's path (specPath).`,
      );
  }
}

export interface OpenApiValidatorOptions {
  /** The OpenAPI YAML file; default: findLangfuseOpenApiPath(). */
  specPath?: string;
}

const cached = new Map<string, OpenApiValidator>();

export function langfuseOpenApiValidator(options: OpenApiValidatorOptions = {}): OpenApiValidator {
  const specPath = resolve(options.specPath ?? findLangfuseOpenApiPath());
  let validator = cached.get(specPath);
  if (!validator) cached.set(specPath, (validator = createValidator(readFileSync(specPath, 'utf8'))));
  return validator;
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
    fn(body)
      ? []
      : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

  return {
    validateResponse(method, pathTemplate, status, body) {
      const responses = operation(method, pathTemplate).responses as Json;
      const answer = responses[String(status)];
      if (!isObject(answer))
        throw new Error(`The Langfuse OpenAPI document has no ${status} answer for ${method} ${pathTemplate}`);
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
