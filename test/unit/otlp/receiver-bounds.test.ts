// The receiver's bounds against hostile or slow clients (#13): numbers are never parsed beyond what
// OTLP allows (a 1M-digit intValue is kept as a string with a warning), request bodies in flight
// share one byte budget (beyond it: 503 + Retry-After), and slow headers or a body that never ends
// are cut off by the header/request timeouts (408, socket closed). No timing assertions: the tests
// await the socket's 'close' and the answers themselves.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { RawSpan } from '../../../src/core/model/trace';
import { startOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions } from '../../../src/core/otlp/receiver';
import { httpRequest, jsonBody } from './otlp-test-helpers';

const TRACE_HEX = '5b8efff798038103d269b633813fc60c';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

function spanWith(attributes: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_HEX,
    spanId: '0102030405060708',
    name: 'op',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    attributes,
    ...extra,
  };
}

function requestOf(spans: unknown[]): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

/** A request whose body is `size` bytes of valid OTLP JSON (one span with a long string attribute). */
function bodyOfSize(size: number): Buffer {
  const empty = requestOf([spanWith([{ key: 'pad', value: { stringValue: '' } }])]);
  return Buffer.from(requestOf([spanWith([{ key: 'pad', value: { stringValue: 'x'.repeat(size - empty.length) } }])]));
}

interface RawExchange {
  socket: Socket;
  /** Everything the server wrote, once it closed the connection. */
  closed: Promise<string>;
}

function rawConnect(port: number, first: string): RawExchange {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.write(first);
  return { socket, closed };
}

