// Where the renderer runs: inside a VS Code webview (acquireVsCodeApi exists; messages go to the
// extension host) or in the static HTML report (no host: the data is embedded in the page and the
// VS Code-only buttons are hidden).
import { EMBEDDED_DATA_ID, type Envelope, type PanelState } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

export interface HostBridge {
  /** True inside VS Code: host actions (diff editor, replay, open) are available. */
  readonly interactive: boolean;
  post(message: Envelope): void;
  saveState(state: PanelState): void;
}

export function createBridge(): HostBridge {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return { interactive: true, post: (m) => api.postMessage(m), saveState: (s) => api.setState(s) };
  }
  return { interactive: false, post: () => undefined, saveState: () => undefined };
}

/** The message embedded by the HTML report, if any (a `<script type="application/json">`). */
export function embeddedMessage(doc: Document): unknown {
  const node = doc.getElementById(EMBEDDED_DATA_ID);
  if (!node?.textContent) return undefined;
  try {
    return JSON.parse(node.textContent) as unknown;
  } catch {
    return undefined;
  }
}
