// A second process writing a store folder, for cross-process.test.ts: opens the store given on the
// command line and ingests COUNT traces of its own (one ingest each, so many separate write tasks)
// plus one span per trace into a trace every writer shares, then logs "done <n>".
//   node --import tsx cross-process-writer.ts DIR WRITER COUNT
import { TraceStore } from '../../../src/core/store/trace-store';
import { rawSpan, spanId, traceId } from './store-fixtures';

async function main(): Promise<void> {
  const [dir, writerArg, countArg] = process.argv.slice(2);
  const writer = Number(writerArg);
  const count = Number(countArg);
  const store = await TraceStore.open(dir);
  const shared = traceId(0xfffff);
  for (let i = 0; i < count; i++) {
    const n = (writer + 1) * 100_000 + i;
    await store.ingest([
      rawSpan({ traceId: traceId(n), spanId: spanId(n), name: `w${writer}-${i}` }),
      rawSpan({ traceId: shared, spanId: spanId(n), name: `shared-w${writer}-${i}` }),
    ]);
  }
  await store.close();
  process.stdout.write(`done ${count}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
