// The vscode-free parts of the Traces view's platform source (on Langfuse): the paged listing (reads only when
// asked, no retry on its own) and the prompt versions the Replay Trace wizard offers.
import * as assert from 'node:assert';
import type { Trace } from '../../../src/core/model/trace';
import { LangfuseClient } from '../../../src/core/sources/langfuse/langfuse-client';
import { langfuseConnection } from '../../../src/core/sources/langfuse/langfuse-config';
import { LangfuseAuthError } from '../../../src/core/sources/langfuse/langfuse-errors';
import { langfusePlatform } from '../../../src/core/sources/langfuse/langfuse-platform';
import { LangfuseTraceSource } from '../../../src/core/sources/langfuse/langfuse-source';
import type { PlatformDescriptor, PlatformPrompts } from '../../../src/core/sources/platform';
import { linkedPlatformPrompts, platformPromptChoices } from '../../../src/extension/sources/platform-prompt-choices';
import { SourceListing } from '../../../src/extension/sources/source-listing';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../../support/fake-langfuse/langfuse-fixtures';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe('SourceListing and the Langfuse prompt choices', () => {
  let server: FakeLangfuseServer;
  const client = (secretKey = server.secretKey): LangfuseClient =>
    new LangfuseClient(langfuseConnection({ baseUrl: server.baseUrl, publicKey: server.publicKey, secretKey }), {
      maxRetries: 0,
    });
  const source = (secretKey?: string): LangfuseTraceSource =>
    new LangfuseTraceSource(client(secretKey), { defaultPageSize: 2 });
  const prompts = async (): Promise<PlatformPrompts> =>
    (
      await langfusePlatform.open(
        langfuseConnection({ baseUrl: server.baseUrl, publicKey: server.publicKey, secretKey: server.secretKey }),
        { clientOptions: { maxRetries: 0 } },
      )
    ).prompts!;
  const langfuse = langfusePlatform as unknown as PlatformDescriptor;
  const observationRequests = (): number =>
    server.requests.filter((r) => r.path === '/api/public/v2/observations').length;

  before(async () => {
    server = await startFakeLangfuse({
      observations: [0, 1, 2].flatMap((i) =>
        agentTrace(`t-${i}`, T0 + i * 60_000, i === 1 ? 'odd-agent' : 'weather-agent'),
      ),
      prompts: [
        { name: 'weather-system', version: 2, type: 'text', prompt: 'Old {{city}}', labels: [] },
        {
          name: 'weather-system',
          version: 3,
          type: 'text',
          prompt: 'You are a weather bot for {{city}}.',
          labels: ['production'],
        },
        { name: 'weather-system', version: 4, type: 'text', prompt: 'Short {{city}}', labels: ['staging'] },
      ],
    });
  });
  after(async () => {
    assert.deepStrictEqual(server.violations, []);
    await server.close();
  });

  it('reads the first page once, then the next pages only when asked', async () => {
    const src = source();
    const listing = new SourceListing('langfuse', async () => src, undefined);
    assert.strictEqual(listing.state().pending, true);
    const start = observationRequests();
    await listing.first();
    await listing.first();
    const afterFirst = observationRequests();
    assert.ok(afterFirst > start);
    let state = listing.state();
    assert.deepStrictEqual(
      state.traces.map((t) => t.id),
      ['t-2', 't-1'],
    );
    assert.strictEqual(state.hasMore, true);
    await listing.first();
    assert.strictEqual(observationRequests(), afterFirst, 'first() does not read again');
    await Promise.all([listing.more(), listing.more()]);
    state = listing.state();
    assert.deepStrictEqual(
      state.traces.map((t) => t.id),
      ['t-2', 't-1', 't-0'],
    );
    assert.strictEqual(state.hasMore, false);
    const afterMore = observationRequests();
    await listing.more();
    assert.strictEqual(observationRequests(), afterMore, 'nothing left to read');
  });

  it('keeps an error until the user asks again, and narrows by prompt on the pages read', async () => {
    const failing = new SourceListing('langfuse', async () => source('sk-wrong'), undefined);
    await failing.first();
    assert.ok(failing.state().error instanceof LangfuseAuthError);
    const requests = server.requests.length;
    await failing.first();
    assert.strictEqual(server.requests.length, requests, 'no retry on its own');
    await failing.more();
    assert.strictEqual(server.requests.length, requests + 1, 'Load more is a retry');

    const byPrompt = new SourceListing('langfuse', async () => source(), { prompt: 'no-such-prompt' });
    await byPrompt.first();
    assert.deepStrictEqual(byPrompt.state().traces, []);
    assert.strictEqual(byPrompt.state().hasMore, true);
    const byModel = new SourceListing('langfuse', async () => source(), {
      model: 'claude-haiku-4-5',
      prompt: 'weather-system',
    });
    await byModel.first();
    assert.deepStrictEqual(
      byModel.state().traces.map((t) => t.id),
      ['t-2', 't-1'],
    );
  });

  it('a fresh listing asks Langfuse instead of its cached pages', async () => {
    const src = source();
    await new SourceListing('langfuse', async () => src, undefined).first();
    const cached = observationRequests();
    await new SourceListing('langfuse', async () => src, undefined).first();
    assert.strictEqual(observationRequests(), cached, 'the second listing is served from the cache');
    await new SourceListing('langfuse', async () => src, undefined, true).first();
    assert.ok(observationRequests() > cached);
  });

  it('lists the labels and versions of the Langfuse prompt the trace was rendered from', async () => {
    const trace = (await source().getTrace('t-0')) as Trace;
    const linked = linkedPlatformPrompts([trace], 'langfuse');
    assert.deepStrictEqual([...linked.keys()], ['weather-system']);
    assert.deepStrictEqual([...linked.get('weather-system')!.recordedVersions], ['3']);
    const choices = await platformPromptChoices([trace], langfuse, await prompts());
    assert.deepStrictEqual(
      choices.map((c) => [c.spec, c.label, c.description]),
      [
        ['langfuse:weather-system#production', 'weather-system #production', 'label'],
        ['langfuse:weather-system#staging', 'weather-system #staging', 'label'],
        ['langfuse:weather-system@4', 'weather-system v4', 'newest'],
        ['langfuse:weather-system@3', 'weather-system v3', 'recorded'],
        ['langfuse:weather-system@2', 'weather-system v2', undefined],
      ],
    );
    assert.deepStrictEqual(choices[0].spanIds, [trace.spans.find((s) => s.name === 'plan')!.id]);
  });

  it('offers nothing for spans linked to a prompt outside Langfuse, or one Langfuse does not have', async () => {
    const trace = (await source().getTrace('t-0')) as Trace;
    const local = structuredClone(trace);
    for (const s of local.spans) if (s.llm?.prompt) s.llm.prompt = { name: 'weather-system', source: 'traceloop' };
    assert.strictEqual(linkedPlatformPrompts([local], 'langfuse').size, 0);
    const renamed = structuredClone(trace);
    for (const s of renamed.spans) if (s.llm?.prompt) s.llm.prompt.name = 'unknown-prompt';
    assert.deepStrictEqual(await platformPromptChoices([renamed], langfuse, await prompts()), []);
  });
});
