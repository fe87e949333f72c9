// The end-to-end flow for Arize Phoenix through the real CLI: traces recorded by an
// OpenInference-instrumented app are listed in Phoenix -> one is shown -> the Phoenix prompt it was
// rendered from is listed with its versions and tags -> the trace is replayed with another version
// (by id and by tag) and scored -> the replay and our scores are written back to Phoenix -> compare
// shows Phoenix's annotations of both traces next to ours; --no-write-back sends nothing.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { llmEnv } from '../langfuse-cli/langfuse-cli-helpers';
import { importFixtureLocally } from '../phoenix/phoenix-test-helpers';
import {
  API_KEY,
  loadRecordings,
  OPENINFERENCE_FIXTURES,
  phoenixEnv,
  PROJECT,
  PROMPT_NAME,
  PROMPTS,
  RECORDED_TEMPLATE,
  RECORDED_VARIABLES,
  runPhoenixCli,
  TEMPLATED_FIXTURE,
  V2_RENDERED,
  V3_RENDERED,
  VERSION_IDS,
  closePhoenixSuite,
} from './phoenix-cli-helpers';

type Attr = { key: string; value: Record<string, unknown> };
type OtlpRequest = {
  resourceSpans: {
    resource: { attributes: Attr[] };
    scopeSpans: { spans: { name: string; attributes: Attr[] }[] }[];
  }[];
};

function attributes(list: Attr[]): Record<string, unknown> {
  return Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));
}

interface TraceJson {
  id: string;
  replayOf?: { originalTraceId: string; replayId: string };
  spans: {
    id: string;
    kind: string;
    llm?: {
      messages: { role: string; content: string }[];
      prompt?: { name?: string; version?: string; template?: unknown; variables?: Record<string, unknown> };
    };
  }[];
}

interface JobJson {
  id: string;
  status: string;
  traceId: string;
  replayTraceId: string;
  overrides: { templatePath?: string };
  comparison: { scores: { evaluator: string }[]; spans: { scores: { evaluator: string }[] }[] };
  spans: { status: string; warnings: string[] }[];
  phoenix: {
    originalTraceId: string;
    originalUrl?: string;
    writeBack?: { phoenixTraceId: string; url: string; spanCount: number };
    scoresWritten?: number;
  };
}

