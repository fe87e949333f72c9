// A live replay resumed after an interruption (the runner given a job that already holds the span
// results of its first run, as ReplayQueue.resume hands it over): the span that handed over to the
// live tools is not sent again, but its tools run again on the MCP server, and the span says so in
// one warning; an earlier run's live stop does not fail a resumed run that reaches the final answer.
// Where no MCP server is set up (the CLI's `resume`), the job fails in one sentence.
// Real parts: the OpenAI SDK against the fake LLM server, the weather MCP server over stdio.
import assert from 'node:assert/strict';
import { RESUMED_LIVE_WARNING } from '../../../src/core/replay/live-replay';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ResponseCache } from '../../../src/core/replay/response-cache';
import { markRunning, runReplayJob } from '../../../src/core/replay/replay-runner';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { fakeConfigs } from '../llm/recorded-world';
import { openLiveReplayWorld, type LiveReplayWorld } from './live-replay-world';

describe('a resumed live replay', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let w: LiveReplayWorld;

  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => llm.close());
  beforeEach(async () => {
    llm.reset();
    w = await openLiveReplayWorld(llm);
  });
  afterEach(async () => w.dispose());

  it('runs the tools again (one warning on the hand-over span), does not re-send the span, and can complete', async () => {
    llm.enqueue([{ toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Lyon' } }] }, { text: 'Lyon.' }]);
    const first = await w.replay({ toolPolicy: 'live' });
    assert.equal(first.status, 'COMPLETED', first.error);
    assert.equal((await w.mcp.servedCalls()).length, 1);

    // As an interruption after the hand-over span leaves it: that span's result kept, the run stopped.
    const handOver = first.spans.findIndex((s) => s.kind === 'llm');
    const interrupted: ReplayJob = {
      ...structuredClone(first),
      spans: structuredClone(first.spans.slice(0, handOver + 1)),
      status: 'PENDING',
      resumed: 1,
      liveStopped: 'stopped after 0 steps (--max-steps) without running the tools the model still asked for: ...',
    };
    delete interrupted.replayTraceId;
    llm.reset();
    llm.enqueue({ text: 'Lyon, again.' });
    markRunning(interrupted, Date.now());
    const services = { ...createReplayServices(w.t.store, fakeConfigs(llm)), toolHost: w.host };
    await runReplayJob(interrupted, services, {
      signal: new AbortController().signal,
      cache: await ResponseCache.open(w.t.store),
      save: () => undefined,
      saveNow: async () => undefined,
      emit: () => undefined,
    });

    assert.equal(interrupted.status, 'COMPLETED', interrupted.error);
    assert.equal(interrupted.liveStopped, undefined, 'the earlier stop is gone');
    assert.equal(llm.requests.length, 1, 'only the live step: the hand-over span was not sent again');
    assert.deepEqual(
      (await w.mcp.servedCalls()).map((c) => c.args),
      [{ city: 'Lyon' }, { city: 'Lyon' }],
      'the tool ran a second time',
    );
    const warnings = interrupted.spans[handOver].warnings;
    assert.equal(warnings.filter((x) => x === RESUMED_LIVE_WARNING).length, 1);
    assert.equal(interrupted.spans.filter((s) => s.kind === 'llm').at(-1)?.execution?.output.text, 'Lyon, again.');
  });

  it('where no MCP server is set up (trace-replay resume): FAILED in one sentence, nothing sent, no tool run', async () => {
    const job: ReplayJob = {
      id: 'job-live-resumed',
      traceId: w.trace.id,
      status: 'PENDING',
      overrides: { toolPolicy: 'live' },
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
      resumed: 1,
    };
    markRunning(job, Date.now());
    await runReplayJob(job, createReplayServices(w.t.store, fakeConfigs(llm)), {
      signal: new AbortController().signal,
      cache: await ResponseCache.open(w.t.store),
      save: () => undefined,
      saveNow: async () => undefined,
      emit: () => undefined,
    });
    assert.equal(job.status, 'FAILED');
    assert.match(job.error!, /^Live tools need an MCP server to call, and none is set up here/);
    assert.equal(llm.requests.length, 0);
    assert.deepEqual(await w.mcp.servedCalls(), []);
  });
});
