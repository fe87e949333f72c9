// The fake Phoenix server's prompts: seeded versions and tags, and the endpoints of Phoenix's
// routers/v1/prompts.py. Prompts are found by name (an Identifier: ^[a-z0-9]([_a-z0-9-]*[a-z0-9])?$,
// 422 "Invalid prompt name" otherwise) or Prompt GlobalID; versions are ordered by row id, newest
// first; a tag names one version per prompt; a missing version/tag/latest is a plain-text 404
// "Not Found", while the versions list of an unknown prompt is an empty page, as Phoenix answers.
// Version answers leave out what Phoenix's response_model_exclude_defaults drops (tools and
// response_format when unset; a tag's null description); a version's description is "" when none
// was given. Tags: GET/POST /v1/prompt_versions/{id}/tags.
import { cursorRowid, fromGlobalId, globalId } from './phoenix-ids';
import { httpError, intQuery, type Json } from './phoenix-http';

export const IDENTIFIER_RE = /^[a-z0-9]([_a-z0-9-]*[a-z0-9])?$/;

export type PhoenixPromptTemplate =
  { type: 'chat'; messages: { role: string; content: string | Json[] }[] } | { type: 'string'; template: string };

/** One version as seeded (and as POST /v1/prompts receives it, plus `tags`). */
export interface FakePhoenixPromptVersion {
  description?: string | null;
  /** OPENAI, ANTHROPIC, GOOGLE, AZURE_OPENAI, ... (Phoenix's ModelProvider). */
  model_provider: string;
  model_name: string;
  template: PhoenixPromptTemplate;
  template_format: 'MUSTACHE' | 'F_STRING' | 'NONE';
  /** e.g. { type: 'openai', openai: { temperature: 0.2 } } or { type: 'anthropic', anthropic: { max_tokens: 256 } };
   *  the OpenAI family (azure_openai, deepseek, xai, ...) is stored as type 'openai', as Phoenix writes it.
   *  Default: the provider's type with no parameters (ANTHROPIC needs max_tokens: without it the answer
   *  breaks Phoenix's schema and the fake reports a violation). */
  invocation_parameters?: Json;
  tools?: Json;
  response_format?: Json;
  /** Tag names on this version (a later version with the same tag takes it over). */
  tags?: string[];
}

/** Seeded prompts: name -> versions, oldest first. */
export type FakePhoenixPrompts = Record<string, FakePhoenixPromptVersion[]>;

interface StoredPrompt {
  rowid: number;
  name: string;
  description: string | null;
  metadata: Json;
}

interface StoredVersion {
  rowid: number;
  promptRowid: number;
  data: Json;
}

interface StoredTag {
  rowid: number;
  name: string;
  description: string | null;
  promptRowid: number;
  versionRowid: number;
}

const PROVIDER_TYPES: Record<string, string> = {
  OPENAI: 'openai',
  AZURE_OPENAI: 'azure_openai',
  ANTHROPIC: 'anthropic',
  GOOGLE: 'google',
  DEEPSEEK: 'deepseek',
  XAI: 'xai',
  OLLAMA: 'ollama',
  AWS: 'aws',
  CEREBRAS: 'cerebras',
  FIREWORKS: 'fireworks',
  GROQ: 'groq',
  MOONSHOT: 'moonshot',
  PERPLEXITY: 'perplexity',
  TOGETHER: 'together',
};

const OPENAI_FAMILY = new Set([
  'openai',
  'azure_openai',
  'deepseek',
  'xai',
  'ollama',
  'cerebras',
  'fireworks',
  'groq',
  'moonshot',
  'perplexity',
  'together',
]);

/** db/types/prompts.normalize_invocation_parameters_for_write: the OpenAI family becomes type "openai". */
function normalizeInvocationParameters(p: Json): Json {
  const type = typeof p.type === 'string' ? p.type : '';
  return OPENAI_FAMILY.has(type) && type !== 'openai' ? { type: 'openai', openai: p[type] ?? {} } : p;
}

function defaultInvocationParameters(provider: string): Json {
  const type = PROVIDER_TYPES[provider] ?? provider.toLowerCase();
  return { type, [type]: {} };
}

