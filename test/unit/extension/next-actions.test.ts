// The one table from "what fixes this" (a UserError's `next`, a failed job's stored code) to a
// notification button: one label per action, a command the extension contributes, its arguments.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORMS } from '../../../src/core/sources/platform-registry';
import type { NextAction } from '../../../src/core/util/user-error';
import {
  CHOOSE_MODEL_BUTTON,
  IMPORT_TRACES_BUTTON,
  nextActionCommand,
  nextActionOfFailedJob,
  OPEN_SETTINGS_BUTTON,
  OPEN_SETTINGS_COMMAND,
  SET_API_KEY_BUTTON,
  START_RECEIVER_BUTTON,
} from '../../../src/extension/common/next-actions';

const contributed = new Set(
  (
    JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    }
  ).contributes.commands.map((c) => c.command),
);

describe('next actions as notification buttons', () => {
  it('each action has its one label, command and arguments', () => {
    const rows: [NextAction, string, string, unknown[]][] = [
      [
        { kind: 'set-api-key', provider: 'anthropic' },
        SET_API_KEY_BUTTON,
        'traceReplay.setApiKey',
        [{ provider: 'anthropic' }],
      ],
      [{ kind: 'choose-model' }, CHOOSE_MODEL_BUTTON, 'traceReplay.replayTrace', []],
      [
        { kind: 'connect-platform', platform: 'langfuse', connection: 'prod' },
        'Connect Langfuse...',
        'traceReplay.connectLangfuse',
        [{ name: 'prod' }],
      ],
      [{ kind: 'connect-platform', platform: 'phoenix' }, 'Connect Arize Phoenix...', 'traceReplay.connectPhoenix', []],
      [{ kind: 'start-receiver' }, START_RECEIVER_BUTTON, 'traceReplay.startReceiver', []],
      [{ kind: 'import-traces' }, IMPORT_TRACES_BUTTON, 'traceReplay.importTraces', []],
      [
        { kind: 'open-settings', setting: 'traceReplay.receiver.port' },
        OPEN_SETTINGS_BUTTON,
        OPEN_SETTINGS_COMMAND,
        ['traceReplay.receiver.port'],
      ],
    ];
    for (const [next, title, command, args] of rows)
      assert.deepEqual(nextActionCommand(next), { title, command, args }, next.kind);
  });

  it('"Choose Model..." asks again for the traces it is about: one, several, or (none) any', () => {
    assert.deepEqual(nextActionCommand({ kind: 'choose-model' }, { traceIds: ['t1'] }).args, ['t1']);
    const batch = nextActionCommand({ kind: 'choose-model' }, { traceIds: ['t1', 't2'] });
    assert.equal(batch.command, 'traceReplay.replaySelectedTraces');
    assert.deepEqual(batch.args, [['t1', 't2']]);
  });

  it('every command a button runs is one the extension contributes (or VS Code Settings)', () => {
    const actions: NextAction[] = [
      { kind: 'set-api-key', provider: 'openai' },
      { kind: 'choose-model' },
      ...PLATFORMS.map((p): NextAction => ({ kind: 'connect-platform', platform: p.id })),
      { kind: 'start-receiver' },
      { kind: 'import-traces' },
    ];
    for (const next of actions) {
      const { command } = nextActionCommand(next);
      assert.ok(contributed.has(command), `${next.kind}: ${command} is not contributed`);
    }
  });

  it("a failed job's stored code is its action: a missing key of the job's provider, an unknown model", () => {
    assert.deepEqual(nextActionOfFailedJob({ errorCode: 'MISSING_API_KEY', overrides: { model: 'keyed:m-1' } }), {
      kind: 'set-api-key',
      provider: 'keyed',
    });
    // The recorded model: which provider is not in the job, so the key box asks which key.
    const recorded = nextActionOfFailedJob({ errorCode: 'MISSING_API_KEY', overrides: {} });
    assert.deepEqual(recorded, { kind: 'set-api-key', provider: '' });
    assert.deepEqual(nextActionCommand(recorded!).args, []);
    assert.deepEqual(nextActionOfFailedJob({ errorCode: 'UNKNOWN_MODEL' }), { kind: 'choose-model' });
    assert.deepEqual(nextActionOfFailedJob({ errorCode: 'UNKNOWN_PROVIDER' }), { kind: 'choose-model' });
    // A code stored by 0.1 reads the same.
    assert.deepEqual(nextActionOfFailedJob({ errorCode: 'unknown-model' }), { kind: 'choose-model' });
    assert.equal(nextActionOfFailedJob({ errorCode: 'TRACE_NOT_FOUND' }), undefined);
    assert.equal(nextActionOfFailedJob({}), undefined);
  });
});
