// One way to write a duration: core's formatDuration, as the comparison writes its Duration row, is
// what the CLI's tables, the tree views and the panels show (they used to round three ways).
import assert from 'node:assert/strict';
import { tracesTable } from '../../../src/cli/format-text';
import { formatChange, formatDuration } from '../../../src/core/compare/format-values';
import type { TraceSummary } from '../../../src/core/model/trace';
import { formatDuration as extensionFormatDuration } from '../../../src/extension/common/format';
import { formatDuration as webviewFormatDuration } from '../../../webview/view-model';

describe('formatDuration', () => {
  it('writes ms under a second (a decimal under 10 ms) and seconds with two decimals from one', () => {
    assert.deepEqual([0, 2.54, 12.4, 950.4, 999.4, 1000, 1234, 59_999, 125_400].map(formatDuration), [
      '0 ms',
      '2.5 ms',
      '12 ms',
      '950 ms',
      '999 ms',
      '1.00 s',
      '1.23 s',
      '60.00 s',
      '125.40 s',
    ]);
  });

  it('says "unknown" for a duration nobody measured', () => {
    assert.equal(formatDuration(null), 'unknown');
    assert.equal(formatDuration(undefined), 'unknown');
  });

  it('reads as the same value in a comparison row', () => {
    for (const ms of [3.2, 41, 870, 1500, 61_234])
      assert.equal(formatDuration(ms), formatChange(ms, ms, 'ms').original);
  });

  it('is the one the tree views and the panels use', () => {
    assert.equal(extensionFormatDuration, formatDuration);
    assert.equal(webviewFormatDuration, formatDuration);
  });

  it('is the one in the CLI traces table', () => {
    const summary: TraceSummary = {
      id: 'a'.repeat(32),
      name: 'chat',
      startTime: 0,
      durationMs: 1234,
      spanCount: 1,
      llmSpanCount: 1,
      models: ['gpt-4o'],
      inputTokens: 1,
      outputTokens: 2,
      promptNames: [],
      updatedAt: 0,
    };
    const row = tracesTable([summary]).split('\n')[2];
    assert.match(row, /\s1\.23 s\s/);
  });
});
