// Phoenix prompt management -> PromptTemplate. A prompt's versions are GlobalIDs
// ("UHJvbXB0VmVyc2lvbjoz"), newest first; tags are movable pointers (Phoenix's word for Langfuse's
// labels). `phoenix:<name>@<version id>`, `phoenix:<name>#<tag>` and `phoenix:<name>` (the latest
// version) name one; a `@<x>` that is not a version of the prompt is tried as a tag, as the issue
// spells `phoenix:<name>@<tag>` too.
// Conversion: chat templates (roles system / developer -> system, user, assistant / model / ai ->
// assistant; text content only) and string templates. template_format MUSTACHE -> {{var}},
// F_STRING -> {var}, NONE -> no variables at all (the text is kept in whichever of our syntaxes
// reads it without variables; when both would, braces are escaped the f-string way).
// A version never changes, so versions are cached in memory; tags and "latest" are asked each time.
// Phoenix lists tags per version only, so list() and versions() give `labels` only when asked to
// resolve them (versions(name, { resolveLabels: true }): one request per version).
import type { PlaceholderSyntax, PromptTemplate, TemplateRole } from '../../prompts/prompt-template';
import { tokenize, variableNames } from '../../prompts/placeholders';
import { TemplateParseError } from '../../prompts/template-errors';
import type { PlatformPromptSummary, PlatformPromptVersions, PlatformPrompts, PromptSelector } from '../platform';
import type { PhoenixPromptMessage, PhoenixPromptVersion, PhoenixTemplateFormat } from './phoenix-api-types';
import type { PhoenixClient } from './phoenix-client';
import { PhoenixHttpError, PhoenixPromptNotFoundError } from './phoenix-errors';

const ROLES: Record<string, TemplateRole> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  model: 'assistant',
  ai: 'assistant',
};

const MAX_PAGES = 20;

/** One of our syntaxes under which every text reads without variables (format NONE), and the
 *  texts in it: as they are when one does, else with braces escaped the f-string way. */
function literalTexts(texts: string[]): { texts: string[]; syntax: PlaceholderSyntax } {
  for (const syntax of ['mustache', 'fstring'] as const) {
    if (texts.every((t) => variableNames(tokenize(t, syntax)).length === 0)) return { texts, syntax };
  }
  return { texts: texts.map((t) => t.replace(/\{/g, '{{').replace(/\}/g, '}}')), syntax: 'fstring' };
}

function syntaxOf(format: PhoenixTemplateFormat): PlaceholderSyntax | undefined {
  return format === 'MUSTACHE' ? 'mustache' : format === 'F_STRING' ? 'fstring' : undefined;
}

function messageText(name: string, versionId: string, m: PhoenixPromptMessage, i: number, source: string): string {
  if (typeof m.content === 'string') return m.content;
  const texts: string[] = [];
  for (const part of m.content) {
    if (part.type !== 'text') {
      throw new TemplateParseError(
        'INVALID_SHAPE',
        `Phoenix prompt ${name} version ${versionId} has a ${part.type} part in message ${i + 1}, which replays do not support; use a version whose messages hold only text.`,
        source,
      );
    }
    texts.push(part.text);
  }
  return texts.join('');
}

export function promptTemplateFromPhoenix(name: string, version: PhoenixPromptVersion): PromptTemplate {
  const source = `phoenix:${name}@${version.id}`;
  const syntax = syntaxOf(version.template_format);
  const base = { name, version: version.id, source };
  if (version.template.type === 'string') {
    const text = version.template.template;
    if (syntax) {
      tokenize(text, syntax);
      return { ...base, kind: 'text', text, syntax };
    }
    const literal = literalTexts([text]);
    return { ...base, kind: 'text', text: literal.texts[0], syntax: literal.syntax };
  }
  const raw = version.template.messages.map((m, i) => {
    const role = ROLES[m.role];
    if (!role) {
      throw new TemplateParseError(
        'INVALID_SHAPE',
        `Phoenix prompt ${name} version ${version.id} has a message with role "${m.role}" (message ${i + 1}); replays support system, developer, user and assistant messages, so use a version without ${m.role} messages.`,
        source,
      );
    }
    return { role, content: messageText(name, version.id, m, i, source) };
  });
  if (syntax) {
    for (const m of raw) tokenize(m.content, syntax);
    return { ...base, kind: 'chat', messages: raw, syntax };
  }
  const literal = literalTexts(raw.map((m) => m.content));
  return {
    ...base,
    kind: 'chat',
    syntax: literal.syntax,
    messages: raw.map((m, i) => ({ role: m.role, content: literal.texts[i] })),
  };
}

