import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEvaluators, JAVASCRIPT_REFUSED_REASON } from '../../../src/core/eval/create-evaluators';
import { JavaScriptEvaluatorError } from '../../../src/core/eval/eval-errors';
import { createJavaScriptEvaluator } from '../../../src/core/eval/javascript-evaluator';
import { config, inputsOf } from './eval-inputs';
import { fixtureTrace } from './eval-test-traces';

describe('javascript evaluator', () => {
  let dir: string;
  const trace = fixtureTrace('traceloop-openai-chain');
  const [first] = inputsOf(trace);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-js-eval-'));
    await writeFile(
      path.join(dir, 'length.mjs'),
      'export async function score({ output, params, scope, reference }) {\n' +
        '  const ok = output.text.length <= params.max;\n' +
        '  return { score: ok ? 1 : 0, reason: `${scope}: ${output.text.length} chars, reference ${reference ? "yes" : "no"}` };\n' +
        '}\n',
    );
    await writeFile(path.join(dir, 'bool.cjs'), 'module.exports = (input) => input.output.text.includes("sea");\n');
    await writeFile(path.join(dir, 'throws.mjs'), 'export function score() { throw new Error("boom"); }\n');
    await writeFile(path.join(dir, 'bad-value.mjs'), 'export const score = () => 7;\n');
    await writeFile(path.join(dir, 'no-function.mjs'), 'export const notIt = 1;\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused unless JavaScript is allowed, with the reason in skipped', () => {
    const configs = [config('javascript', { module: 'length.mjs', params: { max: 100 } }, 'length')];
    for (const allowJavaScript of [undefined, false]) {
      const created = createEvaluators(configs, { workspaceDir: dir, allowJavaScript });
      assert.deepEqual(created, {
        evaluators: [],
        skipped: [{ evaluatorId: 'length', reason: JAVASCRIPT_REFUSED_REASON }],
      });
    }
    const allowed = createEvaluators(configs, { workspaceDir: dir, allowJavaScript: true });
    assert.deepEqual(allowed.skipped, []);
    assert.equal(allowed.evaluators[0].id, 'length');
  });

  it('runs a workspace module (relative path, async, named export) with the input and params', async () => {
    const evaluator = createJavaScriptEvaluator(
      config('javascript', { module: 'length.mjs', params: { max: 100 } }),
      dir,
    );
    assert.deepEqual(await evaluator.evaluate(first, {}), { value: 1, reason: 'span: 34 chars, reference yes' });
    const strict = createJavaScriptEvaluator(config('javascript', { module: 'length.mjs', params: { max: 10 } }), dir);
    assert.equal((await strict.evaluate(first, {}))?.value, 0);
    assert.notEqual(strict.version, evaluator.version, 'options are part of the version');
  });

  it('accepts a CommonJS default function returning a boolean', async () => {
    const evaluator = createJavaScriptEvaluator(
      config('javascript', { module: path.join(dir, 'bool.cjs') }),
      undefined,
    );
    assert.deepEqual(await evaluator.evaluate(first, {}), { value: 1, passed: true });
  });

  it('turns a throw, a bad value or a missing function into a typed error', async () => {
    const run = (module: string): Promise<unknown> =>
      createJavaScriptEvaluator(config('javascript', { module }), dir).evaluate(first, {});
    await assert.rejects(
      run('throws.mjs'),
      (e: unknown) => e instanceof JavaScriptEvaluatorError && /threw: boom/.test(e.message),
    );
    await assert.rejects(
      run('bad-value.mjs'),
      (e: unknown) =>
        e instanceof JavaScriptEvaluatorError && /returned 7; expected a number from 0 to 1/.test(e.message),
    );
    await assert.rejects(
      run('no-function.mjs'),
      (e: unknown) => e instanceof JavaScriptEvaluatorError && /exports no function "score"/.test(e.message),
    );
  });

  it('skips a module that does not exist, naming the path', () => {
    const created = createEvaluators([config('javascript', { module: 'nope.mjs' }, 'gone')], {
      workspaceDir: dir,
      allowJavaScript: true,
    });
    assert.equal(created.evaluators.length, 0);
    assert.match(created.skipped[0].reason, /nope\.mjs cannot be read/);
  });
});
