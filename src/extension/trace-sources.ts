// Where the Traces view reads from: the local store or a Langfuse connection. Keeps the active
// source (per workspace), opens one Langfuse client per connection (its reads cached in the store,
// so browsing again costs no request), and copies Langfuse traces into the store when one is
// expanded, opened or replayed, so every other feature works on the local copy.
import * as vscode from 'vscode';
import type { Trace } from '../core/model/trace';
import { langfuseTemplateSpecOn, parseLangfuseTemplateSpec, promptSelectorOf } from '../core/replay/langfuse-template-spec';
import { fetchIntoStore, type FetchedTrace } from '../core/sources/fetch-into-store';
import { LangfuseClient, type LangfuseClientOptions } from '../core/sources/langfuse/langfuse-client';
import { storeLangfuseCache } from '../core/sources/langfuse/langfuse-cache';
import { DEFAULT_CONNECTION_NAME } from '../core/sources/langfuse/langfuse-config';
import { LangfuseConfigError } from '../core/sources/langfuse/langfuse-errors';
import { LangfusePrompts } from '../core/sources/langfuse/langfuse-prompts';
import { LangfuseTraceSource } from '../core/sources/langfuse/langfuse-source';
import { LOCAL_SOURCE_ID, LocalTraceSource } from '../core/sources/local-source';
import type { LangfuseContext, OpenedTraceSource } from '../core/sources/open-source';
import { connectionNameOf, langfuseSourceId } from './langfuse-connection-list';
import type { LangfuseConnections } from './langfuse-connections';
import { langfuseLinkedPrompts, langfusePromptChoices, type LangfusePromptChoice } from './langfuse-prompt-choices';
import { Disposable } from './lifecycle';
import type { Log } from './log';
import type { StoreHost } from './store-host';

export type ActiveSource =
  | { kind: 'local'; id: typeof LOCAL_SOURCE_ID; label: string }
  | { kind: 'langfuse'; id: string; label: string; connection: string };

/** A trace as a command names it: an id, and the source it is listed in (absent: the store). */
export interface TraceRef {
  id: string;
  sourceId?: string;
}

const ACTIVE_KEY = 'traceReplay.activeSource';
/** Interactive use: a long Retry-After surfaces as a message at once instead of a frozen view. */
const CLIENT_OPTIONS: LangfuseClientOptions = { maxRetries: 1, maxRetryAfterSeconds: 10 };

export class TraceSources extends Disposable {
  private readonly activeChanged = this.register(new vscode.EventEmitter<ActiveSource>());
  /** The Traces view switched to another source. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly connectionsChanged = this.register(new vscode.EventEmitter<void>());
  /** A connection or key changed: clients were dropped, what was listed may be stale. */
  readonly onDidChangeConnections = this.connectionsChanged.event;
  private readonly contexts = new Map<string, Promise<LangfuseContext>>();

  constructor(
    private readonly stores: StoreHost,
    readonly connections: LangfuseConnections,
    private readonly state: vscode.Memento,
    private readonly log: Log,
    /** How interactive reads treat 429s (a long Retry-After surfaces as a message at once). */
    readonly clientOptions: LangfuseClientOptions = CLIENT_OPTIONS,
  ) {
    super();
    this.register(connections.onDidChange(() => this.dropClients('a Langfuse connection or key changed')));
    this.register(stores.onDidChangeTraces(e => e.kind === 'reset' && this.dropClients('the store changed')));
  }

  /** The source the Traces view shows. */
  active(): ActiveSource {
    const id = this.state.get<string>(ACTIVE_KEY, LOCAL_SOURCE_ID);
    const name = connectionNameOf(id);
    if (name !== undefined) {
      const entry = this.connections.listSync().find(c => c.name === name);
      // The default connection may exist through stored keys only (not known synchronously).
      if (entry || name === DEFAULT_CONNECTION_NAME) return { kind: 'langfuse', id, label: entry?.label ?? 'Langfuse', connection: name };
    }
    return { kind: 'local', id: LOCAL_SOURCE_ID, label: 'Local store' };
  }

  /** Switches the Traces view; `local`, `langfuse` or `langfuse:<name>`. Throws for an unknown one. */
  async setActive(sourceId: string): Promise<ActiveSource> {
    const name = connectionNameOf(sourceId);
    if (sourceId !== LOCAL_SOURCE_ID) {
      if (name === undefined) throw new LangfuseConfigError(`"${sourceId}" is not a trace source; use local, langfuse or langfuse:<connection name>.`);
      const entries = await this.connections.list();
      if (!entries.some(c => c.name === name)) await this.connections.connection(name); // throws the reason
    }
    await this.state.update(ACTIVE_KEY, sourceId === LOCAL_SOURCE_ID ? undefined : langfuseSourceId(name!));
    const active = this.active();
    this.log.info(`Traces view source: ${active.label}`);
    this.activeChanged.fire(active);
    return active;
  }

  /** The client, trace source and prompts of a connection (opened once, until keys or settings change). */
  langfuse(connectionName: string): Promise<LangfuseContext> {
    let ctx = this.contexts.get(connectionName);
    if (!ctx) {
      ctx = this.openLangfuse(connectionName);
      this.contexts.set(connectionName, ctx);
      // A failed open (missing keys) is not kept: the next user action asks again.
      void ctx.catch(() => this.contexts.get(connectionName) === ctx && this.contexts.delete(connectionName));
    }
    return ctx;
  }

