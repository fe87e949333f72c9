// What a replay changed, written by one function (core's overridesText) for the reports, the
// comparison's header and the Replays view's rows, which differ only in separator and compactness.
import assert from 'node:assert/strict';
import { overridesText, parametersText } from '../../../src/core/compare/format-values';
import type { ReplayJob, ReplayOverrides } from '../../../src/core/replay/replay-types';
import { formatParameters, parseParameters } from '../../../src/extension/replay/parameter-text';
import { describeOverrides } from '../../../src/extension/replay/replay-format';

const ALL: ReplayOverrides = {
  model: 'openai:gpt-4.1',
  parameters: { temperature: 0, stop: ['\n'] },
  template: { kind: 'file', path: '/work/app/prompts/summarize.prompt.md' },
  mode: 'chained',
};

function job(overrides: ReplayOverrides): ReplayJob {
  return {
    id: 'job-1',
    traceId: 't'.repeat(32),
    status: 'COMPLETED',
    overrides,
    createdAt: '2026-01-01T00:00:00Z',
    providerMs: 0,
    spans: [],
  };
}

describe('overridesText', () => {
  it('names each change for reports, in the order model, parameters, template, mode', () => {
    assert.equal(
      overridesText(ALL),
      'model=openai:gpt-4.1, temperature=0, stop=["\\n"], template=/work/app/prompts/summarize.prompt.md, mode=chained',
    );
    assert.equal(
      overridesText({
        template: { kind: 'prompt', platform: 'langfuse', connection: 'eu', name: 'support', version: '3' },
      }),
      'template=langfuse[eu]:support@3',
    );
  });

  it('says "none" when nothing changed, and leaves out the default mode', () => {
    assert.equal(overridesText({}), 'none');
    assert.equal(overridesText({ mode: 'independent', parameters: {} }), 'none');
  });

  it('compact (a tree row): values only, the template file by its base name, "recorded model" when the model is kept', () => {
    assert.equal(
      overridesText(ALL, { separator: ' · ', compact: true }),
      'openai:gpt-4.1 · temperature=0 · stop=["\\n"] · summarize.prompt.md · chained',
    );
    assert.equal(
      overridesText({ template: { kind: 'file', path: 'C:\\app\\p.prompt.txt' } }, { separator: ' · ', compact: true }),
      'recorded model · p.prompt.txt',
    );
    assert.equal(overridesText({}, { separator: ' · ', compact: true }), 'recorded model');
  });

  it('is what the Replays view shows for a job', () => {
    assert.equal(describeOverrides(job(ALL)), overridesText(ALL, { separator: ' · ', compact: true }));
    assert.equal(
      describeOverrides(job({ model: 'openai:gpt-4.1-mini', parameters: { temperature: 0 } })),
      'openai:gpt-4.1-mini · temperature=0',
    );
  });

  it('writes parameters as the wizard reads them back', () => {
    const params = { temperature: 0.2, max_tokens: 512, stop: ['\n', 'END'], seed: null };
    assert.equal(formatParameters(params), parametersText(params));
    assert.deepEqual(parseParameters(parametersText(params)), params);
  });
});
