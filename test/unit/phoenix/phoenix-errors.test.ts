// What a user sees when Phoenix says no, over real HTTP against the fake Phoenix: a missing or
// wrong API key (never echoed), an unknown project (the server's projects listed), a rate limit
// (Retry-After honoured a bounded number of times), nothing listening, and a page that is not
// Phoenix's API. Every error is a PlatformError with its code and one sentence.
import { strict as assert } from 'node:assert';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { PlatformError } from '../../../src/core/sources/platform-errors';
import {
  PhoenixAuthError,
  PhoenixProjectNotFoundError,
  PhoenixRateLimitError,
  PhoenixTooOldError,
  PhoenixUrlError,
} from '../../../src/core/sources/phoenix/phoenix-errors';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { phoenixPlatform } from '../../../src/core/sources/phoenix/phoenix-platform';
import { openPhoenix } from './phoenix-test-helpers';

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function oneSentence(e: Error): void {
  assert.ok(e instanceof PlatformError);
  assert.equal(e.message.split(/[.;] [A-Z]/).length, 1, `one sentence: ${e.message}`);
}

describe('Phoenix errors', () => {
  let server: FakePhoenixServer;
  afterEach(async () => {
    assert.deepEqual(server.violations, [], "requests and answers match Phoenix's OpenAPI document");
    await server.close();
  });

  it('401: a wrong key is named as the thing to check and never printed; a missing key says to set one', async () => {
    server = await startFakePhoenix({ apiKey: 'right-key' });
    const wrong = await openPhoenix(server, { apiKey: 'very-secret-wrong-key' });
    await assert.rejects(wrong.checkCredentials(), (e: Error) => {
      assert.ok(e instanceof PhoenixAuthError);
      assert.equal(e.code, 'UNAUTHORIZED');
      assert.match(e.message, /rejected the API key; check the Phoenix API key/);
      assert.ok(!e.message.includes('very-secret-wrong-key'));
      oneSentence(e);
      return true;
    });
    await assert.rejects(wrong.traces.listTraces(), PhoenixAuthError);
    const none = await phoenixPlatform.open(
      phoenixPlatform.connection({ name: 'default', settings: { baseUrl: server.baseUrl }, secrets: {} }),
      {},
    );
    await assert.rejects(
      none.checkCredentials(),
      (e: Error) => e instanceof PhoenixAuthError && /requires authentication; set the Phoenix API key/.test(e.message),
    );
    const right = await openPhoenix(server, { apiKey: 'right-key' });
    await right.checkCredentials();
    await right.checkCredentials();
    assert.equal(right.requestCount, 1, 'checked once per session');
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer right-key');
  });

  it('404: an unknown project is named with the projects the server has', async () => {
    server = await startFakePhoenix({ projects: ['support-bot'] });
    const session = await openPhoenix(server, { project: 'suport-bot' });
    await assert.rejects(session.traces.listTraces({ refresh: true }), (e: Error) => {
      assert.ok(e instanceof PhoenixProjectNotFoundError);
      assert.equal(e.code, 'PROJECT_NOT_FOUND');
      assert.match(
        e.message,
        /\(projects there: default, support-bot\); check the project name\.$/,
        'the list read names the projects too',
      );
      oneSentence(e);
      return true;
    });
    await assert.rejects(
      session.checkCredentials(),
      (e: Error) =>
        e instanceof PhoenixProjectNotFoundError &&
        /Project "suport-bot" is not on Phoenix at http:\/\/127\.0\.0\.1:\d+ \(projects there: default, support-bot\); check the project name\./.test(
          e.message,
        ),
    );
  });

  it('429: waits for Retry-After and tries again, a bounded number of times', async () => {
    server = await startFakePhoenix();
    const sleeps: number[] = [];
    const session = await openPhoenix(server, { sleeps, maxRetries: 2 });
    server.rateLimitNext(2, '3');
    await session.checkCredentials();
    assert.deepEqual(sleeps, [3000, 3000]);
    assert.equal(session.requestCount, 3, 'each retry counts');
    server.rateLimitNext(3, '1');
    await assert.rejects(session.traces.listTraces(), (e: Error) => {
      assert.ok(e instanceof PhoenixRateLimitError);
      assert.equal(e.code, 'RATE_LIMITED');
      assert.match(e.message, /rate-limiting requests \(retry after 1 s\)/);
      oneSentence(e);
      return true;
    });
    assert.deepEqual(sleeps, [3000, 3000, 1000, 1000]);
  });

  it('a base URL where nothing listens, or where no Phoenix API answers, is a bad-url error naming the URL', async () => {
    server = await startFakePhoenix();
    const port = await freePort();
    const down = await phoenixPlatform.open(
      phoenixPlatform.connection({ name: 'default', settings: { baseUrl: `http://127.0.0.1:${port}` }, secrets: {} }),
      {},
    );
    await assert.rejects(down.traces.listTraces(), (e: Error) => {
      assert.ok(e instanceof PhoenixUrlError);
      assert.equal(e.code, 'BAD_URL');
      assert.match(
        e.message,
        new RegExp(
          `^No Phoenix API answered at http://127\\.0\\.0\\.1:${port} \\(network error: ECONNREFUSED\\); check the Phoenix base URL`,
        ),
      );
      oneSentence(e);
      return true;
    });
    // Phoenix's web app answers unknown paths with its HTML shell: a base URL with a wrong path.
    const wrongPath = await phoenixPlatform.open(
      phoenixPlatform.connection({ name: 'default', settings: { baseUrl: `${server.baseUrl}/phoenix` }, secrets: {} }),
      {},
    );
    await assert.rejects(
      wrongPath.checkCredentials(),
      (e: Error) => e instanceof PhoenixUrlError && /HTML page for GET \/v1\/projects\/default/.test(e.message),
    );
  });

  it('a Phoenix older than the trace list endpoint is told to upgrade, not that the project is missing', async () => {
    server = await startFakePhoenix();
    // Phoenix before 13.15: projects answer, /v1/projects/{id}/traces is an unknown route (plain-text 404).
    const old = createHttpServer((req, res) => {
      if (req.url === '/v1/projects/default') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ data: { id: 'UHJvamVjdDox', name: 'default' } }));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
      }
    });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(old.address() as { port: number }).port}`;
      const session = await phoenixPlatform.open(
        phoenixPlatform.connection({ name: 'default', settings: { baseUrl }, secrets: {} }),
        {},
      );
      await session.checkCredentials();
      await assert.rejects(session.traces.listTraces(), (e: Error) => {
        assert.ok(e instanceof PhoenixTooOldError);
        assert.equal(e.kind, 'usage');
        assert.match(
          e.message,
          /has no trace list \(GET \/v1\/projects\/\{project\}\/traces\) \(added in Phoenix 13\.15\); upgrade Phoenix/,
        );
        oneSentence(e);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => old.close(() => resolve()));
    }
  });
});
