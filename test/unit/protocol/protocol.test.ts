import assert from 'node:assert/strict';
import { envelope, isMessage, NoticeMessage, ReadyMessage } from '../../../src/protocol';

describe('webview protocol', () => {
  it('wraps params in an envelope named by the message type', () => {
    assert.deepEqual(envelope(ReadyMessage, { panel: 'comparison' }), { method: 'webview/ready', params: { panel: 'comparison' } });
  });

  it('recognizes only envelopes of the asked type', () => {
    const ready = envelope(ReadyMessage, { panel: 'x' });
    assert.equal(isMessage(ReadyMessage, ready), true);
    assert.equal(isMessage(NoticeMessage, ready), false);
    for (const junk of [null, undefined, 'webview/ready', 42, { method: 'other' }]) assert.equal(isMessage(ReadyMessage, junk), false);
  });
});
