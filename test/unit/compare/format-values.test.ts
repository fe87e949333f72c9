// Counts read as a person writes them: "1 span", "2 spans", "1 LLM call".
import assert from 'node:assert/strict';
import { countOf } from '../../../src/core/compare/format-values';

describe('countOf', () => {
  it('puts the noun in the number the count needs', () => {
    assert.equal(countOf(1, 'span'), '1 span');
    assert.equal(countOf(0, 'span'), '0 spans');
    assert.equal(countOf(2, 'LLM call'), '2 LLM calls');
    assert.equal(countOf(1, 'LLM call'), '1 LLM call');
    assert.equal(countOf(3, 'entry', 'entries'), '3 entries');
  });
});
