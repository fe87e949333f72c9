// Live tools when the MCP side misbehaves, in a replay job end to end (replay queue, fake LLM server,
// the weather MCP server over stdio with its fault tools): a server that crashes mid-call and one
// that never answers (the per-call timeout fires), and one whose command does not exist stop the
// replay in one sentence naming the server (and the tool), the job FAILED (LIVE_TOOLS_STOPPED) with what it has kept (the replayed trace with
// the call it stopped at); a tool answering isError goes back to the model as an error result and the
// run goes on; a tool answering plain text (not JSON) reaches the model as that text, also on Gemini,
// whose function responses are JSON objects.
import assert from 'node:assert/strict';
import type { Span } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { orderStatusText } from '../../support/mcp/weather-tools';
import { openLiveReplayWorld, type LiveReplayWorld } from './live-replay-world';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

describe('live tools: bad input from the MCP side (replay job, fake LLM server, stdio MCP server)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let w: LiveReplayWorld;

  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => llm.close());
  beforeEach(async () => {
    llm.reset();
    // The fault tools, and a short per-call timeout so the hanging call gives up quickly.
    w = await openLiveReplayWorld(llm, { serverEnv: { MCP_FAULT_TOOLS: '1' }, host: { callTimeoutMs: 500 } });
  });
  afterEach(async () => w.dispose());

  const newSpans = (spans: Span[]): Span[] => spans.filter((s) => s.replay?.new);
  const ORDER_CALL = { toolCalls: [{ id: 'o1', name: 'order_lookup', arguments: { orderId: 'A-17' } }] };

  it('a server that crashes mid-call: FAILED in one sentence naming server and tool, the trace so far kept', async () => {
    llm.enqueue([{ toolCalls: [{ id: 'c1', name: 'crash_server', arguments: {} }] }, { text: 'never sent' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.match(
      job.error!,
      /^The MCP server "weather" could not run the tool crash_server \(.*Connection closed; its stderr said: weather server: crashing on purpose\); [^.]*\.$/,
    );
    assert.deepEqual(
      (await w.mcp.servedCalls()).map((c) => c.tool),
      ['crash_server', '<exit>'],
      'the call reached the server, which then ended',
    );
    assert.equal(llm.requests.length, 1, 'nothing sent after the failed call');
    const replayed = await w.replayed(job);
    const [handOver] = job.spans.filter((s) => s.kind === 'llm');
    assert.equal(handOver.status, 'replayed', 'the span that asked for the tool keeps its answer');
    assert.deepEqual(handOver.toolResults, ['none']);
    assert.ok(handOver.warnings.includes(job.error!), 'the hand-over span says why the run stopped');
    const [stoppedAt] = newSpans(replayed.spans);
    assert.equal(stoppedAt.toolName, 'crash_server');
    assert.deepEqual(stoppedAt.status, { code: 'error', message: job.error });
  });

  it('a server that never answers: the per-call timeout fires, FAILED in one sentence, the trace so far kept', async () => {
    llm.enqueue([{ toolCalls: [{ id: 'h1', name: 'hang', arguments: {} }] }, { text: 'never sent' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.equal(
      job.error,
      'The MCP server "weather" did not answer the call of the tool hang within 0.5 s; raise the per-call timeout (--tool-timeout SECONDS) if the tool is slow, or check why it hangs.',
    );
    assert.deepEqual(await w.mcp.servedCalls(), [{ tool: 'hang', args: {} }]);
    assert.equal(llm.requests.length, 1);
    assert.equal(newSpans((await w.replayed(job)).spans)[0]?.toolName, 'hang');
    // The server is still up: the host's next call is answered.
    assert.equal((await w.host.call('get_time', { zone: 'UTC' })).content, '12:00 in UTC');
  });

  it('a server whose command does not exist (started at first need): FAILED in one sentence, the trace so far kept', async () => {
    await w.dispose();
    w = await openLiveReplayWorld(llm, {
      servers: { orders: { type: 'stdio', command: 'trace-replay-no-such-mcp-server', args: [] } },
    });
    llm.enqueue([ORDER_CALL, { text: 'never sent' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.match(job.error!, /^The MCP server "orders" did not start \(.*ENOENT.*\); run its command by hand/);
    assert.equal(llm.requests.length, 1);
    assert.equal(newSpans((await w.replayed(job)).spans)[0]?.toolName, 'order_lookup');
  });

  it('a tool error goes back to the model as an error result, and the run goes on', async () => {
    llm.enqueue([{ toolCalls: [{ id: 'f1', name: 'fail_tool', arguments: {} }] }, { text: 'The tool failed.' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(llm.requests.length, 2);
    assert.deepEqual((llm.requests[1].body as Body).messages.at(-1), {
      role: 'tool',
      tool_call_id: 'f1',
      content: 'the tool broke',
    });
    const [tool] = newSpans((await w.replayed(job)).spans);
    assert.equal(tool.toolName, 'fail_tool');
    assert.deepEqual(tool.status, { code: 'error', message: 'the tool broke' });
  });

  it('a result that is not JSON reaches the model as that text (OpenAI: a string; Gemini: under "output")', async () => {
    const text = orderStatusText('A-17');
    llm.enqueue([{ toolCalls: [{ id: 'o1', name: 'order_lookup', arguments: { orderId: 'A-17' } }] }, { text: 'ok' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual((llm.requests[1].body as Body).messages.at(-1), {
      role: 'tool',
      tool_call_id: 'o1',
      content: text,
    });
    const [tool] = newSpans((await w.replayed(job)).spans);
    assert.deepEqual(tool.io, { input: { orderId: 'A-17' }, output: text });

    llm.reset();
    llm.enqueue([{ toolCalls: [{ name: 'order_lookup', arguments: { orderId: 'A-17' } }] }, { text: 'ok' }]);
    const gemini = await w.replay({ toolPolicy: 'live', model: 'gemini:gemini-2.5-flash' });
    assert.equal(gemini.status, 'COMPLETED', gemini.error);
    assert.equal(llm.requests.length, 2);
    const parts = (llm.requests[1].body as Body).contents.flatMap((c: Body) => c.parts as Body[]);
    const response = parts.find((p: Body) => p.functionResponse)?.functionResponse as Body;
    assert.equal(response.name, 'order_lookup');
    assert.deepEqual(response.response, { output: text });
  });
});
