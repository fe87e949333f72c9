// Langfuse prompt versions as template specs: `langfuse:<name>@<version>`, `langfuse:<name>#<label>`,
// optionally naming the connection (`langfuse[<connection>]:...`). Pure (no Node or vscode import), so
// the webview recognises the same specs as the engine.
import type { Trace } from '../model/trace';
import type { PromptSelector } from '../sources/langfuse/langfuse-prompts';

export const LANGFUSE_TEMPLATE_PREFIX = 'langfuse:';

export class LangfuseTemplateSpecError extends Error {
  readonly code = 'invalid-template-spec';
  override name = 'LangfuseTemplateSpecError';
}

export interface LangfuseTemplateSpec {
  name: string;
  /** Exactly one of version and label; a bare `langfuse:<name>` means label "production". */
  version?: number;
  label?: string;
  /** The connection the prompt is read from (`langfuse[<connection>]:...`); absent: the caller's. */
  connection?: string;
}

/** `langfuse[<connection>]:` — the connection name up to the first `]`. */
const QUALIFIED_PREFIX = /^langfuse\[([^\]\s]+)\]:/;

export function isLangfuseTemplateSpec(spec: string): boolean {
  return spec.startsWith(LANGFUSE_TEMPLATE_PREFIX) || QUALIFIED_PREFIX.test(spec);
}

/** `langfuse:<name>@<version>`, `langfuse:<name>#<label>` or `langfuse:<name>` (production), each
 *  optionally as `langfuse[<connection>]:...`. Prompt names may contain `/` (Langfuse folders), so
 *  only the last `@<digits>` or `#` counts. */
export function parseLangfuseTemplateSpec(spec: string): LangfuseTemplateSpec {
  const qualified = QUALIFIED_PREFIX.exec(spec);
  const parsed = parseSpecBody(spec, qualified ? spec.slice(qualified[0].length) : spec.slice(LANGFUSE_TEMPLATE_PREFIX.length));
  if (qualified) parsed.connection = qualified[1];
  return parsed;
}

function parseSpecBody(spec: string, body: string): LangfuseTemplateSpec {
  const bad = (): never => {
    throw new LangfuseTemplateSpecError(`"${spec}" is not a Langfuse prompt; write langfuse:<name>@<version> (e.g. langfuse:support-agent@3) or langfuse:<name>#<label> (e.g. langfuse:support-agent#staging).`);
  };
  const version = /^(.+)@(\d+)$/.exec(body);
  if (version) return { name: version[1], version: Number(version[2]) };
  const hash = body.lastIndexOf('#');
  if (hash >= 0) {
    const name = body.slice(0, hash);
    const label = body.slice(hash + 1);
    if (!name || !label) bad();
    return { name, label };
  }
  if (!body || body.includes('@')) bad();
  return { name: body, label: 'production' };
}

export function formatLangfuseTemplateSpec(name: string, selector: PromptSelector, connection?: string): string {
  const prefix = connection === undefined ? LANGFUSE_TEMPLATE_PREFIX : `langfuse[${connection}]:`;
  return selector.version !== undefined ? `${prefix}${name}@${selector.version}` : `${prefix}${name}#${selector.label ?? 'production'}`;
}

/** The same prompt version or label, read from `connection` (what a queued job keeps). */
export function langfuseTemplateSpecOn(spec: string, connection: string): string {
  const parsed = parseLangfuseTemplateSpec(spec);
  return formatLangfuseTemplateSpec(parsed.name, promptSelectorOf(parsed), connection);
}

export function promptSelectorOf(spec: LangfuseTemplateSpec): PromptSelector {
  return spec.version !== undefined ? { version: spec.version } : { label: spec.label ?? 'production' };
}

/** For `--prompt-version N` / `--prompt-label L`: the spec of that version of the one Langfuse
 *  prompt the traces' LLM spans are linked to. */
export function langfuseTemplateSpecFor(traces: Trace[], selector: PromptSelector): string {
  const names = new Set<string>();
  for (const t of traces) for (const s of t.spans) if (s.llm?.prompt?.name) names.add(s.llm.prompt.name);
  if (names.size === 0) {
    throw new LangfuseTemplateSpecError('No LLM span of the trace is linked to a prompt, so there is no prompt to take another version of; name one with --template langfuse:<name>@<version>.');
  }
  if (names.size > 1) {
    throw new LangfuseTemplateSpecError(`The LLM spans are linked to several prompts (${[...names].join(', ')}); pick one with --template langfuse:<name>@<version>.`);
  }
  return formatLangfuseTemplateSpec([...names][0], selector);
}
