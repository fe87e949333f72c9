// The receiver's memory is bounded as a whole (#13): 150 concurrent requests of 3 MB against a
// receiver (its own process) whose in-flight budget holds two of them. Most are answered 503 with
// Retry-After, none fails otherwise, and the receiver's RSS grows by a bound computed from the
// budget, far below the 450 MB the bodies add up to. Bounded in size and time for CI.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';

const MB = 1024 * 1024;
const MAX_BODY = 4 * MB;
const BUDGET = 8 * MB;
const BODY = 3 * MB;
const CONCURRENT = 150;
/** JSON parsing, V8 heap slack and socket buffers come on top of the budgeted bytes. */
const RSS_BOUND = 6 * BUDGET + 64 * MB;

function body(): Buffer {
  const span = (pad: string) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: '0102030405060708',
    name: 'op',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    attributes: [{ key: 'pad', value: { stringValue: pad } }],
  });
  const empty = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('')] }] }] });
  return Buffer.from(
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('x'.repeat(BODY - empty.length))] }] }] }),
  );
}

function post(port: number, payload: Buffer, agent: Agent): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('OTLP receiver memory under load', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;

  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it(`keeps RSS growth under ${RSS_BOUND / MB} MB with ${CONCURRENT} concurrent ${BODY / MB} MB requests and a ${BUDGET / MB} MB budget`, async () => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'receiver-memory-child.ts')],
      {
        env: {
          ...process.env,
          MAX_BODY_BYTES: String(MAX_BODY),
          MAX_IN_FLIGHT_BYTES: process.env.TR_MEMORY_TEST_BUDGET ?? String(BUDGET),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    child = proc;
    const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    const started = JSON.parse(String((await lines.next()).value)) as { port: number; baselineRss: number };

    const payload = body();
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => post(started.port, payload, agent)));
    agent.destroy();

    proc.stdin.write('report\n');
    const report = JSON.parse(String((await lines.next()).value)) as { peakRss: number; spans: number };
    const ok = answers.filter((a) => a.status === 200).length;
    const busy = answers.filter((a) => a.status === 503);
    assert.equal(ok + busy.length, CONCURRENT, `only 200 and 503: ${answers.map((a) => a.status).join(' ')}`);
    assert.ok(
      busy.length >= CONCURRENT / 2,
      `most are refused while the budget is full (${busy.length} of ${CONCURRENT})`,
    );
    assert.ok(
      busy.every((a) => a.retryAfter !== undefined && /^\d+$/.test(a.retryAfter)),
      'every 503 says when to retry',
    );
    assert.equal(report.spans, ok);
    const growth = report.peakRss - started.baselineRss;
    assert.ok(growth < RSS_BOUND, `RSS grew by ${Math.round(growth / MB)} MB (bound ${RSS_BOUND / MB} MB)`);
  });
});
