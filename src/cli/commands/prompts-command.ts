// `trace-replay prompts [NAME] --source langfuse`: the prompts of the Langfuse project, or one
// prompt's versions and labels (which version each label points at), to pick a version to replay
// with (`replay --template langfuse:<name>@<version>`).
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { table } from '../format-text';
import { addSourceOption, openSource } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

export function registerPromptsCommand(program: Command): void {
  addSourceOption(addStoreOption(
    program
      .command('prompts')
      .description('list the prompts of a Langfuse project, or the versions and labels of one prompt')
      .argument('[name]', 'prompt name: list its versions and labels')
      .option('--json', 'print JSON: [{name, type, versions, labels}] or {name, type, versions, labels, labelVersions}'),
  ), 'langfuse').action(async (name: string | undefined, opts: { store: string; source: string; json?: boolean }) => {
    const out = await withStore(opts.store, async store => {
      const source = await openSource(opts.source, store);
      if (source.kind !== 'langfuse') throw new CliError('Prompt versions live in Langfuse; use --source langfuse (or langfuse:<connection>).', 2);
      if (name === undefined) {
        const list = await source.prompts.listPrompts();
        return { json: list.map(p => ({ name: p.name, type: p.type, versions: [...p.versions].sort((a, b) => b - a), labels: p.labels })), label: source.label };
      }
      const versions = await source.prompts.listPromptVersions(name, { resolveLabels: true });
      if (!versions) throw new CliError(`There is no prompt "${name}" in ${source.label}; list the prompts with \`trace-replay prompts --source ${opts.source}\`.`);
      return { json: versions, label: source.label };
    });
    if (opts.json) console.log(JSON.stringify(out.json, null, 2));
    else if (Array.isArray(out.json)) {
      console.log(out.json.length
        ? table(['NAME', 'TYPE', 'VERSIONS', 'LABELS'], out.json.map(p => [p.name, p.type, p.versions.join(', '), p.labels.join(', ')]))
        : `No prompts in ${out.label}.`);
    } else {
      const v = out.json;
      const labelsOf = (version: number): string => Object.entries(v.labelVersions ?? {}).filter(([, n]) => n === version).map(([l]) => l).join(', ');
      console.log(table(['VERSION', 'LABELS', 'TEMPLATE SPEC'], v.versions.map(n => [String(n), labelsOf(n), `langfuse:${v.name}@${n}`])));
    }
  });
}