export class PhoenixPromptStore {
  readonly prompts: StoredPrompt[] = [];
  readonly versions: StoredVersion[] = [];
  readonly tags: StoredTag[] = [];

  constructor(seed: FakePhoenixPrompts = {}) {
    for (const [name, versions] of Object.entries(seed)) {
      for (const v of versions) this.addVersion({ name }, v);
    }
  }

  /** Adds a version (creating the prompt when new) and returns it as the API answers it. */
  addVersion(
    prompt: { name: string; description?: string | null; metadata?: Json | null },
    v: FakePhoenixPromptVersion,
  ): Json {
    let p = this.prompts.find((x) => x.name === prompt.name);
    if (!p) {
      p = {
        rowid: this.prompts.length + 1,
        name: prompt.name,
        description: prompt.description ?? null,
        metadata: prompt.metadata ?? {},
      };
      this.prompts.push(p);
    }
    const data: Json = {
      description: v.description ?? '',
      model_provider: v.model_provider,
      model_name: v.model_name,
      template: v.template,
      template_type: v.template.type === 'chat' ? 'CHAT' : 'STR',
      template_format: v.template_format,
      invocation_parameters: normalizeInvocationParameters(
        v.invocation_parameters ?? defaultInvocationParameters(v.model_provider),
      ),
    };
    if (v.tools !== undefined && v.tools !== null) data.tools = v.tools;
    if (v.response_format !== undefined && v.response_format !== null) data.response_format = v.response_format;
    const version = { rowid: this.versions.length + 1, promptRowid: p.rowid, data };
    this.versions.push(version);
    for (const tag of v.tags ?? []) this.tag(version.rowid, tag);
    return this.versionJson(version);
  }

  /** Puts tag `name` on version `versionRowid` (taking it off another version of the same prompt). */
  tag(versionRowid: number, name: string, description: string | null = null): void {
    const version = this.versions.find((v) => v.rowid === versionRowid);
    if (!version) throw new Error(`No prompt version ${versionRowid}`);
    const existing = this.tags.findIndex((t) => t.promptRowid === version.promptRowid && t.name === name);
    if (existing >= 0) this.tags.splice(existing, 1);
    this.tags.push({
      rowid: Math.max(0, ...this.tags.map((t) => t.rowid)) + 1,
      name,
      description,
      promptRowid: version.promptRowid,
      versionRowid,
    });
  }

  versionJson(v: StoredVersion): Json {
    return { ...v.data, id: globalId('PromptVersion', v.rowid) };
  }

  private promptRowid(identifier: string): number | undefined {
    if (!identifier) throw httpError(422, 'Invalid prompt identifier');
    const id = fromGlobalId(identifier, 'Prompt');
    if (id !== undefined) return id;
    if (!IDENTIFIER_RE.test(identifier)) throw httpError(422, 'Invalid prompt name');
    return this.prompts.find((p) => p.name === identifier)?.rowid;
  }

  private versionsOf(identifier: string): StoredVersion[] {
    const rowid = this.promptRowid(identifier);
    return this.versions.filter((v) => v.promptRowid === rowid).sort((a, b) => b.rowid - a.rowid);
  }

  list(q: URLSearchParams): Json {
    const limit = intQuery(q, 'limit', 100, { gt: 0 });
    let rows = [...this.prompts].sort((a, b) => b.rowid - a.rowid);
    const cursor = q.get('cursor');
    if (cursor) {
      const c = cursorRowid(cursor);
      if (c === undefined) throw httpError(422, `Invalid cursor format: ${cursor}`);
      rows = rows.filter((p) => p.rowid <= c);
    }
    const next = rows.length > limit ? globalId('Prompt', rows[limit].rowid) : null;
    return {
      next_cursor: next,
      data: rows.slice(0, limit).map((p) => ({
        name: p.name,
        description: p.description,
        source_prompt_id: null,
        metadata: p.metadata,
        id: globalId('Prompt', p.rowid),
      })),
    };
  }

