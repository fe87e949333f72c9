// OTLP ingest throughput over loopback: real HTTP requests with OTLP/JSON bodies of realistic
// GenAI spans into the receiver, with a counting sink and (when present) the trace store.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RawSpan } from '../src/core/model/trace';
import { startOtlpReceiver } from '../src/core/otlp/receiver';
import { TraceStore } from '../src/core/store/trace-store';
import type { BenchResult } from './bench-result';

const REQUESTS = 200;
const SPANS_PER_REQUEST = 100;
const CLIENTS = 4;
const GOAL = '>= 5,000 spans/s';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

/** One OTLP/JSON request: 10 traces of an agent span with 9 LLM/tool children each. */
function buildRequest(seq: number): string {
  const spans: unknown[] = [];
  const base = 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000_000n;
  for (let t = 0; t < SPANS_PER_REQUEST / 10; t++) {
    const traceId = randomBytes(16).toString('hex');
    const rootId = randomBytes(8).toString('hex');
    spans.push({ traceId, spanId: rootId, name: 'invoke_agent support-bot', kind: 1, startTimeUnixNano: String(base), endTimeUnixNano: String(base + 9_000_000n), attributes: [str('gen_ai.operation.name', 'invoke_agent')] });
    for (let c = 0; c < 9; c++) {
      const start = base + BigInt(c) * 1_000_000n;
      const llm = c % 3 !== 2;
      spans.push({
        traceId,
        spanId: randomBytes(8).toString('hex'),
        parentSpanId: rootId,
        name: llm ? 'chat gpt-4o-mini' : 'execute_tool lookup_order',
        kind: llm ? 3 : 1,
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + 900_000n),
        attributes: llm
          ? [
              str('gen_ai.operation.name', 'chat'),
              str('gen_ai.provider.name', 'openai'),
              str('gen_ai.request.model', 'gpt-4o-mini'),
              { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
              int('gen_ai.usage.input_tokens', 812 + c),
              int('gen_ai.usage.output_tokens', 64),
              str('gen_ai.input.messages', JSON.stringify([{ role: 'system', parts: [{ type: 'text', content: 'You are a support assistant for an online shop. Answer briefly.' }] }, { role: 'user', parts: [{ type: 'text', content: `Where is my order #${seq}-${t}? It was due yesterday.` }] }])),
              str('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Let me look that up for you.' }], finish_reason: 'stop' }])),
            ]
          : [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', 'lookup_order'), str('gen_ai.tool.call.arguments', `{"order":"${seq}-${t}"}`)],
        status: { code: 0 },
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [str('service.name', 'support-bot'), str('telemetry.sdk.language', 'nodejs')] }, scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans }] }],
  });
}

function post(url: string, agent: Agent, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends all requests from CLIENTS concurrent keep-alive connections; returns spans/s. */
async function measure(onSpans: (spans: RawSpan[]) => Promise<void> | void): Promise<{ spansPerSecond: number; received: number }> {
  let received = 0;
  const receiver = await startOtlpReceiver({
    port: 0,
    onSpans: async (spans) => {
      received += spans.length;
      await onSpans(spans);
    },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    // Bodies are built before the clock starts: we measure the receiver, not the generator.
    const bodies = Array.from({ length: REQUESTS }, (_, i) => buildRequest(i));
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) await post(receiver.endpoint, agent, bodies[next++]);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { spansPerSecond: received / seconds, received };
  } finally {
    agent.destroy();
    await receiver.close();
  }
}

async function measureWithStore(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trace-replay-ingest-bench-'));
  try {
    const store = await TraceStore.open(dir);
    try {
      const { spansPerSecond } = await measure(async (spans) => {
        await store.ingest(spans);
      });
      return { name: `OTLP/JSON ingest into TraceStore (${CLIENTS} clients)`, value: spansPerSecond, unit: 'spans/s', goal: GOAL };
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchIngest(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const counting = await measure(() => undefined);
  if (counting.received !== REQUESTS * SPANS_PER_REQUEST) throw new Error(`expected ${REQUESTS * SPANS_PER_REQUEST} spans, received ${counting.received}`);
  results.push({ name: `OTLP/JSON ingest, counting sink (${CLIENTS} clients, ${SPANS_PER_REQUEST} spans/request)`, value: counting.spansPerSecond, unit: 'spans/s', goal: GOAL });
  results.push(await measureWithStore());
  return results;
}

if (require.main === module) {
  void benchIngest()
    .then((results) => {
      for (const r of results) console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit}${r.goal ? ` (goal ${r.goal})` : ''}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
