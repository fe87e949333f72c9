// `npm run demo` as a fresh user runs it: a clean temporary store, no API keys or provider URLs in
// the environment. The demo runs the real sample app (examples/support-bot) against our receiver and
// the offline stand-in, so this checks the whole path from instrumentation to the HTML report.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Trace } from '../../src/core/model/trace';
import { TraceStore } from '../../src/core/store/trace-store';
import { ensureBuiltDist, ROOT } from './built-dist';

const FLOWS = ['support-chat', 'ticket-summary-chain', 'order-status-agent'];

/** What a fresh shell without provider settings has: no keys, no base URLs, no OTLP settings. */
function freshUserEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/(_API_KEY|_BASE_URL)$/.test(name) || name.startsWith('OTEL_') || name === 'TRACE_REPLAY_DEMO_STORE') continue;
    env[name] = value;
  }
  return { ...env, DEMO_SKIP_BUILD: '1' };
}

function runDemo(store: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.cjs'), '--store', store], {
      cwd: ROOT,
      env: freshUserEnv(),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** The text between the `=== <title>` heading that contains `title` and the next heading. */
function section(output: string, title: string): string {
  const start = output.split('\n=== ').find((s) => s.split('\n')[0].includes(title));
  assert.ok(start !== undefined, `the demo printed no "${title}" step`);
  return start;
}

describe('npm run demo, as a fresh user (no keys, clean store)', function () {
  this.timeout(180_000);
  let tmp: string;
  let store: string;
  let run: { code: number | null; output: string };
  let originals: Trace[];

  before(async function () {
    ensureBuiltDist();
    tmp = mkdtempSync(path.join(tmpdir(), 'trace-replay-demo-'));
    store = path.join(tmp, 'store');
    run = await runDemo(store);
    const opened = await TraceStore.open(store);
    try {
      const summaries = (await opened.listTraces()).filter((s) => s.replayOf === undefined);
      originals = (await Promise.all(summaries.map((s) => opened.getTrace(s.id)))).filter((t) => t !== undefined);
    } finally {
      await opened.close();
    }
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('exits 0', () => {
    assert.equal(run.code, 0, run.output);
  });

  it('says the app and the replays run on the offline stand-ins, not real models', () => {
    assert.match(section(run.output, 'Starting the OFFLINE STAND-IN'), /It is not a model/);
    assert.match(
      run.output,
      /No OPENAI_API_KEY or ANTHROPIC_API_KEY: replays use the built-in OFFLINE STAND-IN offline:echo/,
    );
    assert.match(run.output, /answered by the built-in offline stand-in \(deterministic echo\), not a real model/);
  });

  it('records three traces from the instrumented sample app: a chat call, a chain, an agent with a tool call', () => {
    const byName = new Map(originals.map((t) => [t.spans.find((s) => s.parentId === undefined)?.name, t]));
    assert.deepEqual([...byName.keys()].sort(), [...FLOWS].sort());
    const llmCount = (name: string) => byName.get(name)!.spans.filter((s) => s.llm !== undefined).length;
    assert.equal(llmCount('support-chat'), 1);
    assert.equal(llmCount('ticket-summary-chain'), 2);
    assert.equal(llmCount('order-status-agent'), 2);
    const agent = byName.get('order-status-agent')!;
    assert.ok(
      agent.spans.some((s) => s.kind === 'tool' && s.name === 'lookup_order'),
      'the agent trace has its tool span',
    );
    assert.ok(
      agent.spans.some((s) => s.llm?.output.toolCalls.some((c) => c.name === 'lookup_order')),
      'the model asked for the tool',
    );
    const chatCall = byName.get('support-chat')!.spans.find((s) => s.llm)!.llm!;
    assert.equal(chatCall.prompt?.name, 'support-reply');
    assert.equal(chatCall.prompt?.version, '1');
    assert.equal(chatCall.prompt?.variables?.question, 'How do I reset my password?');
    const listing = section(run.output, 'The recorded traces');
    for (const name of FLOWS) assert.match(listing, new RegExp(`^[0-9a-f]{32}\\s+${name}\\s`, 'm'));
  });

  it('prints the model + parameter comparison: metric deltas, span tree, diffs and scores', () => {
    assert.match(section(run.output, 'Replaying all 3 traces'), /Batch of 3 replays/);
    const comparison = section(run.output, "The agent's comparison");
    assert.match(comparison, /overrides: model=offline:echo, temperature=0\.2, max_tokens=300/);
    assert.match(comparison, /^Metric\s+Original\s+Replay\s+Delta/m);
    assert.match(comparison, /^Input tokens\s+\d+\s+\d+\s+[▲▼=]/m);
    assert.match(comparison, /^Spans \(2 replayed, 2 reused/m);
    // similarity scores the replay against the original: one value, replay vs original.
    assert.match(comparison, /^Scores\nEvaluator\s+Replay vs original.*\nsimilarity\s+0\.\d+/m);
    assert.match(comparison, /temperature: 0 → 0\.2/);
    assert.match(comparison, /\{\+\(offline echo\) Where is my order A-1042\?\+\}/);
  });

  it('replays the chat call with version 2 of its prompt template and prints the prompt diff', () => {
    const replay = section(run.output, 'Replaying the chat call with version 2');
    assert.match(replay, /--template examples\/support-bot\/prompts\/support-reply\.v2\.txt/);
    assert.match(replay, /^COMPLETED [0-9a-f]{32} -> [0-9a-f]{32}/m);
    const comparison = section(run.output, 'The prompt-version comparison');
    assert.match(comparison, /template=.*support-reply\.v2\.txt/);
    assert.match(comparison, /\[-Customer question about-\]\{\+You are answering a customer of\+\}/);
    assert.match(comparison, /^Scores\nEvaluator\s+Replay vs original.*\nsimilarity\s+0\.\d+/m);
  });

  it('writes self-contained HTML reports of the comparisons and says where', () => {
    for (const [file, expected] of [
      ['report.html', 'order-status-agent'],
      ['report-prompt-v2.html', 'support-chat'],
    ]) {
      const report = path.join(store, file);
      assert.ok(existsSync(report), `${file} was not written`);
      assert.ok(run.output.includes(`HTML report: ${report}`), `the demo does not say where ${file} is`);
      const html = readFileSync(report, 'utf8');
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
      assert.doesNotMatch(html, /<(script|img|iframe)[^>]+src="(https?:)?\/\//, 'it loads nothing from the network');
      assert.doesNotMatch(html, /<link[^>]+href="(https?:)?\/\//);
      assert.ok(
        html.includes(expected) && html.includes('offline:echo') && html.includes('similarity'),
        `${file} lacks the comparison`,
      );
    }
  });
});