/** 404 (and 422: not a valid name, tag or version id) of a prompt lookup -> prompt-not-found. */
function notFound(name: string, which: string, baseUrl: string): (detail: string) => Error {
  return () => new PhoenixPromptNotFoundError(name, which, baseUrl);
}

function isInvalid(err: unknown): boolean {
  return err instanceof PhoenixHttpError && err.status === 422;
}

export class PhoenixPrompts implements PlatformPrompts {
  private readonly byVersion = new Map<string, PromptTemplate>();

  constructor(private readonly client: PhoenixClient) {}

  async list(): Promise<PlatformPromptSummary[]> {
    const out: PlatformPromptSummary[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await this.client.listPrompts(cursor);
      for (const p of res.data) {
        // Phoenix lists prompts without their versions: one request per prompt (its first page).
        const versions = await this.client.listPromptVersions(p.name);
        const summary: PlatformPromptSummary = { name: p.name, versions: versions.data.map((v) => v.id), labels: [] };
        if (versions.data[0]) summary.type = versions.data[0].template.type === 'string' ? 'text' : 'chat';
        out.push(summary);
      }
      cursor = res.next_cursor ?? undefined;
    } while (cursor && ++pages < MAX_PAGES);
    return out;
  }

  async versions(name: string, options: { resolveLabels?: boolean } = {}): Promise<PlatformPromptVersions | undefined> {
    const versions = await this.allVersions(name);
    if (versions.length === 0) return undefined;
    const out: PlatformPromptVersions = {
      name,
      type: versions[0].template.type === 'string' ? 'text' : 'chat',
      versions: versions.map((v) => v.id),
      labels: [],
    };
    const descriptions = Object.fromEntries(
      versions.filter((v) => v.description).map((v) => [v.id, v.description as string]),
    );
    if (Object.keys(descriptions).length > 0) out.descriptions = descriptions;
    if (options.resolveLabels) {
      // One request per version: Phoenix lists tags per version only.
      out.labelVersions = {};
      for (const v of versions) {
        const tags = await this.client.listPromptVersionTags(v.id);
        for (const t of tags.data) {
          if (out.labelVersions[t.name] === undefined) out.labelVersions[t.name] = v.id;
          if (!out.labels.includes(t.name)) out.labels.push(t.name);
        }
      }
    }
    return out;
  }

  async get(name: string, selector: PromptSelector = {}): Promise<PromptTemplate> {
    const baseUrl = this.client.baseUrl;
    if (selector.version !== undefined) {
      const cached = this.byVersion.get(`${name}@${selector.version}`);
      if (cached) return cached;
      const version = (await this.allVersions(name)).find((v) => v.id === selector.version);
      if (version) return this.remember(name, version);
      // Not a version of this prompt: a tag spelled with @.
      return this.byTag(name, selector.version, `version or tag ${selector.version}`);
    }
    if (selector.label !== undefined) return this.byTag(name, selector.label, `tag ${selector.label}`);
    const res = await this.client
      .getLatestPromptVersion(name, notFound(name, 'latest version', baseUrl))
      .catch((err: unknown) => {
        throw isInvalid(err) ? new PhoenixPromptNotFoundError(name, 'latest version', baseUrl) : err;
      });
    return this.remember(name, res.data);
  }

  private async byTag(name: string, tag: string, which: string): Promise<PromptTemplate> {
    const baseUrl = this.client.baseUrl;
    const res = await this.client
      .getPromptVersionByTag(name, tag, notFound(name, which, baseUrl))
      .catch((err: unknown) => {
        throw isInvalid(err) ? new PhoenixPromptNotFoundError(name, which, baseUrl) : err;
      });
    return this.remember(name, res.data);
  }

  private remember(name: string, version: PhoenixPromptVersion): PromptTemplate {
    const template = promptTemplateFromPhoenix(name, version);
    this.byVersion.set(`${name}@${version.id}`, template);
    return template;
  }

  /** Every version of a prompt, newest first (Phoenix answers none for an unknown prompt). */
  private async allVersions(name: string): Promise<PhoenixPromptVersion[]> {
    const out: PhoenixPromptVersion[] = [];
    let cursor: string | undefined;
    let pages = 0;
    try {
      do {
        const res = await this.client.listPromptVersions(name, cursor, () => undefined);
        out.push(...res.data);
        cursor = res.next_cursor ?? undefined;
      } while (cursor && ++pages < MAX_PAGES);
    } catch (err) {
      // Not a valid prompt name (Phoenix: 422 "Invalid prompt identifier"): no such prompt.
      if (isInvalid(err) || (err instanceof PhoenixHttpError && err.status === 404)) return [];
      throw err;
    }
    return out;
  }
}