describe('OTLP receiver bounds', function () {
  this.timeout(30_000);
  let receiver: OtlpReceiver | undefined;
  let received: RawSpan[][];
  let logs: { level: string; message: string }[];

  async function start(options: Partial<OtlpReceiverOptions> = {}): Promise<OtlpReceiver> {
    received = [];
    logs = [];
    receiver = await startOtlpReceiver({
      port: 0,
      onSpans: (spans) => {
        received.push(spans);
      },
      onLog: (level, message) => logs.push({ level, message }),
      ...options,
    });
    return receiver;
  }

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  describe('numbers', () => {
    it('keeps an intValue longer than an int64 as a string with a warning, never parsing it', async () => {
      const r = await start();
      const huge = '7'.repeat(1_000_000);
      const res = await httpRequest(r.endpoint, {
        headers: JSON_HEADERS,
        body: requestOf([
          spanWith([
            { key: 'huge', value: { intValue: huge } },
            { key: 'max', value: { intValue: '-9223372036854775808' } },
            { key: 'small', value: { intValue: '42' } },
            { key: 'list', value: { arrayValue: { values: [{ intValue: `+${huge}` }] } } },
          ]),
        ]),
      });
      assert.equal(res.status, 200);
      const body = jsonBody(res) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } };
      assert.equal(body.partialSuccess?.rejectedSpans ?? 0, 0);
      assert.match(
        body.partialSuccess?.errorMessage ?? '',
        /span 0102030405060708.*attribute "huge": intValue of 1000000 characters is longer than an int64 \(at most 20\); kept as a string/,
      );
      assert.match(body.partialSuccess?.errorMessage ?? '', /attribute "list"/);
      const attrs = received[0][0].attributes;
      assert.equal(attrs.huge, huge);
      assert.equal(attrs.max, '-9223372036854775808');
      assert.equal(attrs.small, 42);
      assert.deepEqual(attrs.list, [`+${huge}`]);
      assert.ok(logs.some((l) => l.level === 'warn' && /intValue of 1000000 characters/.test(l.message)));
    });

    it('does the same in log records (attributes and body)', async () => {
      const r = await start({ onLogRecords: () => undefined });
      const huge = '8'.repeat(100_000);
      const record = {
        traceId: TRACE_HEX,
        spanId: '0102030405060708',
        timeUnixNano: '1',
        eventName: 'gen_ai.user.message',
        attributes: [{ key: 'n', value: { intValue: huge } }],
        body: { intValue: huge },
      };
      const res = await httpRequest(r.logsEndpoint, {
        headers: JSON_HEADERS,
        body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] }),
      });
      assert.equal(res.status, 200);
      const message =
        (jsonBody(res) as { partialSuccess?: { errorMessage?: string } }).partialSuccess?.errorMessage ?? '';
      assert.match(
        message,
        /log record of span 0102030405060708: attribute "n": intValue of 100000 characters is longer than an int64.*; body: intValue of 100000/,
      );
    });

    it('rejects a span whose timestamp has more digits than a fixed64, without parsing it', async () => {
      const r = await start();
      const res = await httpRequest(r.endpoint, {
        headers: JSON_HEADERS,
        body: requestOf([
          spanWith([], { startTimeUnixNano: '9'.repeat(1_000_000) }),
          spanWith([], { spanId: '0102030405060709', endTimeUnixNano: `${'0'.repeat(500_000)}2` }),
        ]),
      });
      assert.equal(res.status, 200);
      const body = jsonBody(res) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } };
      assert.equal(body.partialSuccess?.rejectedSpans, 1);
      assert.match(body.partialSuccess?.errorMessage ?? '', /invalid startTimeUnixNano/);
      // Leading zeros are still the same number.
      assert.equal(received[0][0].endTimeUnixNano, '2');
    });
  });

  describe('in-flight byte budget', () => {
    it('answers 503 with Retry-After while other bodies hold the budget, and takes requests again once they are done', async () => {
      const r = await start({ maxBodyBytes: 100_000, maxInFlightBytes: 150_000 });
      // A chunked request that has sent 90 KB and waits: it holds 90 KB of the budget.
      const holder = rawConnect(
        r.port,
        `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const big = bodyOfSize(95_000);
      const head = big.subarray(0, 90_000);
      holder.socket.write(`${head.length.toString(16)}\r\n`);
      holder.socket.write(head);
      holder.socket.write('\r\n');
      // Known length that does not fit next to it: refused before its body is read.
      let refused = await httpRequest(r.endpoint, { headers: JSON_HEADERS, body: bodyOfSize(80_000) });
      // The holder's chunk may still be on its way; wait for the receiver to have counted it.
      while (refused.status === 200)
        refused = await httpRequest(r.endpoint, { headers: JSON_HEADERS, body: bodyOfSize(80_000) });
      assert.equal(refused.status, 503);
      assert.match(String(refused.headers['retry-after']), /^\d+$/);
      assert.match((jsonBody(refused) as { message: string }).message, /busy.*retry/i);
      // A chunked body that grows past what is left is refused as it arrives.
      const chunked = await httpRequest(r.endpoint, {
        headers: { ...JSON_HEADERS, 'Transfer-Encoding': 'chunked' },
        body: bodyOfSize(80_000),
      });
      assert.equal(chunked.status, 503);
      // So is a gzipped body whose inflated size does not fit.
      const gzipped = await httpRequest(r.endpoint, {
        headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' },
        body: gzipSync(bodyOfSize(80_000)),
      });
      assert.equal(gzipped.status, 503);
      // A small request still fits.
      const small = await httpRequest(r.endpoint, { headers: JSON_HEADERS, body: bodyOfSize(10_000) });
      assert.equal(small.status, 200);

      const tail = big.subarray(90_000);
      holder.socket.write(`${tail.length.toString(16)}\r\n`);
      holder.socket.write(tail);
      holder.socket.end('\r\n0\r\n\r\n');
      assert.match(await holder.closed, /^HTTP\/1\.1 200 /);
      const again = await httpRequest(r.endpoint, { headers: JSON_HEADERS, body: bodyOfSize(80_000) });
      assert.equal(again.status, 200);
      assert.ok(logs.some((l) => l.level === 'warn' && /budget/.test(l.message)));
    });

    it('refuses a budget smaller than one body', async () => {
      await assert.rejects(start({ maxBodyBytes: 1000, maxInFlightBytes: 999 }), RangeError);
    });
  });

  describe('timeouts', () => {
    it('closes a chunked body that never ends with 408', async () => {
      const r = await start({ requestTimeoutMs: 400, headersTimeoutMs: 200 });
      const slow = rawConnect(
        r.port,
        'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"res\r\n',
      );
      const answer = await slow.closed;
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.ok(logs.some((l) => /timed out|timeout/i.test(l.message)));
    });

    it('closes a connection whose headers never end with 408', async () => {
      const r = await start({ requestTimeoutMs: 400, headersTimeoutMs: 200 });
      const slow = rawConnect(r.port, 'POST /v1/traces HTTP/1.1\r\nHost: x\r\n');
      assert.match(await slow.closed, /^HTTP\/1\.1 408 /);
    });

    it('does not cut off a request whose body has arrived while its spans are being stored', async () => {
      // The store being slow (a lock held by another process) is not the client being slow.
      let stored!: () => void;
      const storing = new Promise<void>((resolve) => (stored = resolve));
      const r = await start({ requestTimeoutMs: 200, headersTimeoutMs: 100, onSpans: () => storing });
      const answer = httpRequest(r.endpoint, { headers: JSON_HEADERS, body: bodyOfSize(1000) });
      // Several timeout checks pass (they run every 50 ms here) while the handler waits.
      setTimeout(stored, 1000);
      assert.equal((await answer).status, 200);
    });

    it('refuses a header timeout longer than the request timeout', async () => {
      await assert.rejects(start({ requestTimeoutMs: 100, headersTimeoutMs: 200 }), RangeError);
    });
  });
});
