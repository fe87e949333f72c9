// The seam a trace platform (Langfuse, Arize Phoenix, ...) plugs into. A platform is its folder under
// src/core/sources/<id>/ exporting a PlatformDescriptor, plus one line in platform-registry.ts.
//
// The descriptor is plain data plus two functions: how a connection is built from settings and
// keys (the extension reads them from VS Code settings and SecretStorage, the CLI from environment
// variables named after the descriptor), and how a connection is opened. The opened connection,
// a PlatformSession, offers a trace source and the optional capabilities the platform has: prompt
// versions as templates, scores, writing a replayed trace back, writing our scores.
//
// Nothing outside a platform's folder branches on its id: the CLI's --source, the extension's
// source switcher, Connect <Platform>..., keys, the Traces view, the prompt-version step and the
// comparison's platform scores all go through these types.
import type { PlatformScore, Score } from '../eval/evaluation-types';
import type { Trace } from '../model/trace';
import type { PromptTemplate } from '../prompts/prompt-template';
import type { TraceStore } from '../store/trace-store';
import type { SourceListOptions, SourcePage, TraceSource } from './trace-source';

export type Env = Record<string, string | undefined>;

export type PlatformCapability = 'traces' | 'prompts' | 'scores' | 'writeBack' | 'writeScores';

/** A non-secret connection setting (kept in the `traceReplay.<id>.connections` setting entries). */
export interface ConnectionSetting {
  /** Key in ConnectionInput.settings and in the setting entry, e.g. 'baseUrl', 'project'. */
  key: string;
  /** Shown in Connect <Platform>...: "Base URL". */
  label: string;
  /** Used when the setting is absent. */
  default?: string;
  placeholder?: string;
  /** Environment variable suffix: <PREFIX>_<SUFFIX> for the default connection,
   *  <PREFIX>_<NAME>_<SUFFIX> for a named one (e.g. 'BASE_URL'). */
  envSuffix: string;
  /** Other suffixes read when <PREFIX>_<SUFFIX> is not set (Langfuse's SDKs also read LANGFUSE_HOST). */
  envSuffixAliases?: string[];
  /** Choices offered first in Connect <Platform>... (e.g. Langfuse's cloud regions). */
  choices?: { label: string; value: string }[];
}

/** A secret of a connection (SecretStorage; environment variables as the CLI fallback). */
export interface ConnectionSecret {
  /** Key in ConnectionInput.secrets and the last part of the SecretStorage name, e.g. 'secretKey'. */
  key: string;
  label: string;
  envSuffix: string;
  /** A connection works without it (e.g. a self-hosted Phoenix without authentication). */
  optional?: boolean;
  /** The value is not secret enough to hide while typing (e.g. Langfuse's public key). */
  visible?: boolean;
  placeholder?: string;
}

/** What a connection is built from. */
export interface ConnectionInput {
  /** 'default' for the unnamed connection. */
  name: string;
  settings: Record<string, string | undefined>;
  secrets: Record<string, string | undefined>;
}

/** What every platform's connection object has; platforms extend it with their own fields. */
export interface PlatformConnection {
  /** 'default' for the unnamed connection from the <PREFIX>_* environment variables. */
  name: string;
  /** Without a trailing slash. */
  baseUrl: string;
}

export interface PlatformDescriptor<C extends PlatformConnection = PlatformConnection> {
  /** Lower-case, used in `--source <id>[:<connection>]`, `<id>:<prompt>@<version>` template specs,
   *  setting names (`traceReplay.<id>.connections`), SecretStorage names and TraceOrigin.kind. */
  readonly id: string;
  /** "Langfuse", "Arize Phoenix". */
  readonly displayName: string;
  /** Upper-case prefix of its environment variables: 'LANGFUSE', 'PHOENIX'. */
  readonly envPrefix: string;
  readonly settings: readonly ConnectionSetting[];
  readonly secrets: readonly ConnectionSecret[];
  readonly capabilities: readonly PlatformCapability[];
  /** What one word calls a prompt's movable pointer: 'label' (Langfuse), 'tag' (Phoenix). */
  readonly promptLabelWord?: string;
  /** What a prompt version id looks like (Langfuse: digits), so `<id>:<name>@<x>` with another x
   *  is refused as a typo; default: any word. */
  readonly promptVersionPattern?: RegExp;
  /** Where a new user gets keys, shown in Connect <Platform>... */
  readonly keysHelp?: string;
  /** Validates and builds a connection; throws PlatformConfigError naming what to set. */
  connection(input: ConnectionInput): C;
  /** Connections from the environment (the default one first). Throws PlatformConfigError on a
   *  half-configured one. */
  connectionsFromEnv(env: Env): C[];
  /** "cloud.langfuse.com", "localhost:6006 / default": which server (and project) a connection is. */
  describe(connection: C): string;
  open(connection: C, context: PlatformOpenContext): Promise<PlatformSession<C>>;
}

