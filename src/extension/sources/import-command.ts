// "Import Traces from File...": OTLP JSON / JSONL exports into the store, one result per file.
// A broken file is named with its reason; the good files still import.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { importOtlpFiles, type ImportReport } from '../../core/ingest/import-files';
import { CommandId } from '../common/command-ids';
import type { Log } from '../common/log';
import type { StoreHost } from '../store/store-host';
import { openOutputFix, type Notifications } from '../common/notifications';

/** Accepts the explorer's (uri, uris) arguments or a Uri[]; with none, asks with a file picker. */
export function registerImportCommand(stores: StoreHost, log: Log, notifications: Notifications): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ImportTraces, async (first?: unknown, second?: unknown) => {
    const uris = urisFromArgs(first, second) ?? (await pickFiles());
    if (!uris?.length) return undefined;
    const local = uris.filter((u) => u.scheme === 'file');
    if (local.length < uris.length) {
      void notifications.warning('Trace Replay can only import files on disk; other files were skipped.');
    }
    if (!local.length) return undefined;
    try {
      const store = await stores.get();
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Trace Replay: importing traces…' },
        () =>
          importOtlpFiles(
            store,
            local.map((u) => u.fsPath),
          ),
      );
      logReport(log, report);
      showReport(log, notifications, report);
      return report;
    } catch (err) {
      void notifications.reportError(err, 'import the files');
      return undefined;
    }
  });
}

function urisFromArgs(first: unknown, second: unknown): vscode.Uri[] | undefined {
  if (Array.isArray(second) && second.every((u) => u instanceof vscode.Uri) && second.length) return second;
  if (Array.isArray(first) && first.every((u) => u instanceof vscode.Uri) && first.length) return first;
  if (first instanceof vscode.Uri) return [first];
  return undefined;
}

async function pickFiles(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: 'Import',
    title: 'Import OTLP Traces',
    filters: { 'OTLP JSON': ['json', 'jsonl'], 'All files': ['*'] },
  });
}

function logReport(log: Log, report: ImportReport): void {
  for (const f of report.files) {
    const summary = `${f.path}: ${f.traceIds.length} trace(s), ${f.spans} span(s), ${f.duplicateSpans} duplicate(s), ${f.rejectedSpans} rejected`;
    if (f.ok) log.info(summary);
    else log.warn(`${summary}; ${f.errors.join('; ')}`);
  }
}

function showReport(log: Log, notifications: Notifications, report: ImportReport): void {
  const traces = new Set(report.files.flatMap((f) => f.traceIds)).size;
  const spans = report.files.reduce((n, f) => n + f.spans, 0);
  const bad = report.files.filter((f) => !f.ok);
  const n = report.files.length;
  const imported = `Imported ${traces} trace${traces === 1 ? '' : 's'} (${spans} span${spans === 1 ? '' : 's'}) from ${n - bad.length} of ${n} file${n === 1 ? '' : 's'}.`;
  if (!bad.length) {
    void notifications.info(imported);
    return;
  }
  const problems = bad.map((f) => {
    const more = f.errors.length > 1 ? ` (+${f.errors.length - 1} more)` : '';
    return `${path.basename(f.path)}: ${f.errors[0] ?? 'unknown problem'}${more}`;
  });
  void notifications.warning(`${imported} Problems: ${problems.join('; ')}`, openOutputFix(log));
}
