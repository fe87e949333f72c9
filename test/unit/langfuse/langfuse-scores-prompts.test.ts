// Scores (v3) and prompt management (v2) against the fake server.
import { strict as assert } from 'node:assert';
import { LangfusePromptNotFoundError } from '../../../src/core/sources/langfuse/langfuse-errors';
import { LangfusePrompts } from '../../../src/core/sources/langfuse/langfuse-prompts';
import { fetchLangfuseScores } from '../../../src/core/sources/langfuse/langfuse-scores';
import { TemplateParseError } from '../../../src/core/prompts/template-errors';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import type { FakeScore } from '../../support/fake-langfuse/fake-langfuse-data';
import { clientFor, fake } from './langfuse-test-helpers';

const TS = '2026-03-01T10:00:00.000Z';
function score(id: string, partial: Partial<FakeScore>): FakeScore {
  return {
    id,
    projectId: 'project-1',
    name: 'quality',
    source: 'EVAL',
    dataType: 'NUMERIC',
    value: 0.5,
    timestamp: TS,
    environment: 'default',
    createdAt: TS,
    updatedAt: TS,
    ...partial,
  } as FakeScore;
}

describe('Langfuse scores and prompts', () => {
  let server: FakeLangfuseServer;
  before(async () => {
    const scores = [
      score('s1', { value: 0.8, comment: 'good', subject: { kind: 'trace', id: 'trace-1' } }),
      score('s2', {
        name: 'helpful',
        source: 'ANNOTATION',
        dataType: 'BOOLEAN',
        value: true,
        subject: { kind: 'observation', id: 'trace-1-gen2', traceId: 'trace-1' },
      }),
      score('s3', {
        name: 'tone',
        source: 'API',
        dataType: 'CATEGORICAL',
        value: 'friendly',
        subject: { kind: 'trace', id: 'trace-1' },
      }),
      score('s4', { subject: { kind: 'trace', id: 'trace-2' } }),
    ];
    for (let i = 0; i < 120; i++)
      scores.push(score(`many-${i}`, { name: 'bulk', value: i, subject: { kind: 'trace', id: 'trace-3' } }));
    server = await fake({
      scores,
      prompts: [
        { name: 'weather-system', version: 1, type: 'text', prompt: 'You are a weather bot for {{city}}.', labels: [] },
        {
          name: 'weather-system',
          version: 2,
          type: 'text',
          prompt: 'You are a concise weather bot for {{city}}.',
          labels: ['production'],
        },
        {
          name: 'weather-system',
          version: 3,
          type: 'text',
          prompt: 'Weather bot ({{city}}), answer in {{lang}}.',
          labels: ['staging'],
        },
        {
          name: 'chat-agent',
          version: 1,
          type: 'chat',
          prompt: [
            { role: 'system', content: 'Be {{style}}.' },
            { role: 'user', content: '{{question}}' },
          ],
          labels: ['production'],
        },
        {
          name: 'with-placeholder',
          version: 1,
          type: 'chat',
          prompt: [
            { role: 'system', content: 'x' },
            { type: 'placeholder', name: 'history' },
          ],
          labels: ['production'],
        },
      ],
    });
  });
  after(async () => {
    assert.deepEqual(server.violations, []);
    await server.close();
  });

  it('reads the scores of a trace as platform scores (trace and observation targets)', async () => {
    const scores = await fetchLangfuseScores(clientFor(server), 'trace-1');
    assert.deepEqual(scores, [
      { name: 'quality', value: 0.8, source: 'langfuse:eval', target: { traceId: 'trace-1' }, comment: 'good' },
      {
        name: 'helpful',
        value: true,
        source: 'langfuse:annotation',
        target: { traceId: 'trace-1', spanId: 'trace-1-gen2' },
      },
      { name: 'tone', value: 'friendly', source: 'langfuse:api', target: { traceId: 'trace-1' } },
    ]);
    const q = server.requests.at(-1)!.query;
    assert.equal(q.get('traceId'), 'trace-1');
    assert.equal(q.get('fields'), 'details,subject');
  });

  it('follows score cursors', async () => {
    const scores = await fetchLangfuseScores(clientFor(server), 'trace-3');
    assert.equal(scores.length, 120);
    assert.ok(server.requests.at(-1)!.query.get('cursor'));
  });

  it('gets a text prompt by version, by label, and the production one by default', async () => {
    const prompts = new LangfusePrompts(clientFor(server));
    assert.deepEqual(await prompts.getPrompt('weather-system', { version: 1 }), {
      name: 'weather-system',
      version: '1',
      syntax: 'mustache',
      source: 'langfuse:weather-system@1',
      kind: 'text',
      text: 'You are a weather bot for {{city}}.',
    });
    assert.equal((await prompts.getPrompt('weather-system', { label: 'staging' })).version, '3');
    assert.equal((await prompts.getPrompt('weather-system')).version, '2');
    assert.equal(server.requests.at(-1)!.query.get('label'), 'production');
    const before = server.requests.length;
    await prompts.getPrompt('weather-system', { version: 1 });
    assert.equal(server.requests.length, before, 'a version is immutable: served from memory');
  });

  it('gets a chat prompt; message placeholders are refused with a typed error', async () => {
    const prompts = new LangfusePrompts(clientFor(server));
    const chat = await prompts.getPrompt('chat-agent');
    assert.equal(chat.kind, 'chat');
    assert.deepEqual(chat.messages, [
      { role: 'system', content: 'Be {{style}}.' },
      { role: 'user', content: '{{question}}' },
    ]);
    await assert.rejects(
      prompts.getPrompt('with-placeholder'),
      (err: unknown) => err instanceof TemplateParseError && /message placeholder/.test(err.message),
    );
  });

  it('an unknown prompt or version says what to check', async () => {
    const prompts = new LangfusePrompts(clientFor(server));
    await assert.rejects(prompts.getPrompt('weather-system', { version: 9 }), (err: unknown) => {
      assert.ok(err instanceof LangfusePromptNotFoundError);
      assert.match(
        err.message,
        /^Prompt "weather-system" \(version 9\) is not in Langfuse at .*; check the prompt name and its versions or labels\.$/,
      );
      return true;
    });
  });

  it('lists prompts and the versions of one, with label targets on request', async () => {
    const prompts = new LangfusePrompts(clientFor(server));
    assert.deepEqual(
      (await prompts.listPrompts()).map((p) => p.name),
      ['chat-agent', 'weather-system', 'with-placeholder'],
    );
    const versions = await prompts.listPromptVersions('weather-system', { resolveLabels: true });
    assert.deepEqual(versions, {
      name: 'weather-system',
      type: 'text',
      versions: [3, 2, 1],
      labels: ['staging', 'latest', 'production'],
      labelVersions: { latest: 3, staging: 3, production: 2 },
    });
    assert.equal(await prompts.listPromptVersions('nope'), undefined);
  });
});
