// Everything before enqueueing a replay of traces from a source: platform traces are copied into
// the store (a gone trace is a PlatformError TRACE_GONE), `--prompt-version/--prompt-label`
// become a template ref, and a prompt version is read once now, so a wrong name or version fails
// before any LLM call.
import type { Trace } from '../model/trace';
import { TemplateSpecError, type TemplatePromptRef, type TemplateRef } from '../prompts/template-ref';
import { fetchIntoStore } from '../sources/fetch-into-store';
import type { OpenedTraceSource } from '../sources/open-source';
import { PLATFORMS } from '../sources/platform-registry';
import type { TraceStore } from '../store/trace-store';
import type { SessionOpener } from './platform-replay';
import { promptVersionReader, type PromptVersionReader } from './prompt-versions';

export interface SourceReplayOptions {
  /** Platforms: read the traces again instead of the copies already in the store. */
  refresh?: boolean;
  template?: TemplateRef;
  /** Shorthand for that version / label of the one prompt the spans are linked to. */
  promptVersion?: string;
  promptLabel?: string;
  /** Opens the connection of a prompt version that is not the traces' own. */
  open: SessionOpener;
}

export interface SourceReplayPlan {
  /** Store ids of the traces to replay, in the order given. */
  traceIds: string[];
  template?: TemplateRef;
  /** For createReplayServices' template sources. */
  promptVersions: PromptVersionReader;
}

/** The one prompt the traces' LLM spans are linked to, at another version or label, on the
 *  traces' platform (for local traces: the first platform that keeps prompts). */
export function linkedPromptRef(
  traces: Trace[],
  platform: string,
  selector: { version?: string; label?: string },
): TemplatePromptRef {
  const names = new Set<string>();
  for (const t of traces) for (const s of t.spans) if (s.llm?.prompt?.name) names.add(s.llm.prompt.name);
  if (names.size === 0) {
    throw new TemplateSpecError(
      `No LLM span of the trace is linked to a prompt, so there is no prompt to take another version of; name one with --template ${platform}:<name>@<version>.`,
    );
  }
  if (names.size > 1) {
    throw new TemplateSpecError(
      `The LLM spans are linked to several prompts (${[...names].join(', ')}); pick one with --template ${platform}:<name>@<version>.`,
    );
  }
  return { kind: 'prompt', platform, name: [...names][0], ...selector };
}

export async function prepareSourceReplay(
  source: OpenedTraceSource,
  store: TraceStore,
  traceIds: string[],
  options: SourceReplayOptions,
): Promise<SourceReplayPlan> {
  const shorthand = options.promptVersion !== undefined || options.promptLabel !== undefined;
  const ids: string[] = [];
  const traces: Trace[] = [];
  for (const id of traceIds) {
    if (source.kind === 'platform') {
      const fetched = await fetchIntoStore(source, store, id, { refresh: options.refresh });
      ids.push(fetched.localId);
      traces.push(fetched.trace);
    } else {
      // A missing local trace fails its job in the queue, as before; only the shorthand reads them.
      ids.push(id);
      const trace = shorthand ? await store.getTrace(id) : undefined;
      if (trace) traces.push(trace);
    }
  }
  const session = source.kind === 'platform' ? source.session : undefined;
  const plan: SourceReplayPlan = {
    traceIds: ids,
    template: options.template,
    promptVersions: promptVersionReader(options.open, session),
  };
  if (shorthand) {
    if (options.template !== undefined)
      throw new TemplateSpecError(
        'Give either a template (--template) or a prompt version/label of the linked prompt, not both.',
      );
    if (options.promptVersion !== undefined && options.promptLabel !== undefined)
      throw new TemplateSpecError('Give either a prompt version or a prompt label, not both.');
    const platform = session?.descriptor.id ?? PLATFORMS.find((p) => p.capabilities.includes('prompts'))!.id;
    plan.template = linkedPromptRef(
      traces,
      platform,
      options.promptVersion !== undefined ? { version: options.promptVersion } : { label: options.promptLabel },
    );
  }
  if (plan.template?.kind === 'prompt') await plan.promptVersions(plan.template);
  return plan;
}
