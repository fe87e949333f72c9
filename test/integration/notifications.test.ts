// The one notifications reporter inside the extension host: an error a user can act on is one
// sentence with its fix as the first button and "Open Output" last (clicking the fix runs its
// command); anything else is reported as unexpected with "Open Output" only; a cancellation shows
// nothing. Real flows too: a receiver port in use, a failed job whose stored code is its fix.
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { InputStep, PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { ShownToast, ToastAnswer } from '../../src/extension/common/notifications';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi } from './helpers';
import { CHAT_TRACE, importFixtures, setUpProviders, tearDownProviders } from './replay-helpers';

async function setPort(port: number | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('traceReplay')
    .update('receiver.port', port, vscode.ConfigurationTarget.Global);
}

describe('Notifications: one reporter, the fix first, Open Output last', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  let shown: ShownToast[];
  let sub: vscode.Disposable | undefined;

  /** Records every toast from now on and answers it with `answer` (default: dismissed). */
  function watch(answer: ToastAnswer = () => undefined): void {
    shown = [];
    sub = api.toasts.onDidShow((t) => shown.push(t));
    api.toasts.preset(answer);
  }

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('prompt-apps.otlp.json');
    await setPort(0); // any free port
  });
  afterEach(() => {
    sub?.dispose();
    sub = undefined;
    api.toasts.preset(undefined);
    api.presetReplayInputs(undefined);
  });
  after(async () => {
    await vscode.commands.executeCommand('traceReplay.stopReceiver');
    await setPort(undefined);
    await tearDownProviders(api, fake);
  });

  it('an error a user can act on: one sentence, its fix first and Open Output last; the fix runs its command', async () => {
    await vscode.commands.executeCommand('traceReplay.stopReceiver');
    class ReceiverStopped extends api.UserError {
      readonly code = 'RECEIVER_STOPPED';
      override readonly next = { kind: 'start-receiver' } as const;
    }
    const extra = { title: 'Show Me', run: () => undefined };
    watch((t) => (t.buttons.includes('Start Receiver') ? 'Start Receiver' : undefined));
    // Resolves once the clicked fix is done: the receiver has started.
    await api.toasts.reportError(
      new ReceiverStopped('The OTLP receiver is not running; start it.'),
      'copy the endpoint',
      extra,
    );
    const [toast] = shown;
    assert.deepStrictEqual(toast, {
      severity: 'error',
      message: 'Trace Replay could not copy the endpoint: The OTLP receiver is not running; start it.',
      buttons: ['Start Receiver', 'Show Me', 'Open Output'],
    });
    assert.ok(api.receiver(), '"Start Receiver" ran traceReplay.startReceiver');
    await vscode.commands.executeCommand('traceReplay.stopReceiver');
  });

  it('anything else is a bug: reported as unexpected, with Open Output only', async () => {
    watch();
    await api.toasts.reportError(
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'open the comparison',
      {
        title: 'Show Me',
        run: () => undefined,
      },
    );
    assert.deepStrictEqual(shown, [
      {
        severity: 'error',
        message:
          "Trace Replay could not open the comparison because of an unexpected error: Cannot read properties of undefined (reading 'id')",
        buttons: ['Open Output'],
      },
    ]);
  });

  it('a cancellation shows nothing', async () => {
    class Stopped extends api.UserError {
      readonly code = 'STOPPED_BY_USER';
      override readonly kind = 'cancelled' as const;
    }
    watch();
    await api.toasts.reportError(new Stopped('The replay was cancelled.'), 'start the replay');
    assert.deepStrictEqual(shown, []);
  });

  it('a receiver port in use: the error sentence with Open Settings (the port setting) and Open Output', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const taken = (blocker.address() as net.AddressInfo).port;
      await setPort(taken);
      watch();
      assert.strictEqual(await vscode.commands.executeCommand('traceReplay.startReceiver'), undefined);
      assert.strictEqual(shown.length, 1, shown.map((t) => t.message).join(' | '));
      assert.strictEqual(shown[0].severity, 'error');
      assert.match(
        shown[0].message,
        new RegExp(`^Trace Replay could not start the OTLP receiver on port ${taken}: Port ${taken} is already in use`),
      );
      assert.deepStrictEqual(shown[0].buttons.slice(-2), ['Open Settings', 'Open Output']);
    } finally {
      await setPort(0);
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("a failed job's stored code is its fix: a missing key offers Set API Key..., an unknown model Choose Model...", async () => {
    const failedToast = (): Promise<ShownToast> =>
      new Promise((resolve) => {
        const once = api.toasts.onDidShow((t) => {
          if (!t.message.startsWith('Replay of free-chat failed')) return;
          once.dispose();
          resolve(t);
        });
      });
    watch();
    const keylessToast = failedToast();
    const keyless = await api.replays.enqueue(CHAT_TRACE, { model: 'keyed:some-model' });
    assert.strictEqual((await api.replays.wait(keyless.id)).errorCode, 'MISSING_API_KEY');
    assert.deepStrictEqual((await keylessToast).buttons, ['Set API Key...', 'Open Output']);

    // "Choose Model..." asks the replay questions again for that trace (the wizard, scripted: cancelled).
    let asked!: (title: string) => void;
    const wizard = new Promise<string>((resolve) => (asked = resolve));
    const cancel: QuickInputs = {
      pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
        asked(s.title);
        return Promise.resolve(undefined);
      },
      inputText(s: InputStep): Promise<StepResult<string>> {
        asked(s.title);
        return Promise.resolve(undefined);
      },
    };
    api.presetReplayInputs(cancel);
    sub?.dispose();
    watch((t) => (t.message.startsWith('Replay of free-chat failed') ? 'Choose Model...' : undefined));
    const unknownToast = failedToast();
    const unknown = await api.replays.enqueue(CHAT_TRACE, { model: 'nosuch:model-1' });
    assert.strictEqual((await api.replays.wait(unknown.id)).errorCode, 'UNKNOWN_MODEL');
    assert.deepStrictEqual((await unknownToast).buttons, ['Choose Model...', 'Open Output']);
    assert.match(await wizard, /free-chat/, "the wizard asked again for the failed job's trace");
  });
});
