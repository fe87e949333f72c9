// The app keeps its prompts as versioned text files (prompts/*.txt) with `{{variable}}` placeholders
// and a small front matter naming the prompt:
//
//   ---
//   name: support-reply
//   version: 1
//   ---
//   Customer question about {{product}}: ...
//
// Trace Replay reads the same format, so `trace-replay replay --template prompts/support-reply.v2.txt`
// can put version 2 into the calls that recorded version 1 of "support-reply".
import { readFile } from 'node:fs/promises';

export interface PromptFile {
  name: string;
  version: string;
  /** The template after the front matter, placeholders not filled in. */
  template: string;
}

export async function loadPromptFile(path: string): Promise<PromptFile> {
  const raw = (await readFile(path, 'utf8')).replace(/\r\n/g, '\n').replace(/\n$/, '');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(raw);
  if (!match) throw new Error(`${path} has no front matter; start it with ---, name: and version: lines, then ---.`);
  const meta = Object.fromEntries(
    match[1]
      .split('\n')
      .map((line) => /^(\w+):\s*(.*)$/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2].trim()]),
  );
  if (!meta.name || !meta.version) throw new Error(`${path} needs both name: and version: in its front matter.`);
  return { name: meta.name, version: meta.version, template: match[2] };
}

export function renderPrompt(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`The prompt needs a value for {{${name}}}.`);
    return value;
  });
}
