// A `langfuse:` prompt version is read from the connection the replay was checked against, not
// from whichever connection is active when the engine gets to it: two fake Langfuse projects hold a
// prompt of the same name and version with different text; replays of a trace from each, queued
// together, each send their own project's text, and a job resumed after a "reload" (a PENDING job on
// disk, picked up by resumeInterrupted) with the other project active still sends its own.
import { formatTemplateRef } from '../../src/core/prompts/template-ref';
import * as assert from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-history';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { FakePromptVersion } from '../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../support/fake-langfuse/fake-langfuse-server';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi } from './helpers';
import { closeFakes, connectFake, disconnectAll, firstMessageText, promptedTrace, T0 } from './langfuse-helpers';
import { replayTrace, setUpProviders, tearDownProviders } from './replay-helpers';

const A = 'itest-pc-a';
const B = 'itest-pc-b';
const SPEC = 'langfuse:weather-system@5';

function prompts(v5: string): FakePromptVersion[] {
  return [
    {
      name: 'weather-system',
      version: 3,
      type: 'text',
      prompt: 'You are a weather bot for {{city}}.',
      labels: ['production'],
    },
    { name: 'weather-system', version: 5, type: 'text', prompt: v5, labels: [] },
  ];
}

describe("Langfuse prompt versions are read from the replay's own connection", () => {
  let api: TraceReplayApi;
  let a: FakeLangfuseServer;
  let b: FakeLangfuseServer;
  let llm: FakeLlmServer | undefined;

  before(async () => {
    api = await activatedApi();
    a = await startFakeLangfuse({
      observations: promptedTrace('pc-trace-a', T0),
      prompts: prompts('Project A: weather for {{city}}.'),
    });
    b = await startFakeLangfuse({
      observations: promptedTrace('pc-trace-b', T0),
      prompts: prompts('Project B: weather for {{city}}.'),
    });
    llm = await setUpProviders(api);
    await connectFake(A, a);
    await connectFake(B, b);
  });

  after(async () => {
    await disconnectAll(api, [A, B]);
    await tearDownProviders(api, llm);
    await closeFakes(a, b);
  });

  async function replayedPlanText(job: ReplayJob): Promise<string | undefined> {
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    return firstMessageText(await (await api.store()).getTrace(done.replayTraceId!), 'plan');
  }

  it('replays of two connections queued together each use their own prompt text', async () => {
    const [jobA, jobB] = await Promise.all([
      replayTrace({
        traceId: 'pc-trace-a',
        sourceId: `langfuse:${A}`,
        model: 'openai:gpt-4.1-mini',
        templatePath: SPEC,
      }),
      replayTrace({
        traceId: 'pc-trace-b',
        sourceId: `langfuse:${B}`,
        model: 'openai:gpt-4.1-mini',
        templatePath: SPEC,
      }),
    ]);
    assert.strictEqual(
      formatTemplateRef(jobA.overrides.template!),
      `langfuse[${A}]:weather-system@5`,
      'the job keeps the connection it was checked on',
    );
    assert.strictEqual(formatTemplateRef(jobB.overrides.template!), `langfuse[${B}]:weather-system@5`);
    assert.strictEqual(await replayedPlanText(jobA), 'Project A: weather for Paris.');
    assert.strictEqual(await replayedPlanText(jobB), 'Project B: weather for Paris.');
  });

  it('a job resumed after a reload reads its prompt from its connection, not the active one', async () => {
    await vscode.commands.executeCommand('traceReplay.switchTraceSource', `langfuse:${A}`);
    assert.strictEqual(api.sources.active().id, `langfuse:${A}`);
    const store = await api.store();
    const trace = await store.getTrace('pc-trace-b');
    assert.strictEqual(trace?.source?.connection, B, 'copied into the store by the test before');
    // What a reload leaves on disk: a job queued (with the spec it was checked with) but not run;
    // written as 0.1 wrote it (`templatePath`), so this also reads an older version's queue.
    const job: ReplayJob = {
      id: randomUUID(),
      traceId: 'pc-trace-b',
      status: 'PENDING',
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
      overrides: {
        model: 'openai:gpt-4.1-mini',
        templatePath: `langfuse[${B}]:weather-system@5`,
        cache: false,
      } as ReplayJob['overrides'],
    };
    await (await store.collection<ReplayJob>(REPLAYS_COLLECTION)).put(job.id, job);
    const resumed = await api.replays.resumeInterrupted();
    assert.deepStrictEqual(
      resumed.map((j) => j.id),
      [job.id],
    );
    assert.strictEqual(await replayedPlanText(job), 'Project B: weather for Paris.');
  });
});
