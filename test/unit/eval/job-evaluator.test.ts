import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createJobEvaluator } from '../../../src/core/eval/job-evaluator';
import { fixtureTrace, replayOf } from './eval-test-traces';

describe('job evaluator (the evaluation step of a replay job)', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'tr-jobeval-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('scores both traces with the configured evaluators and reports bad entries as skipped', async () => {
    const configPath = path.join(dir, 'evaluators.json');
    await writeFile(
      configPath,
      JSON.stringify({
        evaluators: [
          { id: 'sim', type: 'similarity' },
          { id: 'broken', type: 'regex', options: { pattern: '(' } },
        ],
      }),
    );
    const original = fixtureTrace('openinference-openai-single');
    const evaluate = createJobEvaluator({ configPath });
    const result = await evaluate(original, replayOf(original));
    assert.ok(result.original.length > 0 && result.original.every((s) => s.evaluatorId === 'sim'));
    assert.ok(result.replay.length > 0 && result.replay.every((s) => s.evaluatorId === 'sim'));
    assert.ok(
      result.original.every((s) => s.value === 1),
      'the original is its own reference',
    );
    assert.equal(result.skipped?.length, 1);
    assert.equal(result.skipped?.[0].evaluatorId, 'broken');
  });

  it('uses the deterministic defaults when no config is given, and reads the file anew for each job', async () => {
    const original = fixtureTrace('openinference-openai-single');
    const defaults = await createJobEvaluator({})(original, replayOf(original));
    assert.deepEqual([...new Set(defaults.original.map((s) => s.evaluatorType))].sort(), [
      'similarity',
      'tool-calls-match',
    ]);

    const configPath = path.join(dir, 'evaluators.json');
    const evaluate = createJobEvaluator({ configPath });
    await writeFile(
      configPath,
      JSON.stringify({ evaluators: [{ id: 'c', type: 'contains', options: { values: ['Paris'] } }] }),
    );
    const first = await evaluate(original, replayOf(original));
    assert.deepEqual([...new Set(first.replay.map((s) => s.evaluatorId))], ['c']);
    await writeFile(configPath, JSON.stringify({ evaluators: [{ id: 'sim2', type: 'similarity' }] }));
    const second = await evaluate(original, replayOf(original));
    assert.deepEqual([...new Set(second.replay.map((s) => s.evaluatorId))], ['sim2']);
  });
});
