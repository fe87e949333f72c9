// The typed protocol between the extension host and the panels: every message type exported by
// src/protocol.ts (found by walking its exports, so a new one is covered without being listed
// here) has its own method, is recognized only by its own guard and only with a params object.
import assert from 'node:assert/strict';
import * as protocol from '../../../src/protocol';
import { envelope, isMessage, isPanelState, type MessageType } from '../../../src/protocol';

type AnyMessageType = MessageType<string, unknown>;

function isMessageType(value: unknown): value is AnyMessageType {
  return typeof value === 'object' && value !== null && typeof (value as { method?: unknown }).method === 'string';
}

/** Every message type exported by src/protocol.ts (a constant with a string method), by export name. */
const MESSAGE_TYPES = Object.entries(protocol as Record<string, unknown>).filter(
  (entry): entry is [string, AnyMessageType] => isMessageType(entry[1]),
);
const ALL = MESSAGE_TYPES.map(([, type]) => type);

describe('webview protocol', () => {
  it('finds every message type in src/protocol.ts, both directions', () => {
    const names = MESSAGE_TYPES.map(([name]) => name);
    // Two each way that a hand list once missed (NoticeMessage, OpenTemplateMessage) or that start the handshake.
    for (const name of ['ReadyMessage', 'OpenTemplateMessage', 'NoticeMessage', 'ShowComparisonMessage'])
      assert.ok(names.includes(name), name);
    assert.ok(ALL.length >= 12, `only ${ALL.length} message types found`);
    // Named alike, so the walk above cannot miss one: every *Message constant is a type, every type a *Message.
    const constants = Object.keys(protocol).filter((name) => /^[A-Z]\w*Message$/.test(name));
    assert.deepEqual(names.sort(), constants.sort());
  });

  it('every message type has its own method, named <area>/<action>', () => {
    assert.equal(new Set(ALL.map((t) => t.method)).size, ALL.length, ALL.map((t) => t.method).join(', '));
    for (const t of ALL) assert.match(t.method, /^[a-z]+\/[a-z][A-Za-z]*$/);
  });

  it('wraps params in an envelope named by the message type', () => {
    assert.deepEqual(envelope(protocol.ReadyMessage, { panel: 'comparison' }), {
      method: 'webview/ready',
      params: { panel: 'comparison' },
    });
  });

  it('a guard accepts its own envelope only', () => {
    for (const [name, type] of MESSAGE_TYPES) {
      const message = envelope(type, { marker: name });
      for (const other of ALL)
        assert.equal(isMessage(other, message), other === type, `${other.method} on ${type.method}`);
      assert.deepEqual(message.params, { marker: name });
    }
  });

  it('refuses anything but an envelope with a params object', () => {
    for (const type of ALL) {
      for (const junk of [
        null,
        undefined,
        type.method,
        42,
        { method: 'other' },
        { method: type.method },
        { method: type.method, params: null },
        { method: type.method, params: 'x' },
      ]) {
        assert.equal(isMessage(type, junk), false, `${type.method}: ${JSON.stringify(junk)}`);
      }
    }
  });

  it('panel state: ids only, checked before a serializer trusts it', () => {
    assert.equal(isPanelState({ panel: 'comparison', jobId: 'j1' }), true);
    assert.equal(isPanelState({ panel: 'trace', traceId: 't1' }), true);
    assert.equal(isPanelState({ panel: 'batch', jobIds: ['a', 'b'] }), true);
    for (const bad of [
      null,
      'comparison',
      { panel: 'other' },
      { panel: 'comparison', jobId: 4 },
      { panel: 'batch', jobIds: [1] },
    ])
      assert.equal(isPanelState(bad), false, JSON.stringify(bad));
  });
});
