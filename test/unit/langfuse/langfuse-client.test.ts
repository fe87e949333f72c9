// Errors and rate limits of the Langfuse client: each failure is a typed error whose one-sentence
// message says what to check, and never contains a key.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LangfuseClient, retryAfterSeconds } from '../../../src/core/sources/langfuse/langfuse-client';
import { langfuseConnection } from '../../../src/core/sources/langfuse/langfuse-config';
import {
  LangfuseAuthError,
  LangfuseHttpError,
  LangfuseRateLimitError,
  LangfuseUrlError,
} from '../../../src/core/sources/langfuse/langfuse-errors';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { clientFor, fake } from './langfuse-test-helpers';

describe('Langfuse client', () => {
  let server: FakeLangfuseServer;
  before(async () => {
    server = await fake();
  });
  after(async () => {
    assert.deepEqual(server.violations, []);
    await server.close();
  });

  it('sends Basic auth and reads observations', async () => {
    const res = await clientFor(server).listObservations({ traceId: 'trace-0', fields: ['core'] });
    assert.equal(res.data.length, 4);
  });

  it('401: says to check the keys, without the keys', async () => {
    const client = clientFor(server, [], { publicKey: 'pk-wrong', secretKey: 'sk-very-secret' });
    await assert.rejects(client.listObservations({}), (err: unknown) => {
      assert.ok(err instanceof LangfuseAuthError);
      assert.equal(err.code, 'UNAUTHORIZED');
      assert.equal(
        err.message,
        `Langfuse rejected the keys for ${server.baseUrl}: check the public and secret key (project settings -> API keys).`,
      );
      assert.ok(!err.message.includes('sk-very-secret') && !err.message.includes('pk-wrong'));
      return true;
    });
  });

  it('429: waits Retry-After, retries a bounded number of times, then a typed error', async () => {
    const waits: number[] = [];
    const client = clientFor(server, waits);
    server.rateLimitNext(2, '3');
    const before = server.requests.length;
    const res = await client.listObservations({ traceId: 'trace-0' });
    assert.equal(res.data.length, 4);
    assert.deepEqual(waits, [3000, 3000]);
    assert.equal(server.requests.length - before, 3);

    server.rateLimitNext(5, '1');
    await assert.rejects(client.listObservations({}), (err: unknown) => {
      assert.ok(err instanceof LangfuseRateLimitError);
      assert.equal(err.retryAfterSeconds, 1);
      assert.match(err.message, /is rate-limiting this project \(retry after 1 s\); wait a moment and try again/);
      return true;
    });
    assert.deepEqual(waits, [3000, 3000, 1000, 1000]);
    server.rateLimitNext(0);
  });

  it('429 with a Retry-After longer than the bound fails at once', async () => {
    const waits: number[] = [];
    server.rateLimitNext(1, '3600');
    await assert.rejects(clientFor(server, waits).listObservations({}), LangfuseRateLimitError);
    assert.deepEqual(waits, []);
  });

  it('400 from the API (parseIoAsJson=true) is an HTTP error with the server message', async () => {
    await assert.rejects(
      clientFor(server).getJson('/api/public/v2/observations', { parseIoAsJson: true }),
      (err: unknown) => {
        assert.ok(err instanceof LangfuseHttpError);
        assert.equal(err.status, 400);
        assert.match(err.message, /parseIoAsJson/);
        return true;
      },
    );
  });

  it('a route that does not exist (the removed v1 trace list) says to check the base URL', async () => {
    await assert.rejects(clientFor(server).getJson('/api/public/traces'), (err: unknown) => {
      assert.ok(err instanceof LangfuseUrlError);
      assert.equal(err.code, 'BAD_URL');
      assert.match(
        err.message,
        /^No Langfuse API answered at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 for GET \/api\/public\/traces\); check the base URL/,
      );
      return true;
    });
  });

  it('a web page instead of the API, and a closed port, say to check the base URL', async () => {
    const html = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Login</title>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
    const conn = langfuseConnection({ baseUrl: url, publicKey: 'pk', secretKey: 'sk' });
    try {
      await assert.rejects(new LangfuseClient(conn).listObservations({}), (err: unknown) => {
        assert.ok(err instanceof LangfuseUrlError);
        assert.match(err.message, /HTML page for GET \/api\/public\/v2\/observations\); check the base URL/);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => html.close(() => resolve()));
    }
    // The port is closed now: a network error.
    await assert.rejects(new LangfuseClient(conn).listObservations({}), (err: unknown) => {
      assert.ok(err instanceof LangfuseUrlError);
      assert.match(
        err.message,
        new RegExp(`^No Langfuse API answered at ${url} \\(network error: ECONNREFUSED\\); check the base URL`),
      );
      return true;
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterSeconds('7'), 7);
    assert.equal(retryAfterSeconds(null), undefined);
    assert.equal(retryAfterSeconds('Wed, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')), 10);
    assert.equal(retryAfterSeconds('soon'), undefined);
  });
});
