// Which LLM spans of a trace a new prompt-template version applies to. One rule for the replay
// engine, the CLI and VS Code (Replay with This Prompt Version and its CodeLens count), so an
// override never does nothing silently:
//   1. spans linked to it by name (the prompt name the span recorded is the template's name or the
//      file's base name), or whose messages match its literal text;
//   2. else, when the trace recorded exactly one template text (OpenInference
//      llm.prompt_template.template, Traceloop traceloop.prompt.template) on one or more spans,
//      under no prompt name, and the new version needs no variable those spans lack — the user is
//      giving a new version of that template — those spans;
//   3. else nothing: the caller refuses before sending, naming the templates the trace recorded and
//      how to pick (`--span`, a prompt name).
import * as path from 'node:path';
import type { Span, Trace } from '../model/trace';
import { spanMatchesTemplate } from './apply-template';
import { templateForLink, templateFromPromptLink, templateVariableNames, type PromptTemplate } from './prompt-template';

export type TemplateLinkHow = 'name' | 'text' | 'recorded-template' | 'chosen';

export interface TemplateLink {
  /** LLM span ids the template applies to, in trace order; empty when none. */
  spanIds: string[];
  how?: TemplateLinkHow;
  /** Why no span is linked (one sentence naming the recorded templates and how to pick). */
  reason?: string;
  /** Said on the replay when the link was inferred (rule 2). */
  warning?: string;
}

interface RecordedTemplate {
  key: string;
  text: string;
  name?: string;
  spanIds: string[];
}

const PREVIEW = 60;

const TEMPLATE_SUFFIXES = ['.txt', '.md', '.json', '.prompt', '.mustache', '.hbs', '.jinja', '.jinja2', '.j2'];

