// Validates the fake Phoenix server's JSON answers, and the JSON bodies it receives, against Phoenix's
// own OpenAPI document (test/fixtures/specs/phoenix/openapi.json, a copy of the file Phoenix publishes)
// with ajv, so the fake cannot drift from the real API. The document is OpenAPI 3.1, whose schemas are
// JSON Schema 2020-12: ajv's 2020 build compiles them as they are, once the $refs to
// #/components/schemas are made absolute. The file is looked for upward from this module's folder
// (tsx from test/support, or bundled under the checkout), like the Langfuse validator.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where the copy of Phoenix's OpenAPI file sits, relative to the checkout's root. */
export const PHOENIX_OPENAPI_RELATIVE_PATH = join('test', 'fixtures', 'specs', 'phoenix', 'openapi.json');
const ID = 'https://phoenix.test/openapi.json';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** $refs to this document made absolute (ajv resolves them against the components schema);
 *  `examples` and `discriminator` (annotations here) are dropped. */
export function absoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'examples' || key === 'example' || key === 'discriminator') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace(/^#\//, `${ID}#/`);
    else if (key === 'properties' && isObject(value))
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, absoluteRefs(v)]));
    else out[key] = absoluteRefs(value);
  }
  return out;
}

export interface PhoenixOpenApiValidator {
  /** Errors (empty when valid) of a JSON answer of `method pathTemplate` with `status`. Throws when
   *  the document has no such operation or no JSON answer with that status: the fake must only
   *  serve documented endpoints and answers. */
  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[];
  /** Errors of a JSON request body; throws when the operation takes no JSON body. */
  validateRequestBody(method: string, pathTemplate: string, body: unknown): string[];
  /** The media types the document gives for `method pathTemplate`'s `status` answer ([] when none). */
  responseMediaTypes(method: string, pathTemplate: string, status: number): string[];
  /** The documented path template `method path` falls under (e.g. /v1/projects/{project_identifier}), if any. */
  documentedTemplate(method: string, path: string): string | undefined;
}

/** The OpenAPI file of the checkout `from` is in: the first folder upward from `from` (default:
 *  this module's) that holds test/fixtures/specs/phoenix/openapi.json. */
export function findPhoenixOpenApiPath(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, PHOENIX_OPENAPI_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(
        `No ${PHOENIX_OPENAPI_RELATIVE_PATH} in ${resolve(from)} or any folder above it; pass the file's path (specPath).`,
      );
  }
}

const cached = new Map<string, PhoenixOpenApiValidator>();

export function phoenixOpenApiValidator(options: { specPath?: string } = {}): PhoenixOpenApiValidator {
  const specPath = resolve(options.specPath ?? findPhoenixOpenApiPath());
  let validator = cached.get(specPath);
  if (!validator)
    cached.set(specPath, (validator = createValidator(JSON.parse(readFileSync(specPath, 'utf8')) as Json)));
  return validator;
}

function createValidator(doc: Json): PhoenixOpenApiValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  for (const f of ['binary', 'uri', 'byte', 'int32', 'int64', 'float', 'double', 'email', 'password', 'uuid'])
    ajv.addFormat(f, true);
  // Phoenix writes UTC times as Python isoformat() does (+00:00, 0 or 6 fraction digits); Z is accepted too.
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addSchema({ $id: ID, components: { schemas: absoluteRefs((doc.components as Json).schemas) } });
  const paths = doc.paths as Json;
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(paths).map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  const operation = (method: string, pathTemplate: string): Json => {
    const item = paths[pathTemplate];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (!isObject(op)) throw new Error(`The Phoenix OpenAPI document has no ${method} ${pathTemplate}`);
    return op;
  };
  const answer = (method: string, pathTemplate: string, status: number): Json | undefined => {
    const responses = operation(method, pathTemplate).responses as Json;
    const found = responses[String(status)];
    return isObject(found) ? found : undefined;
  };
  const compile = (key: string, schema: unknown): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) compiled.set(key, (fn = ajv.compile(absoluteRefs(schema) as Json)));
    return fn;
  };
  const errors = (fn: ValidateFunction, body: unknown): string[] =>
    fn(body)
      ? []
      : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

  return {
    validateResponse(method, pathTemplate, status, body) {
      const found = answer(method, pathTemplate, status);
      const schema = ((found?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (schema === undefined)
        throw new Error(`The Phoenix OpenAPI document has no JSON ${status} answer for ${method} ${pathTemplate}`);
      return errors(compile(`${method} ${pathTemplate} ${status}`, schema), body);
    },
    validateRequestBody(method, pathTemplate, body) {
      const requestBody = operation(method, pathTemplate).requestBody as Json | undefined;
      const schema = ((requestBody?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (schema === undefined)
        throw new Error(`The Phoenix OpenAPI document has no JSON request body for ${method} ${pathTemplate}`);
      return errors(compile(`${method} ${pathTemplate} request`, schema), body);
    },
    responseMediaTypes(method, pathTemplate, status) {
      const content = answer(method, pathTemplate, status)?.content;
      return isObject(content) ? Object.keys(content) : [];
    },
    documentedTemplate(method, path) {
      return templates.find((t) => t.re.test(path) && isObject((paths[t.template] as Json)[method.toLowerCase()]))
        ?.template;
    },
  };
}