  /** The Langfuse trace list of a source id, for the Traces view. */
  async langfuseSource(sourceId: string): Promise<LangfuseTraceSource> {
    const name = connectionNameOf(sourceId);
    if (name === undefined) throw new LangfuseConfigError(`"${sourceId}" is not a Langfuse source.`);
    return (await this.langfuse(name)).source;
  }

  /** The trace in the local store, copied there from Langfuse first (no request when it is there). */
  async fetchTrace(sourceId: string, traceId: string): Promise<FetchedTrace> {
    const store = await this.stores.get();
    const name = connectionNameOf(sourceId);
    let opened: OpenedTraceSource;
    if (name === undefined) {
      const local = new LocalTraceSource(store);
      opened = { kind: 'local', id: local.id, label: local.label, source: local };
    } else {
      const lf = await this.langfuse(name);
      opened = { kind: 'langfuse', id: lf.source.id, label: lf.source.label, ...lf };
    }
    const fetched = await fetchIntoStore(opened, store, traceId);
    if (fetched.fetched) this.log.info(`trace ${traceId} copied from ${sourceId} into the store as ${fetched.localId}`);
    return fetched;
  }

  /** Store ids of the traces: Langfuse ones are copied into the store first. Throws LangfuseError. */
  async localTraceIds(refs: TraceRef[]): Promise<string[]> {
    const ids: string[] = [];
    for (const ref of refs) {
      ids.push(ref.sourceId === undefined || ref.sourceId === LOCAL_SOURCE_ID ? ref.id : (await this.fetchTrace(ref.sourceId, ref.id)).localId);
    }
    return ids;
  }

  /** The connection whose prompts a trace's Langfuse-linked spans name: the one it was read from,
   *  else the active Langfuse source, else the only configured connection. */
  async promptConnectionFor(origin: string | undefined): Promise<string | undefined> {
    const entries = await this.connections.list();
    if (origin !== undefined && entries.some(c => c.name === origin)) return origin;
    const active = this.active();
    if (active.kind === 'langfuse') return active.connection;
    return entries.length === 1 ? entries[0].name : undefined;
  }

  /** The versions and labels of the Langfuse prompts the traces' spans are linked to, for the
   *  Replay Trace wizard; undefined when none is linked or no connection is set up. Throws
   *  LangfuseError (one sentence) when Langfuse cannot be read. */
  async promptChoices(traces: Trace[]): Promise<LangfusePromptChoice[] | undefined> {
    if (langfuseLinkedPrompts(traces).size === 0) return undefined;
    const origin = traces.find(t => t.source?.kind === 'langfuse')?.source?.connection;
    const connection = await this.promptConnectionFor(origin);
    if (connection === undefined) return undefined;
    return langfusePromptChoices(traces, (await this.langfuse(connection)).prompts);
  }

  /** Before a replay with a `langfuse:` template is queued: picks the connection (the one the spec
   *  names, else the trace's own, else the active or only one) and reads the prompt once, so a wrong
   *  name or version fails now, before any LLM call. Returns the spec naming that connection, which
   *  the job keeps: a job resumed after a reload, or one next to a job of another connection with
   *  the same prompt name, reads its prompt from the connection checked here. */
  async prepareTemplate(traceId: string, spec: string): Promise<string> {
    const parsed = parseLangfuseTemplateSpec(spec);
    const origin = (await (await this.stores.get()).getTrace(traceId))?.source?.connection;
    const connection = parsed.connection ?? (await this.promptConnectionFor(origin));
    if (connection === undefined) {
      throw new LangfuseConfigError(`The template ${spec} is a Langfuse prompt but no Langfuse connection is set up; run "Trace Replay: Connect Langfuse...".`);
    }
    await (await this.langfuse(connection)).prompts.getPrompt(parsed.name, promptSelectorOf(parsed));
    return langfuseTemplateSpecOn(spec, connection);
  }

  /** The prompts a `langfuse:` template spec is read from (for the replay engine): the connection
   *  the spec names; a spec without one (a job queued by an older version) uses the active or only
   *  connection. */
  async promptsForTemplate(spec: string): Promise<LangfusePrompts> {
    const name = parseLangfuseTemplateSpec(spec).connection ?? (await this.promptConnectionFor(undefined)) ?? DEFAULT_CONNECTION_NAME;
    return (await this.langfuse(name)).prompts;
  }

  private async openLangfuse(name: string): Promise<LangfuseContext> {
    const connection = await this.connections.connection(name);
    const store = await this.stores.get();
    const client = new LangfuseClient(connection, this.clientOptions);
    const source = new LangfuseTraceSource(client, { cache: await storeLangfuseCache(store) });
    return { connection, client, source, prompts: new LangfusePrompts(client) };
  }

  private dropClients(reason: string): void {
    if (this.contexts.size) this.log.info(`Langfuse clients dropped: ${reason}`);
    this.contexts.clear();
    this.connectionsChanged.fire();
  }
}
