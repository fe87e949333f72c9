// `import` of several files with hostile content (#13): span cycles and a 10,000-deep chain import
// (the cycle cut on the span that starts first), a file that is not an export fails on one line with
// its name and cause, and the files after it still import; exit code 1 at the end, no stack trace.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli-helpers';

const CYCLE_TRACE = 'c'.repeat(32);
const DEEP_TRACE = 'd'.repeat(32);
const GOOD_TRACE = 'e'.repeat(32);

function spanId(n: number): string {
  return n.toString(16).padStart(16, '0');
}

function span(
  traceId: string,
  id: number,
  parent: number | undefined,
  name: string,
  attributes: Record<string, string> = {},
): Record<string, unknown> {
  const s: Record<string, unknown> = {
    traceId,
    spanId: spanId(id),
    name,
    kind: 1,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(id) * 1000n),
    endTimeUnixNano: String(1_700_000_001_000_000_000n),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  };
  if (parent !== undefined) s.parentSpanId = spanId(parent);
  return s;
}

function body(spans: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hostile' } }] },
        scopeSpans: [{ scope: { name: 't' }, spans }],
      },
    ],
  });
}

const CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

describe('trace-replay import with hostile files', function () {
  this.timeout(120_000);
  let dir: string;
  let store: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-import-hostile-'));
    store = path.join(dir, 'store');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('imports cycles and deep chains, reports a bad file on one line, and goes on', async () => {
    // An LLM span that is its own parent, and two spans that are each other's parent in two bodies (two requests).
    const cycles = path.join(dir, 'cycles.json');
    await writeFile(
      cycles,
      JSON.stringify([
        JSON.parse(body([span(CYCLE_TRACE, 1, 1, 'self', CHAT), span(CYCLE_TRACE, 2, 3, 'a', CHAT)])),
        JSON.parse(body([span(CYCLE_TRACE, 3, 2, 'b', CHAT)])),
      ]),
    );
    const deep = path.join(dir, 'deep.json');
    await writeFile(
      deep,
      body(Array.from({ length: 10_000 }, (_, i) => span(DEEP_TRACE, i + 1, i ? i : undefined, `s${i + 1}`))),
    );
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '"just a string"');
    const good = path.join(dir, 'good.json');
    const goodSpans = [span(GOOD_TRACE, 1, undefined, 'root'), span(GOOD_TRACE, 2, 1, 'call', CHAT)];
    // A number no int64 can hold: kept as a string, with a warning (never parsed).
    (goodSpans[0].attributes as unknown[]).push({ key: 'app.huge', value: { intValue: '9'.repeat(100_000) } });
    await writeFile(good, body(goodSpans));

    const run = await runCli(['import', cycles, bad, deep, good, '--store', store]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /Maximum call stack|\n\s+at /);
    const lines = run.stdout.split('\n');
    assert.match(lines.find((l) => l.includes('cycles.json')) ?? '', /^imported\s+.*cycles\.json: 3 spans in 1 trace/);
    assert.match(lines.find((l) => l.includes('deep.json')) ?? '', /^imported\s+.*deep\.json: 10000 spans in 1 trace/);
    assert.match(lines.find((l) => l.includes('good.json')) ?? '', /^imported\s+.*good\.json: 2 spans in 1 trace/);
    const goodAt = lines.findIndex((l) => l.includes('good.json'));
    assert.match(
      lines[goodAt + 1],
      /^\s+warning: span 0{15}1: attribute "app\.huge": intValue of 100000 characters is longer than an int64/,
    );
    const failed = lines.filter((l, i) => l.includes('bad.json') || (/^\s/.test(l) && i !== goodAt + 1));
    assert.equal(failed.length, 1, run.stdout);
    assert.match(failed[0], /^FAILED\s+.*bad\.json: not an OTLP trace or logs export \(.+\)$/);
    assert.match(run.stderr, /1 of 4 file\(s\) could not be imported completely/);

    const listed = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout) as { id: string }[];
    assert.deepEqual(listed.map((t) => t.id).sort(), [CYCLE_TRACE, DEEP_TRACE, GOOD_TRACE].sort());
    const shown = JSON.parse((await runCli(['trace', CYCLE_TRACE, '--store', store, '--json'])).stdout) as {
      spans: { name: string; parentId: string | null }[];
    };
    const byName = new Map(shown.spans.map((s) => [s.name, s]));
    assert.equal(byName.get('self')?.parentId, null);
    // 'a' starts before 'b': the cycle is cut at 'a'.
    assert.equal(byName.get('a')?.parentId, null);
    assert.equal(byName.get('b')?.parentId, spanId(2));
  });
});
