// `traces --source phoenix --cursor` when traces arrive out of time order and several start in the
// same microsecond: Phoenix's own cursor is a row id whatever the sort, so the source pages by start
// time itself; every trace is listed once, newest first, and a cursor that is not the list's is a
// usage error (exit 2) in one sentence.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { llmEnv } from '../langfuse-cli/langfuse-cli-helpers';
import { API_KEY, phoenixEnv, PROJECT, runPhoenixCli, closePhoenixSuite } from './phoenix-cli-helpers';

const T0 = 1_772_359_200_000_000_000n; // 2026-03-01T10:00:00Z in ns
/** Traces named "Lookup n" (the others "ChatCompletion n"): what `batch --filter Lookup` picks. */
const LOOKUPS = [3, 4, 6];

/** One trace of one OpenInference LLM span starting at `startNs`, as OTLP/JSON. */
function traceBody(n: number, startNs: bigint): object {
  const hex = (width: number): string => n.toString(16).padStart(width, '0');
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'paging-app')] },
        scopeSpans: [
          {
            scope: { name: 'openinference.instrumentation.openai' },
            spans: [
              {
                traceId: `${'a'.repeat(24)}${hex(8)}`,
                spanId: `${'b'.repeat(8)}${hex(8)}`,
                name: `${LOOKUPS.includes(n) ? 'Lookup' : 'ChatCompletion'} ${n}`,
                kind: 1,
                startTimeUnixNano: startNs.toString(),
                endTimeUnixNano: (startNs + 1_000_000n).toString(),
                attributes: [
                  attr('openinference.span.kind', 'LLM'),
                  attr('llm.system', 'openai'),
                  attr('llm.model_name', 'gpt-4o-mini'),
                  attr('llm.input_messages.0.message.role', 'user'),
                  attr('llm.input_messages.0.message.content', `question ${n}`),
                  attr('llm.output_messages.0.message.role', 'assistant'),
                  attr('llm.output_messages.0.message.content', `answer ${n}`),
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('Phoenix source in the CLI: paging a list whose traces arrived out of time order', function () {
  this.timeout(120000);
  let phoenix: FakePhoenixServer;
  let llm: FakeLlmServer;
  let dir: string;
  let store: string;
  /** Trace number -> start, in arrival order: 3, 4 and 5 start in the same microsecond. */
  const arrivals: [number, bigint][] = [
    [1, T0 + 5_000_000_000n],
    [4, T0],
    [3, T0],
    [6, T0 - 5_000_000_000n],
    [5, T0],
    [2, T0 + 10_000_000_000n],
  ];
  const id = (n: number): string => `${'a'.repeat(24)}${n.toString(16).padStart(8, '0')}`;

  before(async () => {
    phoenix = await startFakePhoenix({ apiKey: API_KEY });
    for (const [n, start] of arrivals) assert.equal(phoenix.ingest(traceBody(n, start), PROJECT), 1);
    llm = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-phoenix-paging-'));
    store = path.join(dir, 'store');
  });
  after(() => closePhoenixSuite(phoenix, dir, llm));

  it('lists every trace once, newest first, two at a time', async () => {
    const seen: string[][] = [];
    let cursor: string | undefined;
    do {
      const run = await runPhoenixCli(
        [
          'traces',
          '--source',
          'phoenix',
          '--limit',
          '2',
          '--json',
          '--store',
          store,
          ...(cursor ? ['--cursor', cursor] : []),
        ],
        phoenixEnv(phoenix),
      );
      assert.equal(run.code, 0, run.stderr);
      seen.push((JSON.parse(run.stdout) as { id: string }[]).map((t) => t.id));
      cursor = /--cursor (\S+)/.exec(run.stderr)?.[1];
    } while (cursor && seen.length < 10);
    assert.equal(seen.length, 3, JSON.stringify(seen));
    const all = seen.flat();
    assert.equal(new Set(all).size, 6, `no trace twice: ${JSON.stringify(seen)}`);
    assert.deepEqual(all.slice(0, 2), [id(2), id(1)]);
    assert.deepEqual(
      all.slice(2, 5).sort(),
      [id(3), id(4), id(5)].sort(),
      'the three of the same microsecond, across a page boundary',
    );
    assert.equal(all[5], id(6));
  });

  it("refuses a cursor that is not the list's, in one sentence (exit 2)", async () => {
    const run = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--cursor', 'VHJhY2U6Mw==', '--store', store],
      phoenixEnv(phoenix),
    );
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr.trim(),
      'trace-replay: "VHJhY2U6Mw==" is not a cursor of a Phoenix trace list; use the one printed under the previous page, or list from the start without --cursor.',
    );
  });

  it('batch --source phoenix pages through the list and replays each matching trace once', async () => {
    const listReads = (): number => phoenix.requests.filter((r) => r.path === `/v1/projects/${PROJECT}/traces`).length;
    const before = listReads();
    const run = await runPhoenixCli(
      [
        'batch',
        '--source',
        'phoenix',
        '--filter',
        'Lookup',
        '--limit',
        '3',
        '--no-write-back',
        '--no-eval',
        '--json',
        '--store',
        store,
      ],
      { ...phoenixEnv(phoenix), ...llmEnv(llm) },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { count: number }).count, 3);
    const asked = llm.requests
      .filter((r) => r.api === 'chat.completions')
      .map((r) => (r.body.messages as { content: string }[])[0].content);
    assert.deepEqual(
      asked.sort(),
      LOOKUPS.map((n) => `question ${n}`),
    );
    assert.ok(listReads() - before > 1, 'more than one page was read');
  });
});
