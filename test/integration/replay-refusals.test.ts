// A trace recorded with content capture off (the official @opentelemetry/instrumentation-openai,
// captureMessageContent false: its LLM span carries no messages): VS Code says before a replay
// starts that it cannot be replayed and which switch records content, Replay Trace queues nothing,
// and a replay queued anyway fails before any request — never COMPLETED with an empty conversation.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { Envelope, TraceShowParams } from '../../src/protocol';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { rawSpan } from '../support/raw-span-builder';
import { activatedApi, traceRoot, whenRoots, whenShown } from './helpers';
import { importFixtures, replayTrace, setUpProviders, tearDownProviders } from './replay-helpers';

const NO_CONTENT_TRACE = 'f48a3ee1d52adb2d6d1f6299c9dd74e3';
const LLM_SPAN = 'b235262debd5bd20';

describe('Replay refuses a trace recorded without content', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('otel-openai-nocontent.otlp.json');
  });
  after(async () => {
    for (const probe of api.panels.open()) probe.panel.dispose();
    await tearDownProviders(api, fake);
  });

  it('the trace detail panel says it cannot be replayed and names the content-capture switch', async () => {
    await vscode.commands.executeCommand('traceReplay.openTraceDetail', NO_CONTENT_TRACE);
    const probe = api.panels.trace(NO_CONTENT_TRACE);
    assert.ok(probe, 'the trace panel is open');
    const shown = (await whenShown(probe, (m) => m.method === 'trace/show')) as Envelope & { params: TraceShowParams };
    assert.match(shown.params.replayNotice ?? '', /recorded no input messages/);
    assert.match(shown.params.replayNotice ?? '', /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    const span = shown.params.spans.find((s) => s.spanId === LLM_SPAN);
    assert.ok(
      span?.warnings.some((w) => w.startsWith('Cannot be replayed:')),
      JSON.stringify(span?.warnings),
    );
  });

  it('Replay Trace queues nothing for it (no wizard opens)', async () => {
    const before = (await api.replays.listJobs({ traceId: NO_CONTENT_TRACE })).length;
    const result = await vscode.commands.executeCommand('traceReplay.replayTrace', NO_CONTENT_TRACE);
    assert.strictEqual(result, undefined);
    assert.strictEqual((await api.replays.listJobs({ traceId: NO_CONTENT_TRACE })).length, before);
  });

  it('a replay queued anyway fails before any request, naming the switch', async () => {
    fake!.reset();
    const job = await api.replays.wait((await replayTrace({ traceId: NO_CONTENT_TRACE })).id);
    assert.strictEqual(job.status, 'FAILED');
    assert.strictEqual(job.errorCode, 'NOTHING_REPLAYABLE');
    assert.match(job.error ?? '', /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT/);
    assert.strictEqual(fake!.requests.length, 0, 'nothing was sent');
  });

  it('the Traces view marks a trace with a failed span and offers no Replay on a trace without an LLM call', async () => {
    const failedTrace = 'e1'.repeat(16);
    const plainTrace = 'e2'.repeat(16);
    const store = await api.store();
    const shown = whenRoots(
      api.tracesTree,
      (roots) => !!traceRoot(roots, failedTrace) && !!traceRoot(roots, plainTrace),
    );
    const failing = rawSpan({
      traceId: failedTrace,
      spanId: '1'.repeat(16),
      name: 'chat gpt-4o-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      },
    });
    failing.status = { code: 'error', message: 'rate limited' };
    await store.ingest([failing, rawSpan({ traceId: plainTrace, spanId: '2'.repeat(16), name: 'nightly-job' })]);
    const roots = await shown;
    const failed = api.tracesTree.getTreeItem(traceRoot(roots, failedTrace)!);
    assert.strictEqual((failed.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(String(failed.description), /^1 error · /);
    assert.strictEqual(failed.contextValue, 'trace', 'a failed trace with an LLM call can still be replayed');
    const plain = api.tracesTree.getTreeItem(traceRoot(roots, plainTrace)!);
    assert.strictEqual(plain.contextValue, 'trace:no-llm', 'the Replay menus match viewItem == trace only');
    assert.match(String(plain.description), /no LLM call/);
    const tooltip = (plain.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(tooltip, /Spans: 1 span \(0 LLM\)/);
    assert.match(tooltip, /nothing to replay/);
  });
});
