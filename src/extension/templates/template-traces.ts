// Which recorded traces used a prompt template, by the replay engine's rule (linked by name — the
// template's front-matter/JSON name or the file's base name —, by text, or the one template the
// trace recorded). Reads at most `cap` of the newest traces.
import type { Trace, TraceSummary } from '../../core/model/trace';
import type { PromptTemplate } from '../../core/prompts/prompt-template';
import { fileBaseName, linkTemplate, templateNames } from '../../core/prompts/template-link';
import type { TraceStore } from '../../core/store/trace-store';

export { fileBaseName, templateNames };

export const TEMPLATE_SCAN_CAP = 200;

/** The LLM spans of `trace` that used the template, by the replay engine's own rule
 *  (core/prompts/template-link.ts), so the CodeLens count and the replay agree. */
export function spansUsingTemplate(trace: Trace, template: PromptTemplate, names: string[]): string[] {
  return linkTemplate(trace, template, names).spanIds;
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

export async function findTemplateUses(
  store: TraceStore,
  template: PromptTemplate,
  fileName: string,
  cap = TEMPLATE_SCAN_CAP,
): Promise<TemplateUses> {
  const names = templateNames(template, fileName);
  const candidates = (await store.listTraces({ filter: { origin: 'recorded' } })).filter((s) => s.llmSpanCount > 0);
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
