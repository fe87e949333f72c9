import path from 'node:path';
import type { Command } from 'commander';
import { describeLogsOutcome } from '../../core/otlp/otlp-response';
import { startOtlpReceiver } from '../../core/otlp/receiver';
import { TraceStore } from '../../core/store/trace-store';
import { positiveNumber, wholeNumber } from '../option-values';
import { addStoreOption } from '../store-option';

export function registerReceiveCommand(program: Command): void {
  addStoreOption(
    program
      .command('receive')
      .description(
        'run the OTLP/HTTP receiver (traces at /v1/traces, GenAI log events at /v1/logs) on 127.0.0.1 until interrupted',
      )
      .option('--port <n>', 'port to listen on (0 = any free port)', wholeNumber('--port', 0, 65535), 4318)
      .option('--max-body-mb <n>', 'largest accepted request body in MiB', positiveNumber('--max-body-mb'), 16),
  ).action(async (opts: { store: string; port: number; maxBodyMb: number }) => {
    const store = await TraceStore.open(path.resolve(opts.store));
    // Said before listening: a receiver on a read-only store would answer 503 to everything.
    await store.ensureWritable().catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    const receiver = await startOtlpReceiver({
      port: opts.port,
      maxBodyBytes: Math.round(opts.maxBodyMb * 1024 * 1024),
      onSpans: async (spans) => {
        const r = await store.ingest(spans);
        const joined = r.joinedLogRecords ? `, ${r.joinedLogRecords} waiting log record(s) joined` : '';
        console.log(
          `${new Date().toISOString()}  ${r.acceptedSpans} span(s) into ${r.traceIds.length} trace(s)${r.duplicateSpans ? `, ${r.duplicateSpans} duplicate(s)` : ''}${joined}`,
        );
      },
      onLogRecords: async (records) => {
        const r = await store.ingestLogs(records);
        const pending = r.pendingTotal ? ` (${r.pendingTotal} waiting in the store)` : '';
        console.log(
          `${new Date().toISOString()}  ${records.length} log record(s): ${describeLogsOutcome(r) || 'nothing to do'}${pending}`,
        );
        return r;
      },
      onLog: (level, message) => (level === 'info' ? console.log(message) : console.error(`${level}: ${message}`)),
    });
    console.log(`OTLP/HTTP receiver listening: ${receiver.endpoint}`);
    console.log(
      `Point your app at it: OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url} (traces at ${receiver.endpoint}, GenAI log events at ${receiver.logsEndpoint})`,
    );
    console.log(`Storing into ${store.dir}. Press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await receiver.close();
    await store.close();
    console.log('receiver stopped');
  });
}
