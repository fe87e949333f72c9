// JSON Schemas in a Gemini request (tool parameters, response_format): which dialect a recorded
// schema is written in, and which JSON Schema keywords Gemini accepts without enforcing them.
// Wire facts relied on (ai.google.dev/api/generate-content): responseJsonSchema / parametersJsonSchema
// take JSON Schema; responseSchema / parameters take Google's OpenAPI-subset Schema (types in capitals).
import type { BuildContext } from '../../request-common';

/** JSON Schema keywords Gemini's responseJsonSchema / parametersJsonSchema honour (GenerationConfig
 *  docs), plus annotations that change nothing. Others are accepted but not enforced. */
const SUPPORTED_SCHEMA_KEYWORDS = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  '$schema',
  '$comment',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
  'default',
  'examples',
  'nullable',
]);
/** Keywords whose value is a map of sub-schemas / a list of sub-schemas / one sub-schema. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

const OPENAPI_TYPES = new Set([
  'STRING',
  'NUMBER',
  'INTEGER',
  'BOOLEAN',
  'ARRAY',
  'OBJECT',
  'NULL',
  'TYPE_UNSPECIFIED',
]);

/** Whether a schema is written in Google's own Schema dialect (types in capitals), as a call
 *  recorded from a Gemini app may carry it; such a schema goes in `parameters` / `responseSchema`. */
export function isGeminiSchema(schema: Record<string, unknown>): boolean {
  return typeof schema.type === 'string' && OPENAPI_TYPES.has(schema.type);
}

/** JSON Schema keywords in `schema` (at any depth) that Gemini does not enforce. */
export function unenforcedKeywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return found;
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED_SCHEMA_KEYWORDS.has(key)) found.add(key);
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      for (const sub of Object.values(value)) unenforcedKeywords(sub, found);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      for (const sub of value) unenforcedKeywords(sub, found);
    } else if (SCHEMA_ONE.has(key)) {
      unenforcedKeywords(value, found);
    }
  }
  return found;
}

/** Warns (naming `where`) about the keywords of `schema` that Gemini does not enforce. */
export function warnUnenforced(ctx: BuildContext, schema: Record<string, unknown>, where: string): void {
  const keywords = [...unenforcedKeywords(schema)];
  if (keywords.length === 0) return;
  ctx.warnings.push(
    `${where}: Gemini does not enforce the JSON Schema keyword${keywords.length > 1 ? 's' : ''} ${keywords.join(', ')}; sent as recorded (the model may not follow them).`,
  );
}
