// Which connection a `langfuse:` template is read from. The extension queues a replay with a spec
// that names its connection (`langfuse[<connection>]:<name>@<version>`), so a job resumed after a
// reload or run next to a job of another connection reads its own prompt. Core (vscode-free) pieces:
// the spec form, and prepareSourceReplay reading a named connection's prompt (the CLI path).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareSourceReplay } from '../../../src/core/replay/langfuse-replay';
import { formatLangfuseTemplateSpec, isLangfuseTemplateSpec, langfuseTemplateSpecOn, LangfuseTemplateSpecError, parseLangfuseTemplateSpec } from '../../../src/core/replay/langfuse-template-spec';
import { LangfuseConfigError } from '../../../src/core/sources/langfuse/langfuse-errors';
import { resolveTraceSource } from '../../../src/core/sources/open-source';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { FakePromptVersion } from '../../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { langfuseEnv, PROMPTS, promptedTrace, T0 } from '../langfuse-cli/langfuse-cli-helpers';

describe('Langfuse template specs that name their connection', () => {
  it('parses langfuse[<connection>]:<name>@<version>, #<label> and a bare name', () => {
    assert.deepEqual(parseLangfuseTemplateSpec('langfuse[prod]:support@3'), { name: 'support', version: 3, connection: 'prod' });
    assert.deepEqual(parseLangfuseTemplateSpec('langfuse[eu-2]:team/support#staging'), { name: 'team/support', label: 'staging', connection: 'eu-2' });
    assert.deepEqual(parseLangfuseTemplateSpec('langfuse[default]:support'), { name: 'support', label: 'production', connection: 'default' });
    // The unqualified form is unchanged (the CLI's --template).
    assert.deepEqual(parseLangfuseTemplateSpec('langfuse:support@3'), { name: 'support', version: 3 });
    for (const bad of ['langfuse[prod]:', 'langfuse[prod]:#x', 'langfuse[prod]:support@x']) {
      assert.throws(() => parseLangfuseTemplateSpec(bad), LangfuseTemplateSpecError, bad);
    }
  });

  it('tells specs from file paths', () => {
    assert.equal(isLangfuseTemplateSpec('langfuse[prod]:support@3'), true);
    assert.equal(isLangfuseTemplateSpec('langfuse:support@3'), true);
    for (const file of ['langfuse[prod].yaml', 'langfuse[]:x', 'prompts/langfuse[a]:b', 'support.prompt.md']) assert.equal(isLangfuseTemplateSpec(file), false, file);
  });

  it('formats and re-targets a spec, round trip', () => {
    assert.equal(formatLangfuseTemplateSpec('support', { version: 3 }, 'prod'), 'langfuse[prod]:support@3');
    assert.equal(formatLangfuseTemplateSpec('support', { label: 'staging' }), 'langfuse:support#staging');
    assert.equal(langfuseTemplateSpecOn('langfuse:team/support@4', 'eu'), 'langfuse[eu]:team/support@4');
    assert.equal(langfuseTemplateSpecOn('langfuse[old]:support', 'new'), 'langfuse[new]:support#production');
    const spec = langfuseTemplateSpecOn('langfuse:support#staging', 'prod');
    assert.deepEqual(parseLangfuseTemplateSpec(spec), { name: 'support', label: 'staging', connection: 'prod' });
  });

  describe('prepareSourceReplay', () => {
    const OTHER_V4: FakePromptVersion = { name: 'weather-system', version: 4, type: 'text', prompt: 'Other project: weather for {{city}}.', labels: [] };
    let main: FakeLangfuseServer;
    let other: FakeLangfuseServer;
    let dir: string;
    let store: TraceStore;
    let env: Record<string, string>;

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
      const plan = await prepareSourceReplay(source, store, ['lf-a'], { templatePath: 'langfuse[other]:weather-system@4', env });
      assert.equal(plan.templatePath, 'langfuse[other]:weather-system@4', 'the job keeps the connection');
      assert.ok(plan.langfusePrompts);
      assert.equal((await plan.langfusePrompts.getPrompt('weather-system', { version: 4 })).text, OTHER_V4.prompt);
      assert.ok(other.requests.some(r => r.path === '/api/public/v2/prompts/weather-system'), 'checked on the named connection');
    });

    it('keeps the unqualified spec on the traces own connection (the CLI as before)', async () => {
      const source = await resolveTraceSource('langfuse', { store, env });
      const plan = await prepareSourceReplay(source, store, ['lf-a'], { templatePath: 'langfuse:weather-system@4', env });
      assert.equal((await plan.langfusePrompts!.getPrompt('weather-system', { version: 4 })).text, PROMPTS[1].prompt);
    });

    it('refuses a connection that is not configured before anything is queued', async () => {
      const source = await resolveTraceSource('local', { store, env });
      await assert.rejects(prepareSourceReplay(source, store, ['lf-a'], { templatePath: 'langfuse[nowhere]:weather-system@4', env }), LangfuseConfigError);
    });
  });
});
