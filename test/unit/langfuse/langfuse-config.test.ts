import { strict as assert } from 'node:assert';
import {
  findLangfuseConnection,
  langfuseConnectionsFromEnv,
  normalizeBaseUrl,
} from '../../../src/core/sources/langfuse/langfuse-config';
import { LangfuseConfigError } from '../../../src/core/sources/langfuse/langfuse-errors';

describe('Langfuse connections from the environment', () => {
  it('reads the standard variables, LANGFUSE_HOST as a fallback, and the cloud default', () => {
    assert.deepEqual(
      langfuseConnectionsFromEnv({
        LANGFUSE_BASE_URL: 'https://us.cloud.langfuse.com/',
        LANGFUSE_PUBLIC_KEY: 'pk',
        LANGFUSE_SECRET_KEY: 'sk',
      }),
      [{ name: 'default', baseUrl: 'https://us.cloud.langfuse.com', publicKey: 'pk', secretKey: 'sk' }],
    );
    assert.equal(
      langfuseConnectionsFromEnv({
        LANGFUSE_HOST: 'http://localhost:3000',
        LANGFUSE_PUBLIC_KEY: 'pk',
        LANGFUSE_SECRET_KEY: 'sk',
      })[0].baseUrl,
      'http://localhost:3000',
    );
    assert.equal(
      langfuseConnectionsFromEnv({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk' })[0].baseUrl,
      'https://cloud.langfuse.com',
    );
    assert.deepEqual(langfuseConnectionsFromEnv({}), []);
  });

  it('reads named connections listed in LANGFUSE_CONNECTIONS', () => {
    const conns = langfuseConnectionsFromEnv({
      LANGFUSE_PUBLIC_KEY: 'pk',
      LANGFUSE_SECRET_KEY: 'sk',
      LANGFUSE_CONNECTIONS: 'staging, self-hosted',
      LANGFUSE_STAGING_PUBLIC_KEY: 'pk2',
      LANGFUSE_STAGING_SECRET_KEY: 'sk2',
      LANGFUSE_SELF_HOSTED_BASE_URL: 'https://lf.example.com',
      LANGFUSE_SELF_HOSTED_PUBLIC_KEY: 'pk3',
      LANGFUSE_SELF_HOSTED_SECRET_KEY: 'sk3',
    });
    assert.deepEqual(
      conns.map((c) => [c.name, c.baseUrl]),
      [
        ['default', 'https://cloud.langfuse.com'],
        ['staging', 'https://cloud.langfuse.com'],
        ['self-hosted', 'https://lf.example.com'],
      ],
    );
    assert.equal(findLangfuseConnection(conns, 'staging').publicKey, 'pk2');
    assert.equal(findLangfuseConnection(conns).name, 'default');
    assert.throws(
      () => findLangfuseConnection(conns, 'nope'),
      /no Langfuse connection named "nope"; configured: default, staging, self-hosted/,
    );
    assert.throws(() => findLangfuseConnection([]), LangfuseConfigError);
    // A usage error whose fix is connecting: the surfaces offer Connect Langfuse... for that connection.
    assert.throws(
      () => findLangfuseConnection(conns, 'nope'),
      (err: unknown) => {
        assert.ok(err instanceof LangfuseConfigError);
        assert.equal(err.code, 'PLATFORM_CONFIG');
        assert.equal(err.kind, 'usage');
        assert.deepEqual(err.next, { kind: 'connect-platform', platform: 'langfuse', connection: 'nope' });
        return true;
      },
    );
  });

  it('names the missing variable, never a value', () => {
    assert.throws(
      () => langfuseConnectionsFromEnv({ LANGFUSE_SECRET_KEY: 'sk-secret' }),
      (err: unknown) => {
        assert.ok(err instanceof LangfuseConfigError);
        assert.match(err.message, /LANGFUSE_SECRET_KEY is set but LANGFUSE_PUBLIC_KEY is not/);
        assert.ok(!err.message.includes('sk-secret'));
        return true;
      },
    );
    assert.throws(
      () => langfuseConnectionsFromEnv({ LANGFUSE_CONNECTIONS: 'x' }),
      /LANGFUSE_X_PUBLIC_KEY and LANGFUSE_X_SECRET_KEY are not set/,
    );
    assert.throws(() => normalizeBaseUrl('cloud.langfuse.com'), LangfuseConfigError);
    assert.throws(() => normalizeBaseUrl('ftp://x'), /must start with http/);
  });
});
