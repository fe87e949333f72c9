// Browser entry of the Trace Replay panels (bundled separately for the webview). It announces
// itself with the `ready` handshake and renders what the host sends. Trace content is untrusted
// (LLM output may contain markup): it is only ever assigned through textContent.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { envelope, isMessage, NoticeMessage, ReadyMessage } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (isMessage(NoticeMessage, message)) {
    const title = document.createElement('h2');
    title.textContent = message.params.title;
    const text = document.createElement('pre');
    text.textContent = message.params.text;
    root.replaceChildren(title, text);
  }
});

vscode.postMessage(envelope(ReadyMessage, { panel: document.body.dataset.panel ?? 'unknown' }));
