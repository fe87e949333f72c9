import type { Command } from 'commander';
import { importOtlpFiles } from '../../core/ingest/import-files';
import { CliError } from '../cli-error';
import { addStoreOption, withStore } from '../store-option';

export function registerImportCommand(program: Command): void {
  addStoreOption(
    program
      .command('import')
      .description('import OTLP JSON trace exports (a body, an array of bodies, or JSONL) into the store')
      .argument('<files...>', 'files to import')
      .option('--json', 'print the import report as JSON'),
  ).action(async (files: string[], opts: { store: string; json?: boolean }) => {
    const report = await withStore(opts.store, store => importOtlpFiles(store, files));
    if (opts.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      for (const f of report.files) {
        const what = `${f.spans} spans in ${f.traceIds.length} trace(s)` + (f.duplicateSpans ? `, ${f.duplicateSpans} already stored` : '');
        console.log(`${f.ok ? 'imported' : f.spans ? 'partly imported' : 'FAILED  '}  ${f.path}: ${what}`);
        for (const e of f.errors) console.log(`          ${e}`);
      }
    }
    const failed = report.files.filter(f => !f.ok).length;
    if (failed) throw new CliError(`${failed} of ${report.files.length} file(s) could not be imported completely; see above.`, 1);
  });
}
