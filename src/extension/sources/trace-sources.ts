// Where the Traces view reads from: the local store or a platform connection (Langfuse, Phoenix...).
// Keeps the active source (per workspace), opens one session per connection (its reads cached in
// the store, so browsing again costs no request), and copies platform traces into the store when
// one is expanded, opened or replayed, so every other feature works on the local copy.
import * as vscode from 'vscode';
import type { Trace } from '../../core/model/trace';
import { formatTemplateRef, type TemplatePromptRef } from '../../core/prompts/template-ref';
import { promptVersionReader, type PromptVersionReader } from '../../core/replay/prompt-versions';
import { fetchIntoStore, type FetchedTrace } from '../../core/sources/fetch-into-store';
import { LOCAL_SOURCE_ID, LocalTraceSource } from '../../core/sources/local-source';
import type { OpenedTraceSource } from '../../core/sources/open-source';
import type {
  PlatformClientOptions,
  PlatformDescriptor,
  PlatformSession,
  PlatformTraceSource,
} from '../../core/sources/platform';
import { PlatformConfigError } from '../../core/sources/platform-errors';
import { findPlatform, PLATFORMS } from '../../core/sources/platform-registry';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { parseSourceId, platformSourceId } from './platform-connection-list';
import { connectCommandTitle, type PlatformConnections } from './platform-connections';
import { linkedPlatformPrompts, platformPromptChoices, type PlatformPromptChoice } from './platform-prompt-choices';
import { getSetting } from '../common/settings';
import type { StoreHost } from '../store/store-host';

export type ActiveSource =
  | { kind: 'local'; id: typeof LOCAL_SOURCE_ID; label: string }
  | { kind: 'platform'; id: string; label: string; platform: PlatformDescriptor; connection: string };

/** A trace as a command names it: an id, and the source it is listed in (absent: the store). */
export interface TraceRef {
  id: string;
  sourceId?: string;
}

const ACTIVE_KEY = 'traceReplay.activeSource';
/** Interactive use: a long Retry-After surfaces as a message at once instead of a frozen view. */
const CLIENT_OPTIONS: PlatformClientOptions = { maxRetries: 1, maxRetryAfterSeconds: 10 };

export class TraceSources extends Disposable {
  private readonly activeChanged = this.register(new vscode.EventEmitter<ActiveSource>());
  /** The Traces view switched to another source. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly connectionsChanged = this.register(new vscode.EventEmitter<void>());
  /** A connection or key changed: sessions were dropped, what was listed may be stale. */
  readonly onDidChangeConnections = this.connectionsChanged.event;
  private readonly sessions = new Map<string, Promise<PlatformSession>>();

  constructor(
    private readonly stores: StoreHost,
    readonly connections: PlatformConnections,
    private readonly state: vscode.Memento,
    private readonly log: Log,
    /** How interactive reads treat 429s (a long Retry-After surfaces as a message at once). */
    readonly clientOptions: PlatformClientOptions = CLIENT_OPTIONS,
  ) {
    super();
    this.register(connections.onDidChange(() => this.dropSessions('a platform connection or key changed')));
    this.register(stores.onDidChangeTraces((e) => e.kind === 'reset' && this.dropSessions('the store changed')));
  }

  /** The source the Traces view shows. */
  active(): ActiveSource {
    const id = this.state.get<string>(ACTIVE_KEY, LOCAL_SOURCE_ID);
    const parsed = parseSourceId(id);
    if (parsed) {
      const entry = this.connections.listSync(parsed.platform).find((c) => c.name === parsed.connection);
      // A default connection may exist through stored keys only (not known synchronously).
      if (entry || parsed.connection === 'default') {
        return {
          kind: 'platform',
          id,
          label: entry?.label ?? parsed.platform.displayName,
          platform: parsed.platform,
          connection: parsed.connection,
        };
      }
    }
    return { kind: 'local', id: LOCAL_SOURCE_ID, label: 'Local store' };
  }

  /** Switches the Traces view; `local`, `<platform>` or `<platform>:<name>`. Throws for an unknown one. */
  async setActive(sourceId: string): Promise<ActiveSource> {
    const parsed = parseSourceId(sourceId);
    if (sourceId !== LOCAL_SOURCE_ID) {
      if (!parsed)
        throw new PlatformConfigError(
          `"${sourceId}" is not a trace source; use local, ${PLATFORMS.map((p) => `${p.id} or ${p.id}:<connection name>`).join(', ')}.`,
        );
      const entries = await this.connections.list(parsed.platform);
      if (!entries.some((c) => c.name === parsed.connection))
        await this.connections.connection(parsed.platform, parsed.connection); // throws the reason
    }
    await this.state.update(
      ACTIVE_KEY,
      sourceId === LOCAL_SOURCE_ID ? undefined : platformSourceId(parsed!.platform.id, parsed!.connection),
    );
    const active = this.active();
    this.log.info(`Traces view source: ${active.label}`);
    this.activeChanged.fire(active);
    return active;
  }

  /** The session of a connection (opened once, until keys or settings change). */
  session(platform: PlatformDescriptor, connectionName: string): Promise<PlatformSession> {
    const key = platformSourceId(platform.id, connectionName);
    let session = this.sessions.get(key);
    if (!session) {
      session = this.open(platform, connectionName);
      this.sessions.set(key, session);
      // A failed open (missing keys) is not kept: the next user action asks again.
      void session.catch(() => this.sessions.get(key) === session && this.sessions.delete(key));
    }
    return session;
  }

  /** The session of a platform source id (`langfuse`, `phoenix:prod`). */
  async sessionOf(sourceId: string): Promise<PlatformSession> {
    const parsed = parseSourceId(sourceId);
    if (!parsed) throw new PlatformConfigError(`"${sourceId}" is not a platform source.`);
    return this.session(parsed.platform, parsed.connection);
  }

