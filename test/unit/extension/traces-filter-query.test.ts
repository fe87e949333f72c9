import * as assert from 'node:assert';
import { parseTracesFilterQuery, TracesFilterQueryError } from '../../../src/extension/views/traces-filter-query';

describe('parseTracesFilterQuery', () => {
  it('splits tokens from free text and normalizes the shown query', () => {
    const parsed = parseTracesFilterQuery('  weather  model:gpt-4o-mini prompt:Weather-Prompt  bot ');
    assert.deepStrictEqual(parsed, {
      query: 'model:gpt-4o-mini prompt:Weather-Prompt weather bot',
      filter: { origin: 'recorded', text: 'weather bot', model: 'gpt-4o-mini', prompt: 'Weather-Prompt' },
    });
  });

  it('reads dates as local days, until including its whole day', () => {
    const parsed = parseTracesFilterQuery('since:2025-06-01 until:2025-06-30');
    assert.strictEqual(parsed?.filter.since, new Date(2025, 5, 1).getTime());
    assert.strictEqual(parsed?.filter.until, new Date(2025, 6, 1).getTime() - 1);
    assert.strictEqual(parsed?.filter.text, undefined);
  });

  it('is undefined for a blank query', () => {
    assert.strictEqual(parseTracesFilterQuery('   '), undefined);
  });

  it('keeps unknown key:value words as free text', () => {
    assert.strictEqual(parseTracesFilterQuery('service:api')?.filter.text, 'service:api');
  });

  for (const bad of [
    'model:',
    'since:2025-13-01',
    'since:2025-02-30',
    'until:yesterday',
    'model:a model:b',
    'since:2025-07-01 until:2025-06-01',
  ]) {
    it(`rejects "${bad}" with a TracesFilterQueryError`, () => {
      assert.throws(() => parseTracesFilterQuery(bad), TracesFilterQueryError);
    });
  }
});