/** `summarize.prompt.md` -> `summarize`. */
export function fileBaseName(fileName: string): string {
  let name = path.basename(fileName);
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of TEMPLATE_SUFFIXES) {
      if (name.toLowerCase().endsWith(suffix) && name.length > suffix.length) {
        name = name.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return name;
}

/** The prompt names a template answers to: its own (front matter / JSON / platform) name and, for a
 *  file, the file's base name. */
export function templateNames(template: PromptTemplate, fileName?: string): string[] {
  return [
    ...new Set(
      [template.name, fileName !== undefined ? fileBaseName(fileName) : undefined].filter((n): n is string => !!n),
    ),
  ];
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW ? `${flat.slice(0, PREVIEW - 1)}…` : flat;
}

function llmSpans(trace: Trace): Span[] {
  return trace.spans.filter((s) => s.kind === 'llm' && s.llm !== undefined);
}

/** The distinct template texts the trace's LLM spans recorded, with the spans that recorded each. */
export function recordedTemplates(trace: Trace): RecordedTemplate[] {
  const byKey = new Map<string, RecordedTemplate>();
  for (const span of llmSpans(trace)) {
    const recorded = span.llm!.prompt?.template;
    if (recorded === undefined) continue;
    const text = typeof recorded === 'string' ? recorded : recorded.map((m) => `${m.role}: ${m.content}`).join('\n');
    const key = JSON.stringify(recorded);
    let entry = byKey.get(key);
    if (!entry) {
      entry = { key, text, spanIds: [] };
      if (span.llm!.prompt?.name !== undefined) entry.name = span.llm!.prompt.name;
      byKey.set(key, entry);
    }
    entry.spanIds.push(span.id);
  }
  return [...byKey.values()];
}

/** Every variable the new version needs was recorded (or is a variable of the recorded template). */
function variablesFit(template: PromptTemplate, trace: Trace, recorded: RecordedTemplate): boolean {
  const known = new Set<string>();
  for (const span of llmSpans(trace)) {
    if (!recorded.spanIds.includes(span.id)) continue;
    const link = span.llm!.prompt;
    for (const k of Object.keys(link?.variables ?? {})) known.add(k);
    const old = templateFromPromptLink(link);
    if (old) for (const n of templateVariableNames(old)) known.add(n);
  }
  return templateVariableNames(template).every((n) => known.has(n) || known.has(n.split('.')[0]));
}

function describeTemplate(template: PromptTemplate): string {
  if (template.source !== undefined) return template.source;
  if (template.name !== undefined)
    return `"${template.name}"${template.version !== undefined ? ` version ${template.version}` : ''}`;
  return `"${preview(JSON.stringify(templateForLink(template)))}"`;
}

function describeRecorded(list: RecordedTemplate[]): string {
  return list
    .map((t) => `${t.name !== undefined ? `"${t.name}" ` : ''}"${preview(t.text)}" on span ${t.spanIds.join(', ')}`)
    .join('; ');
}

/**
 * The spans of `trace` that `template` applies to. `names` are the prompt names it answers to (its
 * own name, a file's base name); `chosen` are span ids the user picked (they must be LLM spans of
 * the trace).
 */
export function linkTemplate(
  trace: Trace,
  template: PromptTemplate,
  names: readonly string[] = [],
  chosen?: readonly string[],
): TemplateLink {
  const spans = llmSpans(trace);
  const what = describeTemplate(template);
  if (chosen !== undefined && chosen.length > 0) {
    const ids = new Set(spans.map((s) => s.id));
    const unknown = chosen.filter((id) => !ids.has(id));
    if (unknown.length) {
      return {
        spanIds: [],
        reason: `The template ${what} was given for span ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not LLM spans' : 'is not an LLM span'} of trace ${trace.id}; pick among ${spans.map((s) => s.id).join(', ') || 'none (the trace has no LLM span)'}.`,
      };
    }
    return { spanIds: spans.filter((s) => chosen.includes(s.id)).map((s) => s.id), how: 'chosen' };
  }
  const allNames = [...new Set([template.name, ...names].filter((n): n is string => n !== undefined && n !== ''))];
  const byName = spans.filter((s) => s.llm!.prompt?.name !== undefined && allNames.includes(s.llm!.prompt.name));
  if (byName.length) return { spanIds: byName.map((s) => s.id), how: 'name' };
  const byText = spans.filter((s) => spanMatchesTemplate(s.llm!, template));
  if (byText.length) return { spanIds: byText.map((s) => s.id), how: 'text' };
  const recorded = recordedTemplates(trace);
  // Rule 2 holds only for a template recorded without a prompt name (a named one came from another
  // prompt), and only when the new version needs no variable the recorded one did not have.
  if (recorded.length === 1 && recorded[0].name === undefined && variablesFit(template, trace, recorded[0])) {
    const only = recorded[0];
    return {
      spanIds: only.spanIds,
      how: 'recorded-template',
      warning: `the template ${what} was taken as a new version of the one template this trace recorded ("${preview(only.text)}"), on ${only.spanIds.length > 1 ? 'spans' : 'span'} ${only.spanIds.join(', ')}`,
    };
  }
  const pick = `pick the spans with --span <id> (in VS Code: the span's Replay button), or give the template the recorded prompt name (a \`name:\` line in its front matter)`;
  if (recorded.length > 0) {
    const which = recorded.length > 1 ? `${recorded.length} different templates` : 'one template';
    const why =
      recorded.length > 1
        ? ''
        : recorded[0].name !== undefined
          ? ', under another prompt name'
          : `, but the new version needs variables that template's spans did not record (${templateVariableNames(
              template,
            )
              .map((n) => `"${n}"`)
              .join(', ')})`;
    return {
      spanIds: [],
      reason: `The template ${what} links to no LLM span of trace ${trace.id}; the trace recorded ${which} (${describeRecorded(recorded)})${why}; ${pick}.`,
    };
  }
  return {
    spanIds: [],
    reason: `The template ${what} links to no LLM span of trace ${trace.id}: no span recorded a prompt name it answers to${allNames.length ? ` (${allNames.map((n) => `"${n}"`).join(', ')})` : ''}, a template, or messages that match its text; ${pick}.`,
  };
}
