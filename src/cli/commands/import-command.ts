import type { Command } from 'commander';
import { countOf } from '../../core/compare/format-values';
import { importOtlpFiles, type FileImportResult } from '../../core/ingest/import-files';
import { CliError } from '../cli-error';
import { addStoreOption, withStore } from '../store-option';

/** What became of the file's log records, e.g. "8 log record(s): 5 joined to their spans, 3 waiting
 *  for their spans". Joined records may include earlier files' records this file's spans joined. */
function logsText(f: FileImportResult): string {
  const parts: string[] = [];
  if (f.joinedLogRecords) parts.push(`${f.joinedLogRecords} joined to their spans`);
  if (f.pendingLogRecords) parts.push(`${f.pendingLogRecords} waiting for their spans`);
  if (f.ignoredLogRecords) parts.push(`${f.ignoredLogRecords} ignored (not gen_ai.* events with a trace and span id)`);
  if (f.droppedLogRecords) parts.push(`${f.droppedLogRecords} waiting record(s) dropped`);
  if (!f.logRecords)
    return f.joinedLogRecords ? `${f.joinedLogRecords} waiting log record(s) joined to their spans` : '';
  return `${f.logRecords} log record(s)${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function registerImportCommand(program: Command): void {
  addStoreOption(
    program
      .command('import')
      .description(
        'import OTLP JSON trace and logs exports (a body, an array of bodies, or JSONL; logs bodies carry GenAI message events joined to their spans) into the store',
      )
      .argument('<files...>', 'files to import')
      .option('--json', 'print the import report as JSON'),
  ).action(async (files: string[], opts: { store: string; json?: boolean }) => {
    const report = await withStore(opts.store, async (store) => {
      // A read-only store is one sentence up front, not a raw EACCES per file.
      await store.ensureWritable();
      return importOtlpFiles(store, files);
    });
    if (opts.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      for (const f of report.files) {
        const spans =
          `${countOf(f.spans, 'span')} in ${countOf(f.traceIds.length, 'trace')}` +
          (f.duplicateSpans ? `, ${f.duplicateSpans} already stored` : '');
        const what = [f.spans || !f.logRecords ? spans : '', logsText(f)].filter(Boolean).join('; ');
        // A file that imported nothing for one reason says so on one line: its name and the cause.
        if (!f.ok && !f.spans && !f.logRecords && f.errors.length === 1) {
          console.log(`FAILED    ${f.path}: ${f.errors[0]}`);
          continue;
        }
        console.log(
          `${f.ok ? 'imported' : f.spans || f.logRecords ? 'partly imported' : 'FAILED  '}  ${f.path}: ${what}`,
        );
        for (const e of f.errors) console.log(`          ${e}`);
        for (const w of f.warnings) console.log(`          warning: ${w}`);
      }
      if (report.pendingLogRecords) {
        console.log(
          `${report.pendingLogRecords} log record(s) wait in the store for spans not imported yet; they join when those spans are imported or received.`,
        );
      }
    }
    const failed = report.files.filter((f) => !f.ok).length;
    if (failed)
      throw new CliError(`${failed} of ${report.files.length} file(s) could not be imported completely; see above.`);
  });
}
