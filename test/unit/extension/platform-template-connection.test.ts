// Which connection a platform's prompt version is read from. The extension queues a replay with a
// ref that names its connection (`langfuse[<connection>]:<name>@<version>`), so a job resumed after
// a reload or run next to a job of another connection reads its own prompt. Core (vscode-free)
// pieces: the spec form, and prepareSourceReplay reading a named connection's prompt (the CLI path).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  formatTemplateRef,
  onConnection,
  TemplateSpecError,
  type TemplatePromptRef,
} from '../../../src/core/prompts/template-ref';
import { prepareSourceReplay } from '../../../src/core/replay/prepare-source-replay';
import { PlatformConfigError } from '../../../src/core/sources/platform-errors';
import { openPlatform, resolveTraceSource } from '../../../src/core/sources/open-source';
import { parsePromptSpec } from '../../../src/core/sources/template-spec';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { FakePromptVersion } from '../../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { langfuseEnv, PROMPTS, promptedTrace, T0 } from '../langfuse-cli/langfuse-cli-helpers';

describe('Platform prompt specs that name their connection', () => {
  it('parses langfuse[<connection>]:<name>@<version>, #<label> and a bare name', () => {
    assert.deepEqual(parsePromptSpec('langfuse[prod]:support@3'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'support',
      version: '3',
      connection: 'prod',
    });
    assert.deepEqual(parsePromptSpec('langfuse[eu-2]:team/support#staging'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'team/support',
      label: 'staging',
      connection: 'eu-2',
    });
    assert.deepEqual(parsePromptSpec('langfuse[default]:support'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'support',
      connection: 'default',
    });
    // The unqualified form is unchanged (the CLI's --template).
    assert.deepEqual(parsePromptSpec('langfuse:support@3'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'support',
      version: '3',
    });
    assert.deepEqual(parsePromptSpec('phoenix[prod]:support#staging'), {
      kind: 'prompt',
      platform: 'phoenix',
      name: 'support',
      label: 'staging',
      connection: 'prod',
    });
    for (const bad of ['langfuse[prod]:', 'langfuse[prod]:#x', 'langfuse[prod]:support@x']) {
      assert.throws(() => parsePromptSpec(bad), TemplateSpecError, bad);
    }
  });

  it('tells specs from file paths', () => {
    assert.ok(parsePromptSpec('langfuse[prod]:support@3'));
    assert.ok(parsePromptSpec('langfuse:support@3'));
    for (const file of [
      'langfuse[prod].yaml',
      'langfuse[]:x',
      'prompts/langfuse[a]:b',
      'support.prompt.md',
      'C:\\prompts\\x.txt',
      'datadog:x@1',
    ]) {
      assert.equal(parsePromptSpec(file), undefined, file);
    }
  });

  it('formats and re-targets a ref, round trip', () => {
    const v3: TemplatePromptRef = { kind: 'prompt', platform: 'langfuse', name: 'support', version: '3' };
    assert.equal(formatTemplateRef(onConnection(v3, 'prod')), 'langfuse[prod]:support@3');
    assert.equal(
      formatTemplateRef({ kind: 'prompt', platform: 'langfuse', name: 'support', label: 'staging' }),
      'langfuse:support#staging',
    );
    assert.equal(
      formatTemplateRef(onConnection(parsePromptSpec('langfuse:team/support@4')!, 'eu')),
      'langfuse[eu]:team/support@4',
    );
    const spec = formatTemplateRef(onConnection(parsePromptSpec('langfuse:support#staging')!, 'prod'));
    assert.deepEqual(parsePromptSpec(spec), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'support',
      label: 'staging',
      connection: 'prod',
    });
  });

  describe('prepareSourceReplay', () => {
    const OTHER_V4: FakePromptVersion = {
      name: 'weather-system',
      version: 4,
      type: 'text',
      prompt: 'Other project: weather for {{city}}.',
      labels: [],
    };
    let main: FakeLangfuseServer;
    let other: FakeLangfuseServer;
    let dir: string;
    let store: TraceStore;
    let env: Record<string, string>;
    const opener = (platform: Parameters<typeof openPlatform>[0], connection: string) =>
      openPlatform(platform, connection, { store, env });

    before(async () => {
      main = await startFakeLangfuse({ observations: promptedTrace('lf-a', T0), prompts: PROMPTS });
      other = await startFakeLangfuse({ prompts: [PROMPTS[0], OTHER_V4] });
      dir = await mkdtemp(path.join(os.tmpdir(), 'tr-langfuse-spec-'));
      store = await TraceStore.open(dir);
      env = {
        ...langfuseEnv(main),
        LANGFUSE_CONNECTIONS: 'other',
        LANGFUSE_OTHER_BASE_URL: other.baseUrl,
        LANGFUSE_OTHER_PUBLIC_KEY: other.publicKey,
        LANGFUSE_OTHER_SECRET_KEY: other.secretKey,
      };
    });
    after(async () => {
      assert.deepEqual([...main.violations, ...other.violations], []);
      await store.close();
      await Promise.all([main.close(), other.close()]);
      await rm(dir, { recursive: true, force: true });
    });

    it('reads a spec that names a connection from that connection, also when the traces come from another', async () => {
      const source = await resolveTraceSource('langfuse', { store, env });
      const template = parsePromptSpec('langfuse[other]:weather-system@4')!;
      const plan = await prepareSourceReplay(source, store, ['lf-a'], { template, open: opener });
      assert.equal(
        formatTemplateRef(plan.template!),
        'langfuse[other]:weather-system@4',
        'the job keeps the connection',
      );
      assert.equal((await plan.promptVersions(template)).text, OTHER_V4.prompt);
      assert.ok(
        other.requests.some((r) => r.path === '/api/public/v2/prompts/weather-system'),
        'checked on the named connection',
      );
    });

    it('keeps the unqualified spec on the traces own connection (the CLI as before)', async () => {
      const source = await resolveTraceSource('langfuse', { store, env });
      const template = parsePromptSpec('langfuse:weather-system@4')!;
      const plan = await prepareSourceReplay(source, store, ['lf-a'], { template, open: opener });
      assert.equal((await plan.promptVersions(template)).text, PROMPTS[1].prompt);
    });

    it('refuses a connection that is not configured before anything is queued', async () => {
      const source = await resolveTraceSource('local', { store, env });
      await assert.rejects(
        prepareSourceReplay(source, store, ['lf-a'], {
          template: parsePromptSpec('langfuse[nowhere]:weather-system@4'),
          open: opener,
        }),
        PlatformConfigError,
      );
    });
  });
});
