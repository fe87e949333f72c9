// A prompt template given to a replay as a new version of a prompt, read from a file.
//
// File formats (chosen by the file name's extension; without a name, JSON is tried first):
// 1. Plain text (.txt, .md, .prompt, .mustache, .hbs, .jinja, .j2, anything not .json): the whole
//    file is one text template. CRLF is read as LF and one final newline is dropped (editors add it;
//    the prompt the app sent rarely ends with it).
//    Optional front matter: when the first line is exactly `---`, a later line is exactly `---`,
//    and every line between is `key: value`, blank, or a `#` comment, those lines are metadata and
//    the template starts after the closing `---`. Keys read: `name`, `version`, `syntax`
//    (`mustache` | `fstring`); other keys are ignored; values may be quoted. Anything else
//    starting with `---` (a Markdown rule) is template text.
// 2. JSON (.json): the Langfuse prompt shape
//      { "name"?, "version"?, "type"?: "text" | "chat", "prompt": string | [{ "role", "content" }] }
//    (`type` is inferred from `prompt` when absent; chat messages may carry Langfuse's
//    `"type": "chatmessage"`; message placeholders are not supported), or a bare array of chat
//    messages [{ "role", "content" }]. Roles: system, user, assistant (developer reads as system).
//
// Placeholder syntax (see placeholders.ts): `{{var}}` anywhere -> mustache, else `{var}` -> fstring,
// unless front matter or the caller says which. Jinja files (.jinja, .j2) must use only
// `{{ name }}` placeholders: any other `{{ ... }}` or `{% %}` is a TemplateParseError.
// Every template is tokenized here, so syntax errors surface when the file is read, not per span.
import { errorMessage } from '../util/error-message';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { PromptLink } from '../model/trace';
import { detectSyntax, tokenize, variableNames } from './placeholders';
import { TemplateParseError } from './template-errors';

export type PlaceholderSyntax = 'mustache' | 'fstring'; // {{var}} (Langfuse, Mustache) | {var} (OpenInference, Python f-string/LangChain)

export type TemplateRole = 'system' | 'user' | 'assistant';

export interface PromptTemplate {
  name?: string;
  version?: string;
  kind: 'text' | 'chat';
  /** kind text. */
  text?: string;
  /** kind chat. */
  messages?: { role: TemplateRole; content: string }[];
  syntax: PlaceholderSyntax;
  /** File path, or 'langfuse:<name>@<version>'. */
  source?: string;
}

export interface ParseOptions {
  fileName?: string;
  name?: string;
  version?: string;
  syntax?: PlaceholderSyntax;
}

const JINJA_EXTENSIONS = new Set(['.jinja', '.j2', '.jinja2']);

export function parsePromptTemplate(content: string, options: ParseOptions = {}): PromptTemplate {
  const ext = options.fileName ? extname(options.fileName).toLowerCase() : undefined;
  const source = options.fileName;
  let template: PromptTemplate;
  if (ext === '.json') template = parseJsonTemplate(parseJson(content, source), source);
  else {
    const sniffed = ext === undefined ? sniffJson(content, source) : undefined;
    template = sniffed ?? parseTextFile(content);
  }
  if (options.syntax) template.syntax = options.syntax;
  if (options.name !== undefined) template.name = options.name;
  if (options.version !== undefined) template.version = options.version;
  if (source !== undefined) template.source = source;
  validate(template, ext !== undefined && JINJA_EXTENSIONS.has(ext));
  return template;
}

export async function loadPromptTemplateFile(
  path: string,
  options: { name?: string; version?: string } = {},
): Promise<PromptTemplate> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : errorMessage(err);
    throw new TemplateParseError(
      'UNREADABLE_FILE',
      `Cannot read the prompt template ${path} (${reason}); check the path.`,
      path,
    );
  }
  return parsePromptTemplate(content, { ...options, fileName: path });
}

/** The old template a span recorded (OpenInference llm.prompt_template.template, Traceloop
 *  traceloop.prompt.template), as a PromptTemplate; undefined when none was recorded or it does
 *  not parse (recovery then simply has no old template to go on). */
export function templateFromPromptLink(link: PromptLink | undefined): PromptTemplate | undefined {
  const recorded = link?.template;
  if (recorded === undefined) return undefined;
  try {
    const template =
      typeof recorded === 'string'
        ? { kind: 'text' as const, text: recorded, syntax: detectSyntax(recorded) }
        : chatTemplate(recorded, undefined);
    if (link?.name !== undefined) (template as PromptTemplate).name = link.name;
    if (link?.version !== undefined) (template as PromptTemplate).version = link.version;
    validate(template, false);
    return template;
  } catch (err) {
    if (err instanceof TemplateParseError) return undefined;
    throw err;
  }
}

/** Variables the template uses, in first-use order. */
export function templateVariableNames(template: PromptTemplate): string[] {
  const names: string[] = [];
  for (const text of templateTexts(template)) {
    for (const n of variableNames(tokenize(text, template.syntax))) if (!names.includes(n)) names.push(n);
  }
  return names;
}

