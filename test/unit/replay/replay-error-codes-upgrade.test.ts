// 0.1 stored some error codes in kebab case: a failed job's `errorCode` (`trace-gone`, `config`,
// `prompt-not-found`) and a score's `errorCode` (`evaluator-error`, `span-failed`, ...). Read back
// (history, comparison, `replays --json`) they are the UPPER_SNAKE codes of today.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Score } from '../../../src/core/eval/evaluation-types';
import { listReplayJobs, openReplayJobs, REPLAYS_COLLECTION } from '../../../src/core/replay/replay-history';
import { runCli } from '../cli/cli-helpers';
import { tempStore, type TempStore } from './replay-test-helpers';

const TRACE = 'd'.repeat(32);

function score(evaluatorId: string, errorCode?: string): Record<string, unknown> {
  return {
    evaluatorId,
    evaluatorType: 'contains',
    evaluatorVersion: 'contains@1',
    target: { traceId: TRACE },
    value: errorCode === undefined ? 1 : null,
    ...(errorCode === undefined ? {} : { error: 'no score', errorCode }),
  };
}

/** A job document as 0.1 wrote it. */
function oldJob(id: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    traceId: TRACE,
    status: 'FAILED',
    createdAt: '2026-01-01T00:00:00.000Z',
    providerMs: 0,
    spans: [],
    overrides: { model: 'openai:gpt-4o' },
    ...extra,
  };
}

describe('error codes stored by 0.1', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(async () => t.dispose());

  async function writeOld(job: Record<string, unknown>): Promise<void> {
    const dir = path.join(t.store.dir, REPLAYS_COLLECTION);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${String(job.id)}.json`), JSON.stringify(job));
  }

  it("reads a failed job's kebab errorCode as UPPER_SNAKE, and leaves today's codes as they are", async () => {
    const cases: [string, string][] = [
      ['trace-gone', 'TRACE_GONE'],
      ['prompt-not-found', 'PROMPT_NOT_FOUND'],
      ['unauthorized', 'UNAUTHORIZED'],
      ['bad-url', 'BAD_URL'],
      ['config', 'PLATFORM_CONFIG'],
      ['http', 'HTTP_ERROR'],
      ['trace-not-found', 'TRACE_NOT_FOUND'],
      ['invalid-template-spec', 'INVALID_TEMPLATE_SPEC'],
      ['MISSING_API_KEY', 'MISSING_API_KEY'],
    ];
    for (const [i, [code]] of cases.entries())
      await writeOld(oldJob(`job-${i}`, { error: 'it failed', errorCode: code }));
    await writeOld(oldJob('job-none', { status: 'COMPLETED' }));
    const jobs = await openReplayJobs(t.store);
    for (const [i, [code, expected]] of cases.entries())
      assert.equal((await jobs.get(`job-${i}`))?.errorCode, expected, code);
    const plain = await jobs.get('job-none');
    assert.equal(plain?.errorCode, undefined);
    assert.ok(plain && !('errorCode' in plain), 'no code is made up');
    const listed = await listReplayJobs(jobs);
    assert.equal(listed.find((j) => j.id === 'job-0')?.errorCode, 'TRACE_GONE', 'the listing too');
  });

  it("reads a stored evaluation's kebab score codes as UPPER_SNAKE", async () => {
    await writeOld(
      oldJob('job-eval', {
        status: 'COMPLETED',
        evaluation: {
          evaluatedAt: '2026-01-01T00:00:01.000Z',
          original: [score('a'), score('b', 'no-reference')],
          replay: [score('a', 'span-failed'), score('b', 'evaluator-error'), score('c', 'span-cancelled')],
          skipped: [{ evaluatorId: 'd', reason: 'disabled' }],
        },
      }),
    );
    const job = await (await openReplayJobs(t.store)).get('job-eval');
    const codes = (scores: Score[] | undefined) => scores?.map((s) => [s.evaluatorId, s.errorCode]);
    assert.deepEqual(codes(job?.evaluation?.original), [
      ['a', undefined],
      ['b', 'NO_REFERENCE'],
    ]);
    assert.deepEqual(codes(job?.evaluation?.replay), [
      ['a', 'SPAN_FAILED'],
      ['b', 'EVALUATOR_ERROR'],
      ['c', 'SPAN_CANCELLED'],
    ]);
    assert.deepEqual(job?.evaluation?.skipped, [{ evaluatorId: 'd', reason: 'disabled' }], 'the rest is kept');
    assert.equal(job?.evaluation?.original[0].value, 1);
  });

  it('`replays --json` prints the upgraded code', async () => {
    await writeOld(oldJob('job-gone', { error: 'Trace x is not in Langfuse', errorCode: 'trace-gone' }));
    await t.store.close();
    const run = await runCli(['replays', '--json', '--store', t.store.dir]);
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { id: string; errorCode?: string }[];
    assert.deepEqual(
      printed.map((j) => [j.id, j.errorCode]),
      [['job-gone', 'TRACE_GONE']],
    );
  });
});
