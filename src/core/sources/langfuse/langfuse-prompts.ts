// Langfuse prompt management -> PromptTemplate: GET /api/public/v2/prompts/{name} by version or
// label, and the prompt list for the versions a replay can choose from. Langfuse prompts use
// mustache `{{var}}` variables. A fetched version never changes, so versions are cached in memory.
import type { PromptTemplate, TemplateRole } from '../../prompts/prompt-template';
import { TemplateParseError } from '../../prompts/template-errors';
import type { LangfusePrompt, PromptMeta } from './langfuse-api-types';
import type { LangfuseClient } from './langfuse-client';

export interface PromptSelector {
  version?: number;
  /** Default "production", as in Langfuse. */
  label?: string;
}

export interface PromptVersionList {
  name: string;
  type: 'text' | 'chat';
  /** Newest first. */
  versions: number[];
  labels: string[];
  /** Which version each label points at (only when asked with resolveLabels: one request per label). */
  labelVersions?: Record<string, number>;
}

const ROLES: Record<string, TemplateRole> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
};

export function promptTemplateFromLangfuse(prompt: LangfusePrompt): PromptTemplate {
  const source = `langfuse:${prompt.name}@${prompt.version}`;
  const base = { name: prompt.name, version: String(prompt.version), syntax: 'mustache' as const, source };
  if (typeof prompt.prompt === 'string') return { ...base, kind: 'text', text: prompt.prompt };
  const messages = prompt.prompt.map((m, i) => {
    if (m.type === 'placeholder' || typeof m.content !== 'string') {
      throw new TemplateParseError(
        'INVALID_SHAPE',
        `Langfuse prompt ${prompt.name} version ${prompt.version} has a message placeholder at position ${i}, which replays do not support; use a version without placeholders.`,
        source,
      );
    }
    const role = ROLES[(m.role ?? '').toLowerCase()];
    if (!role)
      throw new TemplateParseError(
        'INVALID_SHAPE',
        `Langfuse prompt ${prompt.name} version ${prompt.version} has a message with role "${m.role}"; replays support system, user and assistant.`,
        source,
      );
    return { role, content: m.content };
  });
  return { ...base, kind: 'chat', messages };
}

export class LangfusePrompts {
  private readonly versions = new Map<string, PromptTemplate>();

  constructor(private readonly client: LangfuseClient) {}

  /** A version (immutable, cached) or a label (asked each time: labels move). */
  async getPrompt(name: string, selector: PromptSelector = {}): Promise<PromptTemplate> {
    const key = selector.version !== undefined ? `${name}@${selector.version}` : undefined;
    const cached = key ? this.versions.get(key) : undefined;
    if (cached) return cached;
    const raw = await this.client.getPrompt(
      name,
      selector.version !== undefined ? { version: selector.version } : { label: selector.label ?? 'production' },
    );
    const template = promptTemplateFromLangfuse(raw);
    this.versions.set(`${name}@${raw.version}`, template);
    return template;
  }

  /** Every prompt of the project (name, type, versions, labels), following the page numbers. */
  async listPrompts(options: { maxPages?: number } = {}): Promise<PromptMeta[]> {
    const out: PromptMeta[] = [];
    const maxPages = options.maxPages ?? 10;
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.client.listPrompts({ page, limit: 100 });
      out.push(...res.data);
      if (page >= res.meta.totalPages) break;
    }
    return out;
  }

  async listPromptVersions(
    name: string,
    options: { resolveLabels?: boolean } = {},
  ): Promise<PromptVersionList | undefined> {
    const res = await this.client.listPrompts({ name, limit: 100 });
    const meta = res.data.find((p) => p.name === name);
    if (!meta) return undefined;
    const list: PromptVersionList = {
      name,
      type: meta.type,
      versions: [...meta.versions].sort((a, b) => b - a),
      labels: [...meta.labels],
    };
    if (options.resolveLabels) {
      list.labelVersions = {};
      for (const label of meta.labels) {
        const t = await this.getPrompt(name, { label });
        if (t.version !== undefined) list.labelVersions[label] = Number(t.version);
      }
    }
    return list;
  }
}
