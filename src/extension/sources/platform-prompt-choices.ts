// The prompt versions the Replay Trace wizard offers: for each platform prompt the traces' LLM spans
// were rendered from, its labels (tags) and versions (one request per prompt name), each as the
// template ref the replay engine reads. No `vscode` import (unit-tested in Node).
import type { Trace } from '../../core/model/trace';
import { formatTemplateRef, type TemplatePromptRef } from '../../core/prompts/template-ref';
import type { PlatformDescriptor, PlatformPrompts } from '../../core/sources/platform';

export interface PlatformPromptChoice {
  ref: TemplatePromptRef;
  /** formatTemplateRef(ref): `langfuse[prod]:<name>@<version>`, `phoenix:<name>#<tag>`. */
  spec: string;
  promptName: string;
  /** "weather-system v4", "weather-system #staging". */
  label: string;
  /** "recorded", "newest", "label", "tag". */
  description?: string;
  /** The LLM spans linked to this prompt (the template applies to these). */
  spanIds: string[];
}

export interface LinkedPrompt {
  spanIds: string[];
  /** Versions the spans recorded, as the platform spells them. */
  recordedVersions: Set<string>;
}

/** Prompts of the platform's prompt management the LLM spans were rendered from: spans of a trace
 *  read from that platform, or linked through the platform's own attributes, that name a prompt. */
export function linkedPlatformPrompts(traces: Trace[], platform: string): Map<string, LinkedPrompt> {
  const out = new Map<string, LinkedPrompt>();
  for (const trace of traces) {
    const fromPlatform = trace.source?.kind === platform;
    for (const span of trace.spans) {
      const link = span.llm?.prompt;
      if (!link?.name || !(fromPlatform || link.source === platform)) continue;
      let entry = out.get(link.name);
      if (!entry) out.set(link.name, (entry = { spanIds: [], recordedVersions: new Set() }));
      entry.spanIds.push(span.id);
      if (link.version !== undefined) entry.recordedVersions.add(String(link.version));
    }
  }
  return out;
}

/** Labels then versions (newest first) of every linked prompt the platform has; prompts it does not
 *  have are left out. Throws the platform's PlatformError (keys, URL, rate limit). */
export async function platformPromptChoices(
  traces: Trace[],
  platform: PlatformDescriptor,
  prompts: PlatformPrompts,
  connection?: string,
): Promise<PlatformPromptChoice[]> {
  const choices: PlatformPromptChoice[] = [];
  const word = platform.promptLabelWord ?? 'label';
  const choice = (
    ref: TemplatePromptRef,
    label: string,
    spanIds: string[],
    description?: string,
  ): PlatformPromptChoice => {
    const pinned = connection === undefined ? ref : { ...ref, connection };
    return { ref: pinned, spec: formatTemplateRef(pinned), promptName: ref.name, label, description, spanIds };
  };
  for (const [name, linked] of linkedPlatformPrompts(traces, platform.id)) {
    // Labels resolved: Phoenix lists a prompt's tags per version only (Langfuse: one request per label).
    const list = await prompts.versions(name, { resolveLabels: true });
    if (!list) continue;
    // "latest" is Langfuse's automatic label of the newest version, listed as that version.
    const labels = list.labels
      .filter((l) => l !== 'latest')
      .sort((a, b) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)));
    for (const label of labels) {
      choices.push(
        choice({ kind: 'prompt', platform: platform.id, name, label }, `${name} #${label}`, linked.spanIds, word),
      );
    }
    list.versions.forEach((version, i) => {
      // Numbered versions (Langfuse) show their number; opaque ids (Phoenix) their place, oldest 1,
      // with the id in the description.
      const numbered = /^\d+$/.test(version);
      const notes = [
        linked.recordedVersions.has(version) ? 'recorded' : undefined,
        i === 0 ? 'newest' : undefined,
        list.descriptions?.[version],
        numbered ? undefined : `id ${version}`,
      ].filter(Boolean);
      const shown = numbered ? `v${version}` : `v${list.versions.length - i}`;
      choices.push(
        choice(
          { kind: 'prompt', platform: platform.id, name, version },
          `${name} ${shown}`,
          linked.spanIds,
          notes.length ? notes.join(', ') : undefined,
        ),
      );
    });
  }
  return choices;
}
