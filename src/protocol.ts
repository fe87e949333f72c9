// The one typed message protocol between the extension host and the webview panels. Both sides
// import this file. Each message is a typed constant; dispatch goes through `isMessage`, never a
// `switch` over `any`. The host posts nothing before the webview's `ready` (the handshake).

export interface MessageType<Name extends string, Params> {
  readonly method: Name;
  /** Phantom field that carries the params type; never set at runtime. */
  readonly _params?: Params;
}

function messageType<Params>() {
  return <Name extends string>(method: Name): MessageType<Name, Params> => ({ method });
}

export interface Envelope<Params = unknown> {
  method: string;
  params: Params;
}

export type ParamsOf<T> = T extends MessageType<string, infer P> ? P : never;

export function isMessage<T extends MessageType<string, unknown>>(type: T, message: unknown): message is Envelope<ParamsOf<T>> {
  return typeof message === 'object' && message !== null && (message as Envelope).method === type.method;
}

export function envelope<T extends MessageType<string, unknown>>(type: T, params: ParamsOf<T>): Envelope<ParamsOf<T>> {
  return { method: type.method, params };
}

// ---- webview -> host
/** The webview's script is running and listening; the host may now post state. */
export const ReadyMessage = messageType<{ panel: string }>()('webview/ready');

// ---- host -> webview
/** A message to show in the panel; trace content is always rendered as text. */
export const NoticeMessage = messageType<{ title: string; text: string }>()('host/notice');
