import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collect, ROOT, runCli, startCli, waitForLine } from './cli-helpers';

const FIXTURES = path.join(ROOT, 'test/fixtures/otlp');
const AGENT = path.join(FIXTURES, 'openinference-anthropic-agent.json');
const SINGLE = path.join(FIXTURES, 'traceloop-openai-single.json');

describe('trace-replay CLI', function () {
  this.timeout(60000);
  let dir: string;
  let store: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-cli-'));
    store = path.join(dir, 'store');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('imports files, lists traces as JSON and shows one trace in the documented shape', async () => {
    const imported = await runCli(['import', AGENT, SINGLE, '--store', store]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported\s+.*openinference-anthropic-agent\.json: \d+ spans in 1 trace/);

    const listed = await runCli(['traces', '--store', store, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const traces = JSON.parse(listed.stdout) as Record<string, unknown>[];
    assert.equal(traces.length, 2);
    for (const t of traces) {
      assert.deepEqual(Object.keys(t).sort(), [
        'durationMs',
        'id',
        'llmSpanCount',
        'models',
        'name',
        'spanCount',
        'startTime',
      ]);
      assert.match(t.id as string, /^[0-9a-f]{32}$/);
      assert.ok(!Number.isNaN(Date.parse(t.startTime as string)));
    }
    const agent = traces.find((t) => (t.models as string[]).some((m) => m.startsWith('claude')));
    assert.ok(agent, 'the Anthropic agent trace is listed');
    assert.equal(agent.llmSpanCount, 2);

    const shown = await runCli(['trace', agent.id as string, '--store', store, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const trace = JSON.parse(shown.stdout);
    assert.equal(trace.id, agent.id);
    const llm = trace.spans.filter((s: { kind: string }) => s.kind === 'llm');
    assert.equal(llm.length, 2);
    const [first, second] = llm.map((s: { llm: unknown }) => s.llm);
    assert.equal(first.provider, 'anthropic');
    assert.equal(first.requestModel, 'claude-haiku-4-5');
    assert.deepEqual(first.messages[0], { role: 'system', content: 'You are a concise assistant.' });
    assert.deepEqual(first.output.toolCalls, [
      { id: 'toolu_weather_1', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    assert.equal(first.tools[0].name, 'get_weather');
    assert.equal(first.parameters.temperature, 0);
    assert.equal(first.parameters.maxTokens, 256);
    assert.equal(first.usage.inputTokens, 28);
    assert.equal(first.usage.outputTokens, 9);
    const toolResult = second.messages.find((m: { toolCallId?: string }) => m.toolCallId === 'toolu_weather_1');
    assert.ok(toolResult, 'the second call carries the tool result paired with its call id');
    assert.equal(trace.spans.filter((s: { kind: string }) => s.kind === 'tool').length, 1);

    const tree = await runCli(['trace', agent.id as string, '--store', store]);
    assert.equal(tree.code, 0);
    assert.match(tree.stdout, /\[llm\]\s+anthropic\.messages\.create .*anthropic:claude-haiku-4-5-20251001\s+28→9 tok/);
    assert.match(tree.stdout, /\[tool\]\s+get_weather/);
  });

  it('reports a broken file by name and reason and still imports the others', async () => {
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{"resourceSpans": [ {"scopeSpans": ');
    const notOtlp = path.join(dir, 'not-otlp.json');
    await writeFile(notOtlp, '"just a string"');
    const run = await runCli(['import', broken, SINGLE, notOtlp, '--store', store, '--json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      files: { path: string; ok: boolean; spans: number; errors: string[] }[];
    };
    const [b, good, n] = report.files;
    assert.equal(b.ok, false);
    assert.match(b.errors[0], /not valid JSON/);
    assert.equal(good.ok, true);
    assert.ok(good.spans > 0);
    assert.equal(n.ok, false);
    assert.match(n.errors[0], /not an OTLP trace or logs export/);
    assert.match(run.stderr, /2 of 3 file\(s\) could not be imported/);
    const listed = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout);
    assert.equal(listed.length, 1);
  });

  it('imports JSONL, keeping the good lines when one line is broken', async () => {
    const bodies = (await import(SINGLE, { with: { type: 'json' } })).default as unknown[];
    const jsonl = path.join(dir, 'traces.jsonl');
    await writeFile(jsonl, [...bodies.map((b) => JSON.stringify(b)), '{oops'].join('\n'));
    const run = await runCli(['import', jsonl, '--store', store, '--json']);
    const [file] = JSON.parse(run.stdout).files;
    assert.equal(file.ok, false);
    assert.ok(file.spans > 0);
    assert.match(file.errors.join(' '), new RegExp(`line ${bodies.length + 1}: not valid JSON`));
  });

  it('names the store and the way out when a trace id is unknown', async () => {
    const run = await runCli(['trace', '0123456789abcdef0123456789abcdef', '--store', store]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Trace 0123456789abcdef0123456789abcdef is not in the store .*trace-replay traces/);
  });

  it('receive: runs the OTLP receiver until interrupted and stores what it receives', async () => {
    const child = startCli(['receive', '--port', '0', '--store', store]);
    const done = collect(child);
    const [, endpoint] = await waitForLine(child, /listening: (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/);
    const bodies = (await import(SINGLE, { with: { type: 'json' } })).default as unknown[];
    for (const body of bodies) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200);
    }
    child.kill('SIGINT');
    const run = await done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /receiver stopped/);
    const listed = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].llmSpanCount, 1);
  });
});