export function templateTexts(template: PromptTemplate): string[] {
  return template.kind === 'text' ? [template.text ?? ''] : (template.messages ?? []).map((m) => m.content);
}

/** What PromptLink.template records for this template. */
export function templateForLink(template: PromptTemplate): string | { role: string; content: string }[] {
  return template.kind === 'text'
    ? (template.text ?? '')
    : (template.messages ?? []).map((m) => ({ role: m.role, content: m.content }));
}

function validate(template: PromptTemplate, strictBraces: boolean): void {
  for (const text of templateTexts(template)) tokenize(text, template.syntax, { strictBraces });
}

function parseTextFile(raw: string): PromptTemplate {
  let text = raw.replace(/\r\n/g, '\n');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  const fm = frontMatter(text);
  const body = fm ? fm.body : text;
  const template: PromptTemplate = { kind: 'text', text: body, syntax: fm?.syntax ?? detectSyntax(body) };
  if (fm?.name) template.name = fm.name;
  if (fm?.version) template.version = fm.version;
  return template;
}

function frontMatter(
  text: string,
): { name?: string; version?: string; syntax?: PlaceholderSyntax; body: string } | undefined {
  const lines = text.split('\n');
  if (lines[0] !== '---') return undefined;
  const close = lines.indexOf('---', 1);
  if (close < 0) return undefined;
  const meta: Record<string, string> = {};
  for (const line of lines.slice(1, close)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) return undefined;
    meta[m[1]] = unquote(m[2].trim());
  }
  const out: { name?: string; version?: string; syntax?: PlaceholderSyntax; body: string } = {
    body: lines.slice(close + 1).join('\n'),
  };
  if (meta.name) out.name = meta.name;
  if (meta.version) out.version = meta.version;
  if (meta.syntax !== undefined) {
    if (meta.syntax !== 'mustache' && meta.syntax !== 'fstring') {
      throw new TemplateParseError(
        'INVALID_SHAPE',
        `The front matter's syntax "${meta.syntax}" is unknown; use mustache or fstring.`,
      );
    }
    out.syntax = meta.syntax;
  }
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

function parseJson(content: string, source: string | undefined): unknown {
  try {
    return JSON.parse(content);
  } catch (err) {
    throw new TemplateParseError(
      'INVALID_JSON',
      `The prompt template${source ? ` ${source}` : ''} is not valid JSON (${errorMessage(err)}); fix the file or give it a text extension.`,
      source,
    );
  }
}

/** Without a file name, content is JSON only when it parses and has a template's shape, so a
 *  text template that happens to start with `{` stays text. */
function sniffJson(content: string, source: string | undefined): PromptTemplate | undefined {
  const t = content.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return undefined;
  }
  try {
    return parseJsonTemplate(value, source);
  } catch (err) {
    if (err instanceof TemplateParseError) return undefined;
    throw err;
  }
}

function parseJsonTemplate(value: unknown, source: string | undefined): PromptTemplate {
  if (Array.isArray(value)) return chatTemplate(value, source);
  if (!isRecord(value) || value.prompt === undefined)
    throw shapeError(source, 'expected an object with "prompt" or an array of chat messages');
  const { prompt, type } = value;
  if (type !== undefined && type !== 'text' && type !== 'chat')
    throw shapeError(source, `"type" must be "text" or "chat", not ${JSON.stringify(type)}`);
  let template: PromptTemplate;
  if (typeof prompt === 'string') {
    if (type === 'chat') throw shapeError(source, '"type" is "chat" but "prompt" is a string');
    template = { kind: 'text', text: prompt, syntax: detectSyntax(prompt) };
  } else if (Array.isArray(prompt)) {
    if (type === 'text') throw shapeError(source, '"type" is "text" but "prompt" is a list of messages');
    template = chatTemplate(prompt, source);
  } else {
    throw shapeError(source, '"prompt" must be a string or a list of messages');
  }
  if (typeof value.name === 'string' && value.name) template.name = value.name;
  if ((typeof value.version === 'string' && value.version) || typeof value.version === 'number')
    template.version = String(value.version);
  return template;
}

function chatTemplate(list: unknown[], source: string | undefined): PromptTemplate {
  if (list.length === 0) throw shapeError(source, 'the list of messages is empty');
  const messages = list.map((m, i) => {
    if (!isRecord(m)) throw shapeError(source, `message ${i} is not an object`);
    if (m.type === 'placeholder')
      throw shapeError(source, `message ${i} is a message placeholder, which is not supported`);
    const role = m.role === 'developer' ? 'system' : m.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant')
      throw shapeError(source, `message ${i} has role ${JSON.stringify(m.role)}; use system, user or assistant`);
    if (typeof m.content !== 'string') throw shapeError(source, `message ${i} needs a string "content"`);
    return { role: role as TemplateRole, content: m.content };
  });
  return { kind: 'chat', messages, syntax: detectSyntax(messages.map((m) => m.content).join('\n')) };
}

function shapeError(source: string | undefined, what: string): TemplateParseError {
  return new TemplateParseError(
    'INVALID_SHAPE',
    `The prompt template${source ? ` ${source}` : ''} is not a usable template: ${what}.`,
    source,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
