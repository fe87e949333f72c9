// OTLP ingest throughput over loopback: real HTTP requests with OTLP/JSON bodies of realistic
// GenAI spans into the receiver, with a counting sink and (when present) the trace store; and the
// same with the message content sent as OTLP log records (/v1/logs, one record per message as
// @opentelemetry/instrumentation-openai does), posted before their spans so every record waits in
// the store's pending buffer and is joined when its span arrives.

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

interface BuiltRequest {
  spans: string;
  /** The logs body carrying the LLM spans' messages (only when asked for). */
  logs?: string;
  logRecords: number;
}

/** One OTLP/JSON request: 10 traces of an agent span with 9 LLM/tool children each. With
 *  `contentInLogs`, the LLM spans carry no messages and a logs body carries them instead. */
function buildRequest(seq: number, contentInLogs = false): BuiltRequest {
  const spans: unknown[] = [];
  const logRecords: unknown[] = [];
  const base = 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000_000n;
  for (let t = 0; t < SPANS_PER_REQUEST / 10; t++) {
    const traceId = randomBytes(16).toString('hex');
    const rootId = randomBytes(8).toString('hex');
    spans.push({
      traceId,
      spanId: rootId,
      name: 'invoke_agent support-bot',
      kind: 1,
      startTimeUnixNano: String(base),
      endTimeUnixNano: String(base + 9_000_000n),
      attributes: [str('gen_ai.operation.name', 'invoke_agent')],
    });
    for (let c = 0; c < 9; c++) {
      const start = base + BigInt(c) * 1_000_000n;
      const llm = c % 3 !== 2;
      const spanId = randomBytes(8).toString('hex');
      const content = !contentInLogs
        ? [
            str(
              'gen_ai.input.messages',
              JSON.stringify([
                {
                  role: 'system',
                  parts: [{ type: 'text', content: 'You are a support assistant for an online shop. Answer briefly.' }],
                },
                {
                  role: 'user',
                  parts: [{ type: 'text', content: `Where is my order #${seq}-${t}? It was due yesterday.` }],
                },
              ]),
            ),
            str(
              'gen_ai.output.messages',
              JSON.stringify([
                {
                  role: 'assistant',
                  parts: [{ type: 'text', content: 'Let me look that up for you.' }],
                  finish_reason: 'stop',
                },
              ]),
            ),
          ]
        : [];
      if (llm && contentInLogs) {
        const message = (event: string, body: unknown[]) => ({
          timeUnixNano: String(start + 1000n),
          traceId,
          spanId,
          attributes: [str('event.name', event), str('gen_ai.system', 'openai')],
          body: { kvlistValue: { values: body } },
        });
        logRecords.push(
          message('gen_ai.system.message', [
            str('content', 'You are a support assistant for an online shop. Answer briefly.'),
          ]),
          message('gen_ai.user.message', [str('content', `Where is my order #${seq}-${t}? It was due yesterday.`)]),
          message('gen_ai.choice', [
            int('index', 0),
            str('finish_reason', 'stop'),
            { key: 'message', value: { kvlistValue: { values: [str('content', 'Let me look that up for you.')] } } },
          ]),
        );
      }
      spans.push({
        traceId,
        spanId,
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
              ...content,
            ]
          : [
              str('gen_ai.operation.name', 'execute_tool'),
              str('gen_ai.tool.name', 'lookup_order'),
              str('gen_ai.tool.call.arguments', `{"order":"${seq}-${t}"}`),
            ],
        status: { code: 0 },
      });
    }
  }
  const resource = { attributes: [str('service.name', 'support-bot'), str('telemetry.sdk.language', 'nodejs')] };
  const built: BuiltRequest = {
    spans: JSON.stringify({
      resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans }] }],
    }),
    logRecords: logRecords.length,
  };
  if (contentInLogs)
    built.logs = JSON.stringify({
      resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'bench', version: '1.0.0' }, logRecords }] }],
    });
  return built;
}

function post(url: string, agent: Agent, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends all requests from CLIENTS concurrent keep-alive connections; returns spans/s. */
async function measure(
  onSpans: (spans: RawSpan[]) => Promise<void> | void,
): Promise<{ spansPerSecond: number; received: number }> {
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
    const bodies = Array.from({ length: REQUESTS }, (_, i) => buildRequest(i).spans);
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
      return {
        name: `OTLP/JSON ingest into TraceStore (${CLIENTS} clients)`,
        value: spansPerSecond,
        unit: 'spans/s',
        goal: GOAL,
      };
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Logs first, then the spans they belong to, per request pair, from CLIENTS connections. */
async function measureWithLogs(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trace-replay-ingest-logs-bench-'));
  const store = await TraceStore.open(dir);
  let spansReceived = 0;
  let joined = 0;
  let notJoined = 0;
  const receiver = await startOtlpReceiver({
    port: 0,
    onSpans: async (spans) => {
      spansReceived += spans.length;
      // Await first: `joined += await ...` would read `joined` before the await and lose the other clients' counts.
      const r = await store.ingest(spans);
      joined += r.joinedLogRecords ?? 0;
    },
    onLogRecords: async (records) => {
      const r = await store.ingestLogs(records);
      joined += r.joinedLogRecords;
      notJoined += r.ignoredWithoutSpan + r.ignoredNotGenAi + r.droppedLogRecords;
      return r;
    },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const requests = Array.from({ length: REQUESTS }, (_, i) => buildRequest(i, true));
    const expectedRecords = requests.reduce((n, r) => n + r.logRecords, 0);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < requests.length) {
          const r = requests[next++];
          await post(receiver.logsEndpoint, agent, r.logs ?? '{}');
          await post(receiver.endpoint, agent, r.spans);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (joined !== expectedRecords || notJoined || store.pendingLogRecordCount) {
      throw new Error(
        `expected ${expectedRecords} joined log records, got ${joined} (${notJoined} not joined, ${store.pendingLogRecordCount} pending)`,
      );
    }
    return [
      // The goal counts what the receiver ingests with logs: spans + their joined events (issue #11's
      // "spans + events per second"); spans alone are printed too.
      {
        name: `OTLP/JSON spans + logs (logs first) into TraceStore: spans`,
        value: spansReceived / seconds,
        unit: 'spans/s',
      },
      {
        name: `OTLP/JSON spans + logs (logs first) into TraceStore: span events`,
        value: joined / seconds,
        unit: 'events/s',
      },
      {
        name: `OTLP/JSON spans + logs (logs first) into TraceStore: spans + events`,
        value: (spansReceived + joined) / seconds,
        unit: 'items/s',
        goal: '>= 5,000 items/s',
      },
    ];
  } finally {
    agent.destroy();
    await receiver.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchIngest(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const counting = await measure(() => undefined);
  if (counting.received !== REQUESTS * SPANS_PER_REQUEST)
    throw new Error(`expected ${REQUESTS * SPANS_PER_REQUEST} spans, received ${counting.received}`);
  results.push({
    name: `OTLP/JSON ingest, counting sink (${CLIENTS} clients, ${SPANS_PER_REQUEST} spans/request)`,
    value: counting.spansPerSecond,
    unit: 'spans/s',
    goal: GOAL,
  });
  results.push(await measureWithStore());
  results.push(...(await measureWithLogs()));
  return results;
}

if (require.main === module) {
  void benchIngest()
    .then((results) => {
      for (const r of results)
        console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit}${r.goal ? ` (goal ${r.goal})` : ''}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
