// `trace-replay prompts [NAME] --source <platform>`: the prompts a platform keeps, or one prompt's
// versions and labels/tags (which version each points at), to pick a version to replay with
// (`replay --template langfuse:<name>@<version>`, `--template phoenix:<name>#<tag>`).
import type { Command } from 'commander';
import { formatTemplateRef } from '../../core/prompts/template-ref';
import { PLATFORMS } from '../../core/sources/platform-registry';
import { CliError } from '../cli-error';
import { table } from '../format-text';
import { addSourceOption, openSource } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

const WITH_PROMPTS = PLATFORMS.filter((p) => p.capabilities.includes('prompts')).map((p) => p.id);

/** Versions that are numbers (Langfuse's) are printed as numbers, as 0.1 did; ids stay strings. */
function versionJson(version: string): string | number {
  return /^\d+$/.test(version) ? Number(version) : version;
}

export function registerPromptsCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      program
        .command('prompts')
        .description(
          `list the prompts of a platform (${WITH_PROMPTS.join(', ')}), or the versions and labels of one prompt`,
        )
        .argument('[name]', 'prompt name: list its versions and labels')
        .option(
          '--json',
          'print JSON: [{name, type, versions, labels}] or {name, type, versions, labels, labelVersions}',
        ),
    ),
    WITH_PROMPTS[0],
  ).action(async (name: string | undefined, opts: { store: string; source: string; json?: boolean }) => {
    const out = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      const prompts = source.kind === 'platform' ? source.session.prompts : undefined;
      if (source.kind !== 'platform' || !prompts) {
        throw new CliError(
          `Prompt versions live on a platform; use --source ${WITH_PROMPTS.map((id) => `${id} (or ${id}:<connection>)`).join(' or ')}.`,
          'usage',
        );
      }
      await source.session.checkCredentials();
      const platform = source.session.descriptor;
      if (name === undefined)
        return {
          kind: 'list' as const,
          list: await prompts.list(),
          label: source.label,
          platform: platform.id,
          word: platform.promptLabelWord ?? 'label',
        };
      const versions = await prompts.versions(name, { resolveLabels: true });
      if (!versions)
        throw new CliError(
          `There is no prompt "${name}" in ${source.label}; list the prompts with \`trace-replay prompts --source ${opts.source}\`.`,
        );
      return {
        kind: 'versions' as const,
        versions,
        label: source.label,
        platform: platform.id,
        word: platform.promptLabelWord ?? 'label',
      };
    });
    const word = out.word.toUpperCase();
    if (out.kind === 'list') {
      if (opts.json)
        console.log(
          JSON.stringify(
            out.list.map((p) => ({ ...p, versions: p.versions.map(versionJson) })),
            null,
            2,
          ),
        );
      else
        console.log(
          out.list.length
            ? table(
                ['NAME', 'TYPE', 'VERSIONS', `${word}S`],
                out.list.map((p) => [p.name, p.type ?? '', p.versions.join(', '), p.labels.join(', ')]),
              )
            : `No prompts in ${out.label}.`,
        );
      return;
    }
    const v = out.versions;
    if (opts.json) {
      const labelVersions =
        v.labelVersions && Object.fromEntries(Object.entries(v.labelVersions).map(([l, n]) => [l, versionJson(n)]));
      console.log(
        JSON.stringify(
          { ...v, versions: v.versions.map(versionJson), ...(labelVersions ? { labelVersions } : {}) },
          null,
          2,
        ),
      );
      return;
    }
    const labelsOf = (version: string): string =>
      Object.entries(v.labelVersions ?? {})
        .filter(([, n]) => n === version)
        .map(([l]) => l)
        .join(', ');
    const rows = v.versions.map((n) => [
      n,
      labelsOf(n),
      formatTemplateRef({ kind: 'prompt', platform: out.platform, name: v.name, version: n }),
      v.descriptions?.[n] ?? '',
    ]);
    const withDescriptions = rows.some((r) => r[3] !== '');
    console.log(
      table(
        ['VERSION', `${word}S`, 'TEMPLATE SPEC', ...(withDescriptions ? ['DESCRIPTION'] : [])],
        rows.map((r) => (withDescriptions ? r : r.slice(0, 3))),
      ),
    );
  });
}
