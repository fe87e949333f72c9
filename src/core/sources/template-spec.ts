// The text form of a template override (`--template`, the extension's pickers): a prompt version on
// a platform, `<platform>[<connection>]:<name>@<version>` / `...#<label>` / `<platform>:<name>`,
// or else a template file's path.
import path from 'node:path';
import {
  parsePromptSpecBody,
  splitTemplateSpec,
  TemplateSpecError,
  type TemplatePromptRef,
  type TemplateRef,
} from '../prompts/template-ref';
import type { PlatformDescriptor } from './platform';
import { findPlatform, platformIds } from './platform-registry';

/** A platform prompt spec, or undefined when `spec` names no known platform (then it is a file). */
export function parsePromptSpec(spec: string): TemplatePromptRef | undefined {
  const split = splitTemplateSpec(spec, platformIds());
  if (!split) return undefined;
  const platform = findPlatform(split.platform)!;
  const ref: TemplatePromptRef = {
    kind: 'prompt',
    platform: platform.id,
    ...parsePromptSpecBody(spec, split.body, promptSpecExample(platform), platform.promptVersionPattern),
  };
  if (split.connection !== undefined) ref.connection = split.connection;
  return ref;
}

/** `--template` as given: a prompt spec, or a file path resolved against `cwd`. */
export function parseTemplateSpec(spec: string, cwd = process.cwd()): TemplateRef {
  const trimmed = spec.trim();
  if (!trimmed)
    throw new TemplateSpecError(
      'The template is empty; give a file or a prompt version such as langfuse:<name>@<version>.',
    );
  return parsePromptSpec(trimmed) ?? { kind: 'file', path: path.resolve(cwd, trimmed) };
}

export function promptSpecExample(platform: Pick<PlatformDescriptor, 'id' | 'promptLabelWord'>): string {
  const word = platform.promptLabelWord ?? 'label';
  return `${platform.id}:<name>@<version> (e.g. ${platform.id}:support-agent@3) or ${platform.id}:<name>#<${word}>`;
}