export interface PlatformClientOptions {
  fetch?: typeof fetch;
  /** Retries after a 429 (platform default when absent). */
  maxRetries?: number;
  maxRetryAfterSeconds?: number;
  /** How to wait for Retry-After (tests pass one that resolves at once). */
  sleep?: (ms: number) => Promise<void>;
}

export interface PlatformOpenContext {
  /** Where reads are cached (absent: in memory). */
  store?: TraceStore;
  clientOptions?: PlatformClientOptions;
  /** Cached list pages older than this are fetched again (default DEFAULT_LIST_TTL_SECONDS). */
  listTtlSeconds?: number;
}

export interface PlatformListOptions extends SourceListOptions {
  /** Ask the platform again instead of serving a cached page. */
  refresh?: boolean;
  /** This call's list TTL (seconds) instead of the session's; 0 always asks. */
  listTtlSeconds?: number;
}

/** A platform's traces. Ids are the platform's own trace ids. */
export interface PlatformTraceSource extends TraceSource {
  listTraces(options?: PlatformListOptions): Promise<SourcePage>;
  getTrace(id: string, options?: { refresh?: boolean }): Promise<Trace | undefined>;
  /** Like getTrace, but a missing trace is a PlatformError with code TRACE_GONE. */
  requireTrace(id: string, options?: { refresh?: boolean }): Promise<Trace>;
  /** Forgets cached list pages so the next listTraces asks the platform. */
  refreshList(): Promise<void>;
}

/** One prompt version or pointer. Exactly one of version / label, or neither (the platform's
 *  default: Langfuse's "production" label, Phoenix's latest version). */
export interface PromptSelector {
  version?: string;
  label?: string;
}

export interface PlatformPromptSummary {
  name: string;
  /** 'text' | 'chat' when the platform says. */
  type?: string;
  /** Newest first, as the platform spells them (Langfuse: "3"; Phoenix: a version id). */
  versions: string[];
  labels: string[];
}

export interface PlatformPromptVersions extends PlatformPromptSummary {
  /** Which version each label points at, when asked with resolveLabels. */
  labelVersions?: Record<string, string>;
  /** A short description of each version when the platform has one (Phoenix: description). */
  descriptions?: Record<string, string>;
}

export interface PlatformPrompts {
  list(): Promise<PlatformPromptSummary[]>;
  /** Undefined when the prompt does not exist. */
  versions(name: string, options?: { resolveLabels?: boolean }): Promise<PlatformPromptVersions | undefined>;
  /** The version as a template; a missing prompt/version is a PlatformError PROMPT_NOT_FOUND. */
  get(name: string, selector?: PromptSelector): Promise<PromptTemplate>;
}

export interface WriteBackOptions {
  tags?: string[];
  environment?: string;
}

export interface WriteBackResult {
  /** The id the platform files the replayed trace under. */
  platformTraceId: string;
  spanCount: number;
  url?: string;
}

/** Our evaluator scores of a trace, to be attached on the platform. Span ids are the platform's. */
export interface ScoresToWrite {
  platformTraceId: string;
  scores: Score[];
}

export interface PlatformSession<C extends PlatformConnection = PlatformConnection> {
  readonly descriptor: PlatformDescriptor<C>;
  readonly connection: C;
  /** `<id>` for the default connection, `<id>:<name>` for a named one (what --source takes). */
  readonly sourceId: string;
  /** "Langfuse (cloud.langfuse.com)". */
  readonly label: string;
  readonly traces: PlatformTraceSource;
  /** One cheap authenticated request, once per session: a wrong key fails before a cached page
   *  is served. */
  checkCredentials(): Promise<void>;
  /** Requests sent so far (each retry counts). */
  readonly requestCount: number;
  /** The trace's page in the platform's UI. */
  traceUrl(platformTraceId: string): Promise<string | undefined>;
  /** Completes a trace just read for the store: e.g. the templates of the prompt versions its
   *  spans are linked to (warnings on the spans when one cannot be read). */
  prepareForStore?(trace: Trace): Promise<void>;
  readonly prompts?: PlatformPrompts;
  /** Scores the platform holds for a trace (read fresh: they arrive after its evaluators ran). */
  scoresOf?(platformTraceId: string): Promise<PlatformScore[]>;
  /** Sends a replayed trace (its replayOf.originalTraceId is the platform's id of the original). */
  writeBack?(replay: Trace, options?: WriteBackOptions): Promise<WriteBackResult>;
  /** Attaches our scores to a trace on the platform; returns how many were written. */
  writeScores?(scores: ScoresToWrite): Promise<number>;
}

export const DEFAULT_CONNECTION_NAME = 'default';
export const DEFAULT_LIST_TTL_SECONDS = 60;