  listVersions(identifier: string, q: URLSearchParams): Json {
    const limit = intQuery(q, 'limit', 100, { gt: 0 });
    let rows = this.versionsOf(identifier);
    const cursor = q.get('cursor');
    if (cursor) {
      const c = cursorRowid(cursor);
      if (c === undefined) throw httpError(422, `Invalid cursor format: ${cursor}`);
      rows = rows.filter((v) => v.rowid <= c);
    }
    const next = rows.length > limit ? globalId('PromptVersion', rows[limit].rowid) : null;
    return { next_cursor: next, data: rows.slice(0, limit).map((v) => this.versionJson(v)) };
  }

  latest(identifier: string): Json {
    const newest = this.versionsOf(identifier)[0];
    if (!newest) throw httpError(404);
    return { data: this.versionJson(newest) };
  }

  byTag(identifier: string, tagName: string): Json {
    if (!IDENTIFIER_RE.test(tagName)) throw httpError(422, 'Invalid tag name');
    const rowid = this.promptRowid(identifier);
    const tag = this.tags.find((t) => t.promptRowid === rowid && t.name === tagName);
    const version = tag && this.versions.find((v) => v.rowid === tag.versionRowid);
    if (!version) throw httpError(404);
    return { data: this.versionJson(version) };
  }

  byId(versionId: string): Json {
    const rowid = fromGlobalId(versionId, 'PromptVersion');
    if (rowid === undefined) throw httpError(422, 'Invalid prompt version ID');
    const version = this.versions.find((v) => v.rowid === rowid);
    if (!version) throw httpError(404);
    return { data: this.versionJson(version) };
  }

  /** GET /v1/prompt_versions/{id}/tags. As in Phoenix, next_cursor is the last tag of the page (not the
   *  first of the next), so the next page starts with it again. */
  versionTags(versionId: string, q: URLSearchParams): Json {
    const rowid = fromGlobalId(versionId, 'PromptVersion');
    if (rowid === undefined) throw httpError(422, 'Invalid prompt version ID');
    const limit = intQuery(q, 'limit', 100, { gt: 0 });
    if (!this.versions.some((v) => v.rowid === rowid)) throw httpError(404, 'Prompt version not found');
    let rows = this.tags.filter((t) => t.versionRowid === rowid).sort((a, b) => b.rowid - a.rowid);
    const cursor = q.get('cursor');
    if (cursor) {
      const c = cursorRowid(cursor);
      if (c === undefined) throw httpError(422, `Invalid cursor format: ${cursor}`);
      rows = rows.filter((t) => t.rowid <= c);
    }
    let next: string | null = null;
    if (rows.length > limit) {
      rows = rows.slice(0, limit);
      next = globalId('PromptVersionTag', rows[rows.length - 1].rowid);
    }
    return {
      next_cursor: next,
      data: rows.map((t) =>
        t.description === null
          ? { name: t.name, id: globalId('PromptVersionTag', t.rowid) }
          : { name: t.name, description: t.description, id: globalId('PromptVersionTag', t.rowid) },
      ),
    };
  }

  /** POST /v1/prompt_versions/{id}/tags with a body the OpenAPI schema accepted (answer: 204). */
  addVersionTag(versionId: string, body: Json): void {
    const rowid = fromGlobalId(versionId, 'PromptVersion');
    if (rowid === undefined) throw httpError(422, 'Invalid prompt version ID');
    if (!this.versions.some((v) => v.rowid === rowid)) throw httpError(404);
    this.tag(rowid, body.name as string, (body.description as string | null | undefined) ?? null);
  }

  /** POST /v1/prompts with a body the OpenAPI schema accepted. */
  create(body: Json): Json {
    const prompt = body.prompt as { name: string; description?: string | null; metadata?: Json | null };
    const version = body.version as FakePhoenixPromptVersion & { template_type: string };
    if (version.template.type.toLowerCase() !== 'chat' || version.template_type !== 'CHAT') {
      throw httpError(422, 'Only CHAT template type is supported for prompts');
    }
    const { template_type: _type, ...rest } = version;
    return { data: this.addVersion(prompt, rest) };
  }
}
