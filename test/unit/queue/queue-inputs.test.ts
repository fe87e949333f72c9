// What a replay queue checks before it talks to Redis: the URL, and the payload a worker takes.
import assert from 'node:assert/strict';
import { parseRedisUrl, RedisUrlError } from '../../../src/core/queue/redis-connection';
import {
  PayloadShapeError,
  PayloadVersionError,
  payloadJobId,
  readReplayPayload,
  REPLAY_PAYLOAD_VERSION,
} from '../../../src/core/queue/replay-payload';

describe('Redis URL of a replay queue', () => {
  it('reads host, port, database, user and password; rediss turns TLS on', () => {
    assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6390/2').options, {
      host: '127.0.0.1',
      port: 6390,
      db: 2,
      maxRetriesPerRequest: null,
    });
    const secure = parseRedisUrl('rediss://worker:p%40ss@redis.example.com').options;
    assert.equal(secure.port, 6379);
    assert.equal(secure.username, 'worker');
    assert.equal(secure.password, 'p@ss');
    assert.deepEqual(secure.tls, {});
  });

  it('refuses what is not a Redis URL in one sentence, password redacted', () => {
    for (const [url, why] of [
      ['localhost:6379', /not a URL|the scheme is localhost/],
      ['http://127.0.0.1:6379', /the scheme is http, not redis or rediss/],
      ['redis://127.0.0.1:6379/db1', /the database "db1" is not a number/],
    ] as const) {
      assert.throws(
        () => parseRedisUrl(url),
        (err: Error) => err instanceof RedisUrlError && why.test(err.message) && err.kind === 'usage',
      );
    }
    assert.throws(
      () => parseRedisUrl('http://u:hunter2@host'),
      (err: Error) => !err.message.includes('hunter2') && err.message.includes('http://***@host'),
    );
  });
});

describe('replay payload read by a worker', () => {
  const job = { id: 'j1', traceId: 't1', overrides: {}, status: 'PENDING', spans: [] };
  const trace = { id: 't1', spans: [] };

  it('takes a payload of its own version', () => {
    const payload = { version: REPLAY_PAYLOAD_VERSION, job, trace, tools: { catalog: [] } };
    assert.equal(readReplayPayload(payload).job.id, 'j1');
  });

  it('takes a version-1 payload (it cannot name a fork span or a tool policy, so it reads the same)', () => {
    assert.equal(readReplayPayload({ version: 1, job, trace, tools: { catalog: [] } }).job.id, 'j1');
  });

  it('refuses another version, naming both, and what is not a replay job', () => {
    assert.throws(
      () => readReplayPayload({ version: 3, job, trace, tools: { catalog: [] } }),
      (err: Error) => err instanceof PayloadVersionError && /payload version 3, this worker reads 2/.test(err.message),
    );
    assert.throws(() => readReplayPayload('text'), PayloadShapeError);
    assert.throws(
      () => readReplayPayload({ version: REPLAY_PAYLOAD_VERSION, job, tools: { catalog: [] } }),
      /no trace/,
    );
    assert.equal(payloadJobId({ version: 9, job: { id: 'j9' } }), 'j9');
    assert.equal(payloadJobId(null), undefined);
  });
});
