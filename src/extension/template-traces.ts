// Which recorded traces used a prompt template: LLM spans linked to it by name (the prompt name
// recorded on the span = the template's front-matter/JSON name, else the file's base name), or
// whose messages match the template's text. Reads at most `cap` of the newest traces.
import * as path from 'node:path';
import type { Trace, TraceSummary } from '../core/model/trace';
import { spanMatchesTemplate } from '../core/prompts/apply-template';
import type { PromptTemplate } from '../core/prompts/prompt-template';
import type { TraceStore } from '../core/store/trace-store';

export const TEMPLATE_SCAN_CAP = 200;

const TEMPLATE_SUFFIXES = ['.txt', '.md', '.json', '.prompt', '.mustache', '.hbs', '.jinja', '.jinja2', '.j2'];

/** `summarize.prompt.md` -> `summarize`. */
export function fileBaseName(fileName: string): string {
  let name = path.basename(fileName);
  for (let changed = true; changed; ) {
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

/** The prompt names a template file answers to. */
export function templateNames(template: PromptTemplate, fileName: string): string[] {
  return [...new Set([template.name, fileBaseName(fileName)].filter((n): n is string => !!n))];
}

/** The LLM spans of `trace` that used the template. */
export function spansUsingTemplate(trace: Trace, template: PromptTemplate, names: string[]): string[] {
  const ids: string[] = [];
  for (const span of trace.spans) {
    const llm = span.llm;
    if (span.kind !== 'llm' || !llm) continue;
    const linked = llm.prompt?.name !== undefined && names.includes(llm.prompt.name);
    if (linked || spanMatchesTemplate(llm, template)) ids.push(span.id);
  }
  return ids;
}

export interface TemplateUse {
  summary: TraceSummary;
  spanIds: string[];
}

export interface TemplateUses {
  uses: TemplateUse[];
  /** Traces read; `capped` when older traces were not looked at. */
  scanned: number;
  capped: boolean;
}

export async function findTemplateUses(store: TraceStore, template: PromptTemplate, fileName: string, cap = TEMPLATE_SCAN_CAP): Promise<TemplateUses> {
  const names = templateNames(template, fileName);
  const candidates = (await store.listTraces({ filter: { origin: 'recorded' } })).filter(s => s.llmSpanCount > 0);
  const scanned = candidates.slice(0, cap);
  const uses: TemplateUse[] = [];
  for (const summary of scanned) {
    const trace = await store.getTrace(summary.id);
    if (!trace) continue;
    const spanIds = spansUsingTemplate(trace, template, names);
    if (spanIds.length) uses.push({ summary, spanIds });
  }
  return { uses, scanned: scanned.length, capped: candidates.length > cap };
}
