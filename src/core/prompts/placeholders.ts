// Placeholder syntaxes of prompt templates, tokenized into literal text and variable segments so
// rendering and variable recovery (template-match.ts) share one reading of a template.
//
// Mustache ({{var}}, as Langfuse): `{{var}}`, `{{ var }}`, `{{{var}}}` and `{{& var}}` are all the
// same plain substitution (prompts are not HTML, so nothing is escaped); dotted names `{{a.b}}`;
// `{{! comment }}` is dropped. Sections, inverted sections, partials and delimiter changes
// (`{{#x}}`, `{{^x}}`, `{{/x}}`, `{{> x}}`, `{{=<% %>=}}`) are rejected: rendering them half-way
// would send a prompt nobody wrote. A `{{...}}` whose inside is not a name (JSON in an example,
// say) stays literal text, unless `strictBraces` (Jinja files) where it is an error.
//
// F-string ({var}, as OpenInference / Python str.format / LangChain): `{var}`, dotted `{a.b}`;
// `{{` and `}}` are literal braces. `{var!r}` / `{var:spec}` are rejected (we cannot apply Python
// conversions). A lone `{` or `}` that forms no placeholder stays literal, as recorded templates
// from other tools sometimes carry them.
import { TemplateParseError } from './template-errors';
import type { PlaceholderSyntax } from './prompt-template';

export type Segment = { kind: 'text'; text: string } | { kind: 'var'; name: string };

const MUSTACHE_NAME = /^[\w$-]+(?:\.[\w$-]+)*$/;
const FSTRING_VAR = /^\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\}/;
const FSTRING_FORMATTED = /^\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)([!:][^{}]*)\}/;
// A mustache tag with a plain name (optionally triple-braced or `&`-prefixed) anywhere in the text.
const MUSTACHE_TAG = /\{\{\{?\s*&?\s*[\w$-]+(?:\.[\w$-]+)*\s*\}?\}\}/;
const FSTRING_TAG = /(?<!\{)\{[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\}(?!\})/;

/** `{{var}}` anywhere -> mustache; else a `{var}` -> fstring; no placeholder at all -> mustache,
 *  which keeps every brace literal. */
export function detectSyntax(text: string): PlaceholderSyntax {
  if (MUSTACHE_TAG.test(text)) return 'mustache';
  if (FSTRING_TAG.test(text)) return 'fstring';
  return 'mustache';
}

export interface TokenizeOptions {
  /** Jinja-like files: any `{{ ... }}` that is not a plain name, and any `{% %}` / `{# #}`, is an error. */
  strictBraces?: boolean;
}

export function tokenize(text: string, syntax: PlaceholderSyntax, options: TokenizeOptions = {}): Segment[] {
  return merge(syntax === 'mustache' ? tokenizeMustache(text, options) : tokenizeFString(text));
}

export function variableNames(segments: Segment[]): string[] {
  const names: string[] = [];
  for (const s of segments) if (s.kind === 'var' && !names.includes(s.name)) names.push(s.name);
  return names;
}

/** Exact key first (recovered variables are flat, `a.b` included), then a dotted path through objects. */
export function lookupVariable(variables: Record<string, unknown>, name: string): { found: boolean; value?: unknown } {
  if (Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined)
    return { found: true, value: variables[name] };
  if (!name.includes('.')) return { found: false };
  let cur: unknown = variables;
  for (const key of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key))
      return { found: false };
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? { found: false } : { found: true, value: cur };
}

/** Strings as they are; null renders empty (as Mustache does); objects and arrays as JSON. */
export function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as number | boolean | bigint);
}

/** Renders segments; returns the names that had no value instead of rendering a hole. */
export function renderSegments(
  segments: Segment[],
  variables: Record<string, unknown>,
): { text: string; missing: string[] } {
  let text = '';
  const missing: string[] = [];
  for (const s of segments) {
    if (s.kind === 'text') {
      text += s.text;
      continue;
    }
    const v = lookupVariable(variables, s.name);
    if (!v.found) {
      if (!missing.includes(s.name)) missing.push(s.name);
      continue;
    }
    text += stringifyValue(v.value);
  }
  return { text, missing };
}

function tokenizeMustache(text: string, options: TokenizeOptions): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let lit = '';
  while (i < text.length) {
    if (options.strictBraces && (text.startsWith('{%', i) || text.startsWith('{#', i))) {
      throw unsupported(
        `Jinja blocks such as "${excerpt(text, i)}" are not supported; use only {{ name }} placeholders`,
      );
    }
    if (!text.startsWith('{{', i)) {
      lit += text[i];
      i++;
      continue;
    }
    const triple = text[i + 2] === '{';
    const close = triple ? '}}}' : '}}';
    const innerStart = i + (triple ? 3 : 2);
    const end = text.indexOf(close, innerStart);
    if (end < 0) {
      lit += '{{';
      i += 2;
      continue;
    }
    const inner = text.slice(innerStart, end).trim();
    const tagEnd = end + close.length;
    const sigil = inner[0];
    const rest = inner.slice(1).trim();
    if (!triple && sigil === '!') {
      i = tagEnd;
      continue;
    }
    if (!triple && (sigil === '#' || sigil === '^' || sigil === '/' || sigil === '>') && MUSTACHE_NAME.test(rest)) {
      throw unsupported(
        `Mustache sections and partials such as "${text.slice(i, tagEnd)}" are not supported; use only {{name}} placeholders`,
      );
    }
    if (!triple && sigil === '=' && inner.endsWith('=')) {
      throw unsupported(`Mustache delimiter changes such as "${text.slice(i, tagEnd)}" are not supported`);
    }
    const name = !triple && sigil === '&' ? rest : inner;
    if (MUSTACHE_NAME.test(name)) {
      if (lit) {
        out.push({ kind: 'text', text: lit });
        lit = '';
      }
      out.push({ kind: 'var', name });
      i = tagEnd;
      continue;
    }
    if (options.strictBraces)
      throw unsupported(
        `The expression "${text.slice(i, tagEnd)}" is not a plain variable; only {{ name }} placeholders are supported`,
      );
    lit += '{{';
    i += 2;
  }
  if (lit) out.push({ kind: 'text', text: lit });
  return out;
}

function tokenizeFString(text: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let lit = '';
  while (i < text.length) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      lit += c;
      i += 2;
      continue;
    }
    if (c !== '{') {
      lit += c;
      i++;
      continue;
    }
    const rest = text.slice(i, i + 300);
    const plain = FSTRING_VAR.exec(rest);
    if (plain) {
      if (lit) {
        out.push({ kind: 'text', text: lit });
        lit = '';
      }
      out.push({ kind: 'var', name: plain[1] });
      i += plain[0].length;
      continue;
    }
    const formatted = FSTRING_FORMATTED.exec(rest);
    if (formatted)
      throw unsupported(
        `The placeholder "${formatted[0]}" has a conversion or format spec, which is not supported; use a plain {${formatted[1]}}`,
      );
    lit += c;
    i++;
  }
  if (lit) out.push({ kind: 'text', text: lit });
  return out;
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (s.kind === 'text' && last?.kind === 'text') last.text += s.text;
    else out.push(s);
  }
  return out;
}

function excerpt(text: string, at: number): string {
  const s = text.slice(at, at + 30);
  return s.length < text.length - at ? `${s}...` : s;
}

function unsupported(message: string): TemplateParseError {
  return new TemplateParseError('UNSUPPORTED_SYNTAX', `${message}.`);
}
