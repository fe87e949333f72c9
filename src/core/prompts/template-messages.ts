// Which recorded messages came from a template. Three ways, from surest to weakest (apply-template.ts
// tries them in this order): the old template rendered with the recorded variables equals them;
// the old template matches them (recovering the variables); or, with no old template, they
// contain every recorded variable value.
import type { Message } from '../model/trace';
import { renderSegments, stringifyValue, tokenize, type Segment } from './placeholders';
import type { PromptTemplate } from './prompt-template';
import { MESSAGE_SEPARATOR, matchTemplateText, normalizeText, type TemplateMatch } from './template-match';

/** A contiguous run of messages: one for a text template, one per message for a chat template. */
export interface MessageRun {
  start: number;
  count: number;
}

/** The text a template could have produced: the text parts, joined. Tool messages and messages
 *  without text (tool calls only, images only) cannot come from a template. */
export function messageText(m: Message): string | undefined {
  if (m.role === 'tool') return undefined;
  const texts = m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));
  return texts.length ? texts.join('') : undefined;
}

/** The message with its text replaced: one text part where the first one was, other parts (an
 *  image sent with the prompt, say) kept in place. */
export function withText(m: Message, text: string): Message {
  const parts: Message['parts'] = [];
  let placed = false;
  for (const p of m.parts) {
    if (p.type !== 'text') {
      parts.push(p);
      continue;
    }
    if (!placed) {
      parts.push({ type: 'text', text });
      placed = true;
    }
  }
  if (!placed) parts.unshift({ type: 'text', text });
  return { ...m, parts };
}

/** Runs whose text equals the old template rendered with `variables` (CRLF and surrounding
 *  whitespace forgiven), in message order. */
export function runsByRender(
  messages: Message[],
  old: PromptTemplate,
  variables: Record<string, unknown>,
): MessageRun[] {
  const rendered: string[] = [];
  for (const text of texts(old)) {
    const r = renderSegments(tokenize(text, old.syntax), variables);
    if (r.missing.length) return [];
    rendered.push(comparable(r.text));
  }
  return windows(messages, old)
    .filter((w) => w.texts.every((t, j) => comparable(t) === rendered[j]))
    .map((w) => w.run);
}

/** Runs the old template matches, with the variables recovered from each, in message order. */
export function runsByMatch(messages: Message[], old: PromptTemplate): { run: MessageRun; match: TemplateMatch }[] {
  const segments = joinSegments(texts(old).map((t) => tokenize(t, old.syntax)));
  const out: { run: MessageRun; match: TemplateMatch }[] = [];
  for (const w of windows(messages, old)) {
    const match = matchTemplateText(segments, w.texts.join(MESSAGE_SEPARATOR));
    if (match) out.push({ run: w.run, match });
  }
  return out;
}

/** With no old template to go on: for a text template, the first system message containing every
 *  recorded value, else the first such user message; for a chat template, the first run with the
 *  template's roles whose text contains every value. */
export function runByValues(
  messages: Message[],
  shape: PromptTemplate,
  variables: Record<string, unknown>,
): MessageRun | undefined {
  const values = Object.values(variables)
    .map(stringifyValue)
    .filter((v) => v !== '')
    .map(normalizeText);
  const hasAll = (text: string) => values.every((v) => normalizeText(text).includes(v));
  if (shape.kind === 'chat') return windows(messages, shape).find((w) => hasAll(w.texts.join('\n')))?.run;
  for (const role of ['system', 'user'] as const) {
    const i = messages.findIndex((m) => {
      const text = m.role === role ? messageText(m) : undefined;
      return text !== undefined && hasAll(text);
    });
    if (i >= 0) return { start: i, count: 1 };
  }
  return undefined;
}

function texts(template: PromptTemplate): string[] {
  return template.kind === 'text' ? [template.text ?? ''] : (template.messages ?? []).map((m) => m.content);
}

/** Candidate runs: every message with text for a text template; every run of messages with the
 *  chat template's roles, in order, for a chat template. */
function windows(messages: Message[], template: PromptTemplate): { run: MessageRun; texts: string[] }[] {
  const roles = template.kind === 'chat' ? (template.messages ?? []).map((m) => m.role) : undefined;
  const size = roles?.length ?? 1;
  const out: { run: MessageRun; texts: string[] }[] = [];
  for (let start = 0; start + size <= messages.length; start++) {
    const run = messages.slice(start, start + size);
    if (roles && run.some((m, j) => m.role !== roles[j])) continue;
    const runTexts = run.map(messageText);
    if (runTexts.some((t) => t === undefined)) continue;
    out.push({ run: { start, count: size }, texts: runTexts as string[] });
  }
  return out;
}

function joinSegments(lists: Segment[][]): Segment[] {
  const out: Segment[] = [];
  lists.forEach((list, i) => {
    if (i > 0) push({ kind: 'text', text: MESSAGE_SEPARATOR });
    list.forEach(push);
  });
  return out;

  function push(s: Segment) {
    const last = out[out.length - 1];
    if (s.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + s.text };
    else out.push(s);
  }
}

function comparable(text: string): string {
  return normalizeText(text).trim();
}