  /** The trace list of a platform source id, for the Traces view. */
  async platformTraces(sourceId: string): Promise<PlatformTraceSource> {
    return (await this.sessionOf(sourceId)).traces;
  }

  /** The trace in the local store, copied there from its platform first (no request when it is there). */
  async fetchTrace(sourceId: string, traceId: string): Promise<FetchedTrace> {
    const store = await this.stores.get();
    let opened: OpenedTraceSource;
    if (parseSourceId(sourceId) === undefined) {
      const local = new LocalTraceSource(store);
      opened = { kind: 'local', id: local.id, label: local.label, source: local };
    } else {
      const session = await this.sessionOf(sourceId);
      opened = { kind: 'platform', id: session.sourceId, label: session.label, session };
    }
    const fetched = await fetchIntoStore(opened, store, traceId);
    if (fetched.fetched) this.log.info(`trace ${traceId} copied from ${sourceId} into the store as ${fetched.localId}`);
    return fetched;
  }

  /** Store ids of the traces: platform ones are copied into the store first. Throws PlatformError. */
  async localTraceIds(refs: TraceRef[]): Promise<string[]> {
    const ids: string[] = [];
    for (const ref of refs) {
      ids.push(
        ref.sourceId === undefined || ref.sourceId === LOCAL_SOURCE_ID
          ? ref.id
          : (await this.fetchTrace(ref.sourceId, ref.id)).localId,
      );
    }
    return ids;
  }

  /** The connection of `platform` whose prompts a trace's linked spans name: the one it was read
   *  from, else the active source when it is that platform, else its only configured connection. */
  async promptConnectionFor(platform: PlatformDescriptor, origin: string | undefined): Promise<string | undefined> {
    const entries = await this.connections.list(platform);
    if (origin !== undefined && entries.some((c) => c.name === origin)) return origin;
    const active = this.active();
    if (active.kind === 'platform' && active.platform.id === platform.id) return active.connection;
    return entries.length === 1 ? entries[0].name : undefined;
  }

  /** The versions and labels of the platform prompts the traces' spans are linked to, for the
   *  Replay Trace wizard; undefined when none is linked or no connection is set up. Throws
   *  PlatformError (one sentence) when the platform cannot be read. */
  async promptChoices(traces: Trace[]): Promise<PlatformPromptChoice[] | undefined> {
    const choices: PlatformPromptChoice[] = [];
    let any = false;
    for (const platform of PLATFORMS.filter((p) => p.capabilities.includes('prompts'))) {
      if (linkedPlatformPrompts(traces, platform.id).size === 0) continue;
      const origin = traces.find((t) => t.source?.kind === platform.id)?.source?.connection;
      const connection = await this.promptConnectionFor(platform, origin);
      if (connection === undefined) continue;
      const session = await this.session(platform, connection);
      if (!session.prompts) continue;
      any = true;
      choices.push(...(await platformPromptChoices(traces, platform, session.prompts)));
    }
    return any ? choices : undefined;
  }

  /** Before a replay with a platform's prompt version is queued: picks the connection (the one the
   *  ref names, else the trace's own, else the active or only one) and reads the prompt once, so a
   *  wrong name or version fails now, before any LLM call. Returns the ref naming that connection,
   *  which the job keeps: a job resumed after a reload, or one next to a job of another connection
   *  with the same prompt name, reads its prompt from the connection checked here. */
  async prepareTemplate(traceId: string, ref: TemplatePromptRef): Promise<TemplatePromptRef> {
    const platform = findPlatform(ref.platform);
    if (!platform)
      throw new PlatformConfigError(
        `The template ${formatTemplateRef(ref)} names a platform this version does not know.`,
      );
    const trace = await (await this.stores.get()).getTrace(traceId);
    const origin = trace?.source?.kind === platform.id ? trace.source.connection : undefined;
    const connection = ref.connection ?? (await this.promptConnectionFor(platform, origin));
    if (connection === undefined) {
      throw new PlatformConfigError(
        `The template ${formatTemplateRef(ref)} is a ${platform.displayName} prompt but no ${platform.displayName} connection is set up; run ${connectCommandTitle(platform)}.`,
      );
    }
    const pinned: TemplatePromptRef = { ...ref, connection };
    await this.promptVersions()(pinned);
    return pinned;
  }

  /** Reads prompt versions for the replay engine: from the connection a ref names; a ref without
   *  one (a job queued by an older version) uses the active or only connection of its platform. */
  promptVersions(): PromptVersionReader {
    return promptVersionReader(async (platform, connection) => {
      const name =
        connection !== 'default' ? connection : ((await this.promptConnectionFor(platform, undefined)) ?? connection);
      return this.session(platform, name);
    });
  }

  /** Whether completed replays of this platform's traces are sent back (its writeBack setting). */
  writeBackEnabled(platform: PlatformDescriptor): boolean {
    return platform.capabilities.includes('writeBack') && getSetting(`${platform.id}.writeBack`) !== false;
  }

  private async open(platform: PlatformDescriptor, name: string): Promise<PlatformSession> {
    const connection = await this.connections.connection(platform, name);
    const store = await this.stores.get();
    return platform.open(connection, {
      store,
      clientOptions: this.clientOptions,
      listTtlSeconds: getSetting('platforms.listCacheSeconds'),
    });
  }

  private dropSessions(reason: string): void {
    if (this.sessions.size) this.log.info(`platform sessions dropped: ${reason}`);
    this.sessions.clear();
    this.connectionsChanged.fire();
  }
}
