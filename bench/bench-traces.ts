// Traces for the replay benches: `n` copies of the one-call OpenAI fixture under their own ids
// (`pad` fills the id, so two benches on one store do not share ids), and the source trace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Trace } from '../src/core/model/trace';
import { decodeOtlpJson } from '../src/core/otlp/decode-otlp-json';
import type { TraceStore } from '../src/core/store/trace-store';

export async function oneCallTraces(
  store: TraceStore,
  n: number,
  pad: string,
): Promise<{ ids: string[]; source: Trace }> {
  const bodies = JSON.parse(
    readFileSync(path.join(__dirname, '../test/fixtures/otlp/traceloop-openai-single.json'), 'utf8'),
  ) as unknown[];
  const [sourceId] = (await store.ingest(bodies.flatMap((b) => decodeOtlpJson(b).spans))).traceIds;
  const source = (await store.getTrace(sourceId))!;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = (i + 1).toString(16).padStart(32, pad);
    await store.putTrace({ ...source, id, spans: source.spans.map((s) => ({ ...s, traceId: id })) });
    ids.push(id);
  }
  return { ids, source };
}
