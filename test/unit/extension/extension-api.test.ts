// What any installed extension can read from Trace Replay's exports: a version and the activation
// time, nothing that reaches the store, the keys or the replay engine. The test hooks are added
// only in ExtensionMode.Test (the integration suites get them through helpers.activatedApi()).
import * as assert from 'node:assert';
import { API_VERSION, extensionApi, type TraceReplayApi } from '../../../src/extension/extension-api';

describe('the extension API', () => {
  it('a normal activation exports the version and the activation time, nothing else', () => {
    const api = extensionApi(12.5, undefined);
    assert.deepStrictEqual(api, { apiVersion: API_VERSION, activationMs: 12.5 });
    assert.deepStrictEqual(Object.keys(api).sort(), ['activationMs', 'apiVersion']);
  });

  it('a test activation adds the hooks under `testing`, built only then', () => {
    let calls = 0;
    const hooks = { storeDir: () => '/tmp/store' } as unknown as TraceReplayApi;
    const api = extensionApi(3, () => {
      calls++;
      return hooks;
    });
    assert.strictEqual(calls, 1);
    assert.strictEqual(api.testing, hooks);
    assert.deepStrictEqual(Object.keys(api).sort(), ['activationMs', 'apiVersion', 'testing']);
  });
});
