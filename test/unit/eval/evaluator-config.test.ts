import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EvaluatorConfigError } from '../../../src/core/eval/eval-errors';
import {
  defaultEvaluatorConfigs,
  loadEvaluatorConfig,
  parseEvaluatorConfig,
} from '../../../src/core/eval/evaluator-config';

describe('evaluator config', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-eval-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to the deterministic evaluators only: no judge, no workspace code', () => {
    const types = defaultEvaluatorConfigs().map((c) => c.type);
    assert.deepEqual(types, ['similarity', 'json', 'tool-calls-match']);
    assert.ok(defaultEvaluatorConfigs().every((c) => c.enabled));
  });

  it('uses the defaults without an error when the file does not exist', async () => {
    const load = await loadEvaluatorConfig(path.join(dir, 'missing.json'));
    assert.deepEqual(load, { evaluators: defaultEvaluatorConfigs(), errors: [], usedDefaults: true });
  });

  it('reports broken JSON as one error naming the file and falls back to the defaults', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{ "evaluators": [ { "id": "x", ');
    const load = await loadEvaluatorConfig(file);
    assert.equal(load.usedDefaults, true);
    assert.deepEqual(load.evaluators, defaultEvaluatorConfigs());
    assert.equal(load.errors.length, 1);
    assert.ok(load.errors[0] instanceof EvaluatorConfigError);
    assert.equal(load.errors[0].source, file);
    assert.equal(load.errors[0].index, undefined);
    assert.match(load.errors[0].message, /not valid JSON/);
  });

  it('reports a config of the wrong shape as one error and uses the defaults', () => {
    for (const json of [[], { evaluators: 3 }, { other: [] }, null]) {
      const load = parseEvaluatorConfig(json, 'settings');
      assert.equal(load.usedDefaults, true, JSON.stringify(json));
      assert.equal(load.errors.length, 1);
      assert.match(load.errors[0].message, /^settings must be an object \{"evaluators": \[\.\.\.\]\}/);
    }
  });

  it('loads the good entries and reports each bad one with its index, id and problem', async () => {
    const file = path.join(dir, 'evaluators.json');
    await writeFile(
      file,
      JSON.stringify({
        evaluators: [
          { id: 'sim', type: 'similarity', options: { metric: 'rouge-l' } },
          { id: 'needs-pattern', type: 'regex', options: { patern: 'x' } },
          { id: 'what', type: 'sentiment' },
          { type: 'contains', options: { values: ['a'] } },
          { id: 'sim', type: 'json' },
          { id: 'bad-regex', type: 'regex', options: { pattern: '(' } },
          { id: 'bad-schema', type: 'json', options: { schema: { type: 'nope' } } },
          {
            id: 'judge',
            type: 'llm-judge',
            options: { model: 'openai:gpt-4o-mini', rubric: 'Helpful?', passThreshold: 2 },
          },
          { id: 'js', type: 'javascript', enabled: false, options: { module: 'score.mjs' } },
          { id: 'kw', type: 'contains', scope: 'final', options: { values: ['Paris'], match: 'any' } },
        ],
      }),
    );
    const load = await loadEvaluatorConfig(file);
    assert.equal(load.usedDefaults, false);
    assert.deepEqual(
      load.evaluators.map((e) => [e.id, e.type, e.enabled, e.scope]),
      [
        ['sim', 'similarity', true, 'all'],
        ['js', 'javascript', false, 'all'],
        ['kw', 'contains', true, 'final'],
      ],
    );
    const byIndex = new Map(load.errors.map((e) => [e.index, e]));
    assert.deepEqual([...byIndex.keys()], [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(load.errors.every((e) => e instanceof EvaluatorConfigError && e.source === file));
    assert.equal(byIndex.get(1)?.evaluatorId, 'needs-pattern');
    assert.match(
      byIndex.get(1)!.message,
      /evaluators\[1\] \("needs-pattern"\): .*missing required property "pattern".*unknown property "patern"/,
    );
    assert.match(
      byIndex.get(2)!.message,
      /evaluators\[2\] \("what"\): type: must be one of "similarity", .*"javascript"/,
    );
    assert.equal(byIndex.get(3)?.evaluatorId, undefined);
    assert.match(byIndex.get(3)!.message, /evaluators\[3\]: missing required property "id"/);
    assert.match(byIndex.get(4)!.message, /repeats the id "sim"/);
    assert.match(byIndex.get(5)!.message, /options\.pattern is not a valid regular expression/);
    assert.match(byIndex.get(6)!.message, /options\.schema is not a usable JSON Schema/);
    assert.match(byIndex.get(7)!.message, /options\.passThreshold: must be <= 1/);
  });

  it('fills in defaults: enabled, empty options, and the final output only for llm-judge', () => {
    const load = parseEvaluatorConfig(
      {
        evaluators: [
          { id: 'tc', type: 'tool-calls-match' },
          { id: 'judge', type: 'llm-judge', options: { model: 'gpt-4o-mini', rubric: 'r' } },
        ],
      },
      'x',
    );
    assert.deepEqual(load.errors, []);
    assert.deepEqual(load.evaluators, [
      { id: 'tc', type: 'tool-calls-match', enabled: true, scope: 'all', options: {} },
      { id: 'judge', type: 'llm-judge', enabled: true, scope: 'final', options: { model: 'gpt-4o-mini', rubric: 'r' } },
    ]);
  });

  it('treats an empty list as "no evaluators", not as the defaults', () => {
    assert.deepEqual(parseEvaluatorConfig({ evaluators: [] }, 'x'), {
      evaluators: [],
      errors: [],
      usedDefaults: false,
    });
  });

  it('rejects g and y regex flags, which would make matching stateful', () => {
    const load = parseEvaluatorConfig(
      { evaluators: [{ id: 'r', type: 'regex', options: { pattern: 'a', flags: 'gi' } }] },
      'x',
    );
    assert.equal(load.evaluators.length, 0);
    assert.match(load.errors[0].message, /options\.flags: must match pattern/);
  });

  it('accepts one entry of every type with all its documented options', () => {
    const load = parseEvaluatorConfig(
      {
        $schema: '../docs/evaluators.schema.json',
        evaluators: [
          {
            id: 'sim',
            type: 'similarity',
            scope: 'spans',
            description: 'vs original',
            options: { metric: 'rouge-l', caseSensitive: true },
          },
          {
            id: 'json',
            type: 'json',
            options: { schema: { type: 'object' }, applies: 'always', allowCodeFence: false },
          },
          { id: 're', type: 'regex', options: { pattern: '^ok', flags: 'im', mustMatch: false } },
          { id: 'has', type: 'contains', options: { values: ['a', 'b'], match: 'any', caseSensitive: true } },
          { id: 'tools', type: 'tool-calls-match', options: { ignoreOrder: false, sameNameCredit: 0.25 } },
          {
            id: 'judge',
            type: 'llm-judge',
            enabled: false,
            options: { model: 'anthropic:claude-haiku-4-5', rubric: 'Correct?', passThreshold: 0.7, maxTokens: 256 },
          },
          {
            id: 'js',
            type: 'javascript',
            options: { module: 'evals/score.mjs', function: 'grade', params: { max: 3 } },
          },
        ],
      },
      'x',
    );
    assert.deepEqual(load.errors, []);
    assert.equal(load.evaluators.length, 7);
  });
});