describe('Phoenix source in the CLI: list -> prompts -> replay with a prompt version -> write back -> compare', function () {
  this.timeout(180000);
  let phoenix: FakePhoenixServer;
  let llm: FakeLlmServer;
  let dir: string;
  let store: string;
  let evaluators: string;
  let env: Record<string, string>;
  let projectId: string;
  const templatedId = importFixtureLocally(TEMPLATED_FIXTURE).id;

  before(async () => {
    phoenix = await startFakePhoenix({ apiKey: API_KEY, prompts: PROMPTS });
    await loadRecordings(phoenix);
    llm = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-phoenix-cli-'));
    store = path.join(dir, 'store');
    // One score per replayed LLM span (similarity) and one of the whole trace (regex on the final answer).
    evaluators = path.join(dir, 'evaluators.json');
    await writeFile(
      evaluators,
      JSON.stringify({
        evaluators: [
          { id: 'similar-answer', type: 'similarity', scope: 'spans', options: { metric: 'token-f1' } },
          { id: 'not-empty', type: 'regex', scope: 'final', options: { pattern: '\\S', mustMatch: true } },
        ],
      }),
    );
    env = { ...phoenixEnv(phoenix), ...llmEnv(llm) };
    const res = await fetch(`${phoenix.baseUrl}/v1/projects/${PROJECT}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    projectId = ((await res.json()) as { data: { id: string } }).data.id;
  });
  after(() => closePhoenixSuite(phoenix, dir, llm));

  const traceListRequests = (): number =>
    phoenix.requests.filter((r) => /^\/v1\/projects\/[^/]+\/traces$/.test(r.path)).length;

  it('lists the recorded traces a page at a time with the next cursor, as text and JSON', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const run = await runPhoenixCli(
        [
          'traces',
          '--source',
          'phoenix',
          '--limit',
          '4',
          '--json',
          '--store',
          store,
          ...(cursor ? ['--cursor', cursor] : []),
        ],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const listed = JSON.parse(run.stdout) as { id: string; llmSpanCount: number; models: string[] }[];
      assert.ok(listed.length > 0 && listed.length <= 4);
      seen.push(...listed.map((t) => t.id));
      cursor = /--cursor (\S+)/.exec(run.stderr)?.[1];
      if (cursor) assert.match(run.stderr, /^More traces: trace-replay traces --source phoenix --cursor \S+$/m);
      else break;
    }
    assert.equal(cursor, undefined, 'the last page has no hint');
    const expected = OPENINFERENCE_FIXTURES.map((f) => importFixtureLocally(f).id);
    assert.deepEqual([...seen].sort(), [...expected].sort(), 'every recorded trace once, across the pages');

    const text = await runPhoenixCli(['traces', '--source', 'phoenix', '--store', store], env);
    assert.equal(text.code, 0, text.stderr);
    const row = text.stdout.split('\n').find((l) => l.startsWith(templatedId));
    assert.ok(row, text.stdout);
    assert.match(row, /gpt-4o-mini/);
    assert.doesNotMatch(text.stdout + text.stderr, new RegExp(API_KEY));
  });

  let llmSpanId: string;

  it('shows a trace with the prompt template, variables and version its LLM span recorded', async () => {
    const run = await runPhoenixCli(['trace', templatedId, '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(run.code, 0, run.stderr);
    const trace = JSON.parse(run.stdout) as TraceJson;
    assert.equal(trace.id, templatedId);
    const llmSpans = trace.spans.filter((s) => s.kind === 'llm');
    assert.equal(llmSpans.length, 1);
    llmSpanId = llmSpans[0].id;
    assert.deepEqual(llmSpans[0].llm?.prompt, {
      version: VERSION_IDS[0],
      template: RECORDED_TEMPLATE,
      variables: RECORDED_VARIABLES,
    });
    assert.deepEqual(
      llmSpans[0].llm?.messages.map((m) => m.content),
      ['You are a concise assistant.', 'Name three primary colours.'],
    );
  });

  it("lists the Phoenix prompts, and one prompt's versions with the tag on each", async () => {
    const list = await runPhoenixCli(['prompts', '--source', 'phoenix', '--store', store], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^NAME\s+TYPE\s+VERSIONS\s+TAGS/m);
    assert.match(
      list.stdout,
      new RegExp(`^${PROMPT_NAME}\\s+text\\s+${VERSION_IDS[2]}, ${VERSION_IDS[1]}, ${VERSION_IDS[0]}`, 'm'),
    );
    assert.match(list.stdout, /^other-prompt\s+chat\s+/m);

    const json = await runPhoenixCli(['prompts', PROMPT_NAME, '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(json.code, 0, json.stderr);
    const versions = JSON.parse(json.stdout) as {
      name: string;
      type: string;
      versions: string[];
      labelVersions: Record<string, string>;
    };
    assert.equal(versions.type, 'text');
    assert.deepEqual(versions.versions, [...VERSION_IDS].reverse(), 'newest first');
    assert.deepEqual(versions.labelVersions, { production: VERSION_IDS[0], staging: VERSION_IDS[1] });

    const text = await runPhoenixCli(['prompts', PROMPT_NAME, '--source', 'phoenix', '--store', store], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^VERSION\s+TAGS\s+TEMPLATE SPEC\s+DESCRIPTION/m);
    assert.match(
      text.stdout,
      new RegExp(`^${VERSION_IDS[1]}\\s+staging\\s+phoenix:${PROMPT_NAME}@${VERSION_IDS[1]}\\s*$`, 'm'),
    );
    assert.match(
      text.stdout,
      new RegExp(`^${VERSION_IDS[0]}\\s+production\\s+phoenix:${PROMPT_NAME}@${VERSION_IDS[0]}\\s+first cut$`, 'm'),
    );
  });

  let jobId: string;
  let writtenId: string;

  it('replays it with --template phoenix:<name>@<version id>: the new version is sent, the replay and its scores are written back', async () => {
    llm.reset();
    const spec = `phoenix:${PROMPT_NAME}@${VERSION_IDS[2]}`;
    const run = await runPhoenixCli(
      [
        'replay',
        templatedId,
        '--source',
        'phoenix',
        '--template',
        spec,
        '--evaluators',
        evaluators,
        '--json',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as JobJson;
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.traceId, templatedId);
    assert.equal(job.overrides.templatePath, spec);
    jobId = job.id;

    // The one LLM call, with version 3 rendered from the recorded variables in place of the user message.
    const chat = llm.requests.filter((r) => r.api === 'chat.completions');
    assert.equal(chat.length, 1);
    assert.deepEqual(chat[0].body.messages, [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: V3_RENDERED },
    ]);
    // The link was inferred from the one template the trace recorded: said on the span.
    assert.ok(
      job.spans.some((s) =>
        s.warnings.some((w) => /taken as a new version of the one template this trace recorded/.test(w)),
      ),
      JSON.stringify(job.spans),
    );

    // What replay --json says about Phoenix.
    assert.equal(job.phoenix.originalTraceId, templatedId);
    assert.equal(
      job.phoenix.originalUrl,
      `${phoenix.baseUrl}/projects/${encodeURIComponent(projectId)}/traces/${templatedId}`,
    );
    const writeBack = job.phoenix.writeBack!;
    assert.ok(writeBack, 'written back');
    writtenId = writeBack.phoenixTraceId;
    assert.equal(writtenId, job.replayTraceId);
    assert.equal(writeBack.url, `${phoenix.baseUrl}/projects/${encodeURIComponent(projectId)}/traces/${writtenId}`);
    // similar-answer on the one LLM span, not-empty on the final answer.
    assert.deepEqual(
      job.comparison.scores.map((s) => s.evaluator),
      ['not-empty'],
    );
    assert.deepEqual(
      job.comparison.spans.flatMap((s) => s.scores.map((x) => x.evaluator)),
      ['similar-answer'],
    );
    assert.equal(job.phoenix.scoresWritten, 2);

    // Phoenix received the replay as protobuf OTLP in the project: tagged, linked to the original.
    assert.equal(
      phoenix.otlpBodies.filter((b) => b.request !== undefined && JSON.stringify(b.request).includes('trace_replay'))
        .length,
      1,
    );
    const body = phoenix.otlpBodies.at(-1)!;
    assert.equal(body.contentType, 'application/x-protobuf');
    const request = body.request as OtlpRequest;
    for (const rs of request.resourceSpans)
      assert.equal(attributes(rs.resource.attributes)['openinference.project.name'], PROJECT);
    const spans = request.resourceSpans
      .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
      .map((s) => attributes(s.attributes));
    assert.equal(spans.length, writeBack.spanCount);
    const root = spans.find((a) => a.metadata !== undefined)!;
    assert.deepEqual(root['tag.tags'], { values: [{ stringValue: 'trace-replay' }] });
    assert.deepEqual(JSON.parse(root.metadata as string), {
      trace_replay: { original_trace_id: templatedId, replay_id: jobId },
    });

    // Read back from Phoenix through the CLI: the replayed call with the new version's text and link.
    const back = await runPhoenixCli(['trace', writtenId, '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(back.code, 0, back.stderr);
    const llmSpan = (JSON.parse(back.stdout) as TraceJson).spans.find((s) => s.kind === 'llm')!;
    assert.equal(llmSpan.llm?.messages[1].content, V3_RENDERED);
    assert.equal(llmSpan.llm?.prompt?.version, VERSION_IDS[2]);

    // Our scores arrived as annotations on the written spans and trace, ours by identifier.
    const annotations = [...phoenix.spanAnnotations, ...phoenix.traceAnnotations];
    assert.equal(annotations.length, 2);
    assert.ok(annotations.every((a) => a.identifier === 'trace-replay' && a.annotator_kind === 'CODE'));
    assert.deepEqual(
      phoenix.traceAnnotations.map((a) => [a.trace_id, a.name]),
      [[writtenId, 'not-empty']],
    );
    const replayedSpan = JSON.parse(back.stdout) as TraceJson;
    assert.deepEqual(
      phoenix.spanAnnotations.map((a) => [a.span_id, a.name]),
      [[replayedSpan.spans.find((s) => s.kind === 'llm')!.id, 'similar-answer']],
    );
  });

  it('replays with --template phoenix:<name>#<tag> on a chosen --span, and prints the write-back', async () => {
    llm.reset();
    const bodies = phoenix.otlpBodies.length;
    const run = await runPhoenixCli(
      [
        'replay',
        templatedId,
        '--source',
        'phoenix',
        '--template',
        `phoenix:${PROMPT_NAME}#staging`,
        '--span',
        llmSpanId,
        '--evaluators',
        evaluators,
        '--store',
        store,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const chat = llm.requests.filter((r) => r.api === 'chat.completions');
    assert.equal(chat.length, 1);
    assert.equal(chat[0].body.messages[1].content, V2_RENDERED);
    assert.match(run.stdout, new RegExp(`^COMPLETED\\s+${templatedId} -> [0-9a-f]{32}`, 'm'));
    assert.match(
      run.stdout,
      new RegExp(`^  phoenix: original ${templatedId} http://127\\.0\\.0\\.1:\\d+/projects/`, 'm'),
    );
    assert.match(
      run.stdout,
      /^ {2}phoenix: replay written back as [0-9a-f]{32} http:\/\/127\.0\.0\.1:\d+\/projects\/\S+\/traces\/[0-9a-f]{32}$/m,
    );
    assert.match(run.stdout, /^ {2}phoenix: \d+ scores? attached to the replay$/m);
    assert.equal(phoenix.otlpBodies.length, bodies + 1);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(API_KEY));
  });

  it('compares the replay with its original and shows the annotations Phoenix holds for both traces', async () => {
    // Someone annotates the original in Phoenix (the UI posts the same endpoint).
    const res = await fetch(`${phoenix.baseUrl}/v1/trace_annotations?sync=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({
        data: [
          {
            trace_id: templatedId,
            name: 'helpful',
            annotator_kind: 'HUMAN',
            result: { label: 'yes', score: 1, explanation: 'clear list' },
          },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.text());

    const json = await runPhoenixCli(['compare', jobId, '--store', store, '--format', 'json'], env);
    assert.equal(json.code, 0, json.stderr);
    const c = JSON.parse(json.stdout) as {
      replayId: string;
      spans: { status: string }[];
      scores: unknown[];
      platformScores: { name: string; value: unknown; source: string; target: { traceId: string; spanId?: string } }[];
    };
    assert.equal(c.replayId, jobId);
    assert.equal(c.spans.filter((s) => s.status === 'replayed').length, 1);
    assert.ok(c.scores.length > 0, 'our scores');
    const platform = c.platformScores.map((s) => [s.name, s.source, s.target.traceId, s.target.spanId !== undefined]);
    assert.deepEqual(
      platform.filter((p) => p[2] === templatedId),
      [['helpful', 'phoenix:human', templatedId, false]],
    );
    const ofReplay = platform.filter((p) => p[2] === writtenId);
    assert.deepEqual(
      ofReplay.filter((p) => !p[3]),
      [['not-empty', 'phoenix:code', writtenId, false]],
    );
    assert.ok(
      ofReplay.some((p) => p[0] === 'similar-answer' && p[3]),
      'the span annotations of the replay',
    );

    const text = await runPhoenixCli(['compare', jobId, '--store', store], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^platform scores \(original\): helpful=1 \[phoenix:human\]$/m);
    assert.match(text.stdout, /^platform scores \(replay\): .*not-empty=1 \[phoenix:code\]/m);
  });

  it('--no-write-back sends nothing to Phoenix', async () => {
    llm.reset();
    const bodies = phoenix.otlpBodies.length;
    const writes = (): number =>
      phoenix.requests.filter((r) => r.method === 'POST' && (/annotations$/.test(r.path) || r.path === '/v1/traces'))
        .length;
    const before = writes();
    const run = await runPhoenixCli(
      [
        'replay',
        templatedId,
        '--source',
        'phoenix',
        '--template',
        `phoenix:${PROMPT_NAME}#staging`,
        '--no-write-back',
        '--evaluators',
        evaluators,
        '--json',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as JobJson;
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.phoenix.originalTraceId, templatedId);
    assert.equal(job.phoenix.writeBack, undefined);
    assert.equal(job.phoenix.scoresWritten, undefined);
    assert.equal(phoenix.otlpBodies.length, bodies);
    assert.equal(writes(), before, 'no trace, no annotation');
    assert.equal(llm.requests.filter((r) => r.api === 'chat.completions')[0].body.messages[1].content, V2_RENDERED);
  });

  it('reads a trace already copied to the store without asking Phoenix again', async () => {
    const before = traceListRequests();
    const spanReads = phoenix.requests.filter((r) => /\/spans$/.test(r.path)).length;
    const run = await runPhoenixCli(
      ['replay', templatedId, '--source', 'phoenix', '--no-write-back', '--no-eval', '--store', store],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      phoenix.requests.filter((r) => /\/spans$/.test(r.path)).length,
      spanReads,
      'the spans were not read again',
    );
    assert.equal(traceListRequests(), before);
  });
});
