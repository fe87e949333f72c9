// The typed protocol's guards: a message is recognized only by its own type and with params.
import assert from 'node:assert/strict';
import {
  envelope,
  isMessage,
  isPanelState,
  OpenComparisonMessage,
  OpenDiffMessage,
  OpenSpanMessage,
  ReadyMessage,
  RefreshPlatformScoresMessage,
  ReplayTraceMessage,
  SelectReplayMessage,
  ShowBatchMessage,
  ShowComparisonMessage,
  ShowTraceMessage,
} from '../../../src/protocol';

describe('webview protocol messages', () => {
  const all = [ReadyMessage, OpenDiffMessage, SelectReplayMessage, OpenSpanMessage, ReplayTraceMessage, OpenComparisonMessage, RefreshPlatformScoresMessage, ShowComparisonMessage, ShowBatchMessage, ShowTraceMessage];

  it('every message type has its own method name', () => {
    assert.equal(new Set(all.map(t => t.method)).size, all.length);
    assert.deepEqual(
      [OpenDiffMessage.method, SelectReplayMessage.method, ReplayTraceMessage.method, OpenComparisonMessage.method, RefreshPlatformScoresMessage.method, ShowComparisonMessage.method],
      ['comparison/openDiff', 'comparison/selectReplay', 'trace/replay', 'trace/openComparison', 'comparison/refreshPlatformScores', 'comparison/show'],
    );
  });

  it('a guard accepts its own envelope only', () => {
    const diff = envelope(OpenDiffMessage, { replayId: 'j1', spanId: 's1', side: 'output' });
    for (const t of all) assert.equal(isMessage(t, diff), t === OpenDiffMessage, t.method);
    assert.deepEqual(diff.params, { replayId: 'j1', spanId: 's1', side: 'output' });
  });

  it('refuses envelopes without params object', () => {
    for (const junk of [{ method: 'trace/replay' }, { method: 'trace/replay', params: null }, { method: 'trace/replay', params: 'x' }]) {
      assert.equal(isMessage(ReplayTraceMessage, junk), false, JSON.stringify(junk));
    }
  });

  it('panel state: ids only, checked before a serializer trusts it', () => {
    assert.equal(isPanelState({ panel: 'comparison', jobId: 'j1' }), true);
    assert.equal(isPanelState({ panel: 'trace', traceId: 't1' }), true);
    assert.equal(isPanelState({ panel: 'batch', jobIds: ['a', 'b'] }), true);
    for (const bad of [null, 'comparison', { panel: 'other' }, { panel: 'comparison', jobId: 4 }, { panel: 'batch', jobIds: [1] }]) assert.equal(isPanelState(bad), false, JSON.stringify(bad));
  });
});
