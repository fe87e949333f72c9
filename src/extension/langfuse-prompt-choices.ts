// The Langfuse prompt versions the Replay Trace wizard offers: for each Langfuse prompt the traces'
// LLM spans were rendered from, its labels and versions (one request per prompt name), each as the
// `langfuse:` template spec the replay engine understands. No `vscode` import (unit-tested in Node).
import type { Trace } from '../core/model/trace';
import { formatLangfuseTemplateSpec } from '../core/replay/langfuse-template-spec';
import type { LangfusePrompts } from '../core/sources/langfuse/langfuse-prompts';

export interface LangfusePromptChoice {
  /** `langfuse:<name>@<version>` or `langfuse:<name>#<label>`. */
  spec: string;
  promptName: string;
  /** "weather-system v4", "weather-system #staging". */
  label: string;
  /** "recorded", "newest". */
  description?: string;
  /** The LLM spans linked to this prompt (the template applies to these). */
  spanIds: string[];
}

export interface LinkedPrompt {
  spanIds: string[];
  /** Versions the spans recorded (as Langfuse numbers them). */
  recordedVersions: Set<number>;
}

/** Prompts of Langfuse prompt management the LLM spans were rendered from: spans of a trace read
 *  from Langfuse, or linked through Langfuse's own attributes, that name a prompt. */
export function langfuseLinkedPrompts(traces: Trace[]): Map<string, LinkedPrompt> {
  const out = new Map<string, LinkedPrompt>();
  for (const trace of traces) {
    const fromLangfuse = trace.source?.kind === 'langfuse';
    for (const span of trace.spans) {
      const link = span.llm?.prompt;
      if (!link?.name || !(fromLangfuse || link.source === 'langfuse')) continue;
      let entry = out.get(link.name);
      if (!entry) out.set(link.name, (entry = { spanIds: [], recordedVersions: new Set() }));
      entry.spanIds.push(span.id);
      const version = Number(link.version);
      if (link.version !== undefined && Number.isInteger(version)) entry.recordedVersions.add(version);
    }
  }
  return out;
}

/** Labels then versions (newest first) of every linked prompt Langfuse has; prompts it does not
 *  have are left out. Throws the client's LangfuseError (keys, URL, rate limit). */
export async function langfusePromptChoices(traces: Trace[], prompts: LangfusePrompts): Promise<LangfusePromptChoice[]> {
  const choices: LangfusePromptChoice[] = [];
  for (const [name, linked] of langfuseLinkedPrompts(traces)) {
    const list = await prompts.listPromptVersions(name);
    if (!list) continue;
    // "latest" is Langfuse's automatic label of the newest version, listed as that version.
    const labels = list.labels.filter(l => l !== 'latest').sort((a, b) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)));
    for (const label of labels) {
      choices.push({ spec: formatLangfuseTemplateSpec(name, { label }), promptName: name, label: `${name} #${label}`, description: 'label', spanIds: linked.spanIds });
    }
    list.versions.forEach((version, i) => {
      const notes = [linked.recordedVersions.has(version) ? 'recorded' : undefined, i === 0 ? 'newest' : undefined].filter(Boolean);
      choices.push({
        spec: formatLangfuseTemplateSpec(name, { version }), promptName: name, label: `${name} v${version}`,
        description: notes.length ? notes.join(', ') : undefined, spanIds: linked.spanIds,
      });
    });
  }
  return choices;
}
