// What a replay's template override names: a template file, or a prompt version kept on a trace
// platform. Jobs, the engine, the protocol and the webview carry this union; the text form
// (`--template`, stored specs) is `<platform>[<connection>]:<name>@<version>`,
// `<platform>:<name>#<label>` or a file path. Pure (no Node or vscode import): the webview formats
// refs with it.
import { UserError } from '../util/user-error';

export type TemplateRef = TemplateFileRef | TemplatePromptRef;

export interface TemplateFileRef {
  kind: 'file';
  /** Absolute path. */
  path: string;
}

export interface TemplatePromptRef {
  kind: 'prompt';
  /** The platform's id ('langfuse', 'phoenix'). */
  platform: string;
  /** The connection the prompt is read from; absent: the caller's (the traces' own, or the
   *  platform's default connection). */
  connection?: string;
  name: string;
  /** At most one of version and label; neither: the platform's default (Langfuse's production
   *  label, Phoenix's latest version). */
  version?: string;
  label?: string;
}

export class TemplateSpecError extends UserError {
  readonly code = 'INVALID_TEMPLATE_SPEC';
  override readonly kind = 'usage';
  override name = 'TemplateSpecError';
}

/** `langfuse:support@3`, `langfuse[eu]:support#staging`, `phoenix:support`; a file's path. */
export function formatTemplateRef(ref: TemplateRef): string {
  if (ref.kind === 'file') return ref.path;
  const prefix = ref.connection === undefined ? `${ref.platform}:` : `${ref.platform}[${ref.connection}]:`;
  if (ref.version !== undefined) return `${prefix}${ref.name}@${ref.version}`;
  if (ref.label !== undefined) return `${prefix}${ref.name}#${ref.label}`;
  return `${prefix}${ref.name}`;
}

/** The prompt version a job's template ref names, or undefined for a file. */
export function promptRefOf(ref: TemplateRef | undefined): TemplatePromptRef | undefined {
  return ref?.kind === 'prompt' ? ref : undefined;
}

/** The same prompt version, read from `connection` (what a queued job keeps, so a job resumed
 *  later reads where it was checked). */
export function onConnection(ref: TemplatePromptRef, connection: string): TemplatePromptRef {
  return { ...ref, connection };
}

const SPEC = /^([a-z][a-z0-9-]*)(?:\[([^\]\s]+)\])?:(.*)$/s;

/** Splits `<platform>[<connection>]:<body>` when the prefix names one of `platforms`; undefined
 *  for anything else (a file path, even `C:\\prompts\\x.txt`). */
export function splitTemplateSpec(
  spec: string,
  platforms: readonly string[],
): { platform: string; connection?: string; body: string } | undefined {
  const m = SPEC.exec(spec);
  if (!m || !platforms.includes(m[1])) return undefined;
  return m[2] === undefined ? { platform: m[1], body: m[3] } : { platform: m[1], connection: m[2], body: m[3] };
}

/** `<name>@<version>`, `<name>#<label>` or `<name>`. Prompt names may contain `/`, `@` and `#`,
 *  so only the last `@` or `#` counts; `versionPattern` says what a version looks like on the
 *  platform (Langfuse: digits), so `a@b` with a non-version b is refused there. */
export function parsePromptSpecBody(
  spec: string,
  body: string,
  example: string,
  versionPattern = /^[^\s@#]+$/,
): Pick<TemplatePromptRef, 'name' | 'version' | 'label'> {
  const bad = (): never => {
    throw new TemplateSpecError(`"${spec}" is not a prompt version; write ${example}.`);
  };
  const at = body.lastIndexOf('@');
  const hash = body.lastIndexOf('#');
  if (at > 0 && at > hash) {
    const version = body.slice(at + 1);
    if (!versionPattern.test(version)) bad();
    return { name: body.slice(0, at), version };
  }
  if (hash > 0) {
    const label = body.slice(hash + 1);
    if (!label || /\s/.test(label)) bad();
    return { name: body.slice(0, hash), label };
  }
  if (!body || at === 0 || hash === 0) bad();
  return { name: body };
}

/** Jobs stored before TemplateRef carried `templatePath`: a file path or a `langfuse:` spec. */
export function templateRefFromLegacyPath(templatePath: string): TemplateRef {
  const split = splitTemplateSpec(templatePath, ['langfuse']);
  if (!split) return { kind: 'file', path: templatePath };
  try {
    const body = parsePromptSpecBody(templatePath, split.body, 'langfuse:<name>@<version>', /^\d+$/);
    const ref: TemplatePromptRef = { kind: 'prompt', platform: 'langfuse', ...body };
    if (split.connection !== undefined) ref.connection = split.connection;
    if (ref.version === undefined && ref.label === undefined) ref.label = 'production';
    return ref;
  } catch {
    return { kind: 'file', path: templatePath };
  }
}
