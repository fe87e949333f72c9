// Arize Phoenix as a trace platform: its descriptor (connection settings, key, capabilities) and
// the session an opened connection is. Everything Phoenix-specific stays in this folder; the rest
// of the product sees the PlatformDescriptor / PlatformSession of ../platform.ts.
import type { PlatformScore } from '../../eval/evaluation-types';
import type { Trace } from '../../model/trace';
import {
  DEFAULT_CONNECTION_NAME,
  type ConnectionInput,
  type Env,
  type PlatformDescriptor,
  type PlatformOpenContext,
  type PlatformSession,
  type ScoresToWrite,
  type WriteBackOptions,
  type WriteBackResult,
} from '../platform';
import { connectionInputFromEnv, namedConnections, platformEnvVar, urlHost } from '../platform-env';
import { storePhoenixCache, type PhoenixCache } from './phoenix-cache';
import { PhoenixClient } from './phoenix-client';
import {
  baseUrlVariable,
  DEFAULT_PHOENIX_BASE_URL,
  DEFAULT_PHOENIX_PROJECT,
  PHOENIX_ENV_PREFIX,
  phoenixConnection,
  requireNamedBaseUrl,
  withPhoenixEnvFallbacks,
  type PhoenixConnection,
} from './phoenix-config';
import { PhoenixConfigError } from './phoenix-errors';
import { PhoenixPrompts } from './phoenix-prompts';
import { fetchPhoenixScores, writePhoenixScores } from './phoenix-scores';
import { PhoenixTraceSource } from './phoenix-source';
import { buildPhoenixWritebackBody, otlpJsonToProtobuf, phoenixReplayTraceId } from './phoenix-writeback';

/** The trace's page in Phoenix's UI (`/projects/<project id>/traces/<trace id>`); without the
 *  project id, Phoenix's redirect route that finds the trace's project. */
export function phoenixTraceUrl(baseUrl: string, projectId: string | undefined, traceId: string): string {
  return projectId
    ? `${baseUrl}/projects/${encodeURIComponent(projectId)}/traces/${encodeURIComponent(traceId)}`
    : `${baseUrl}/redirects/traces/${encodeURIComponent(traceId)}`;
}

function connectionsFromEnv(rawEnv: Env): PhoenixConnection[] {
  const env = withPhoenixEnvFallbacks(rawEnv);
  const out: PhoenixConnection[] = [];
  const base = connectionInputFromEnv(phoenixPlatform, env, DEFAULT_CONNECTION_NAME);
  if (base) out.push(phoenixConnection(base, baseUrlVariable(rawEnv, DEFAULT_CONNECTION_NAME)));
  for (const name of namedConnections(phoenixPlatform, env)) {
    const input = connectionInputFromEnv(phoenixPlatform, env, name);
    const baseVar = platformEnvVar(phoenixPlatform, name, 'BASE_URL');
    if (!input)
      throw new PhoenixConfigError(
        `PHOENIX_CONNECTIONS names "${name}" but ${baseVar} is not set; set the Phoenix server's address for it.`,
        name,
      );
    requireNamedBaseUrl(input);
    out.push(phoenixConnection(input, baseVar));
  }
  return out;
}

export const phoenixPlatform: PlatformDescriptor<PhoenixConnection> = {
  id: 'phoenix',
  displayName: 'Arize Phoenix',
  envPrefix: PHOENIX_ENV_PREFIX,
  settings: [
    {
      key: 'baseUrl',
      label: 'Base URL',
      default: DEFAULT_PHOENIX_BASE_URL,
      placeholder: 'https://phoenix.example.com',
      envSuffix: 'BASE_URL',
    },
    {
      key: 'project',
      label: 'Project',
      default: DEFAULT_PHOENIX_PROJECT,
      placeholder: 'default',
      envSuffix: 'PROJECT',
    },
  ],
  secrets: [
    {
      key: 'apiKey',
      label: 'API key',
      envSuffix: 'API_KEY',
      optional: true,
      placeholder: 'a Phoenix system or user API key',
    },
  ],
  capabilities: ['traces', 'prompts', 'scores', 'writeBack', 'writeScores'],
  promptLabelWord: 'tag',
  keysHelp: 'Phoenix Settings -> API keys; only a server with authentication on needs one',

  connection: (input: ConnectionInput) => phoenixConnection(input),
  connectionsFromEnv,
  describe: (connection) => `${urlHost(connection.baseUrl)} / ${connection.project}`,
  open: async (connection, context) =>
    new PhoenixSession(connection, context, context.store ? await storePhoenixCache(context.store) : undefined),
};

class PhoenixSession implements PlatformSession<PhoenixConnection> {
  readonly descriptor = phoenixPlatform;
  readonly sourceId: string;
  readonly label: string;
  readonly traces: PhoenixTraceSource;
  readonly prompts: PhoenixPrompts;
  readonly client: PhoenixClient;

  constructor(
    readonly connection: PhoenixConnection,
    context: PlatformOpenContext,
    cache: PhoenixCache | undefined,
  ) {
    this.client = new PhoenixClient(connection, context.clientOptions);
    this.traces = new PhoenixTraceSource(this.client, { cache, listTtlSeconds: context.listTtlSeconds });
    this.sourceId = this.traces.id;
    this.label = this.traces.label;
    this.prompts = new PhoenixPrompts(this.client);
  }

  get requestCount(): number {
    return this.client.requestCount;
  }

  checkCredentials(): Promise<void> {
    return this.client.checkCredentials();
  }

  /** The project id comes from the credentials check (one request at most per session); when
   *  Phoenix cannot say, the URL is Phoenix's redirect route. */
  async traceUrl(platformTraceId: string): Promise<string | undefined> {
    const projectId = await this.client.getProject().then(
      (p) => p.id,
      () => undefined,
    );
    return phoenixTraceUrl(this.connection.baseUrl, projectId, platformTraceId);
  }

  async scoresOf(platformTraceId: string): Promise<PlatformScore[]> {
    await this.client.checkCredentials();
    const spans = await this.traces.traceSpans(platformTraceId);
    return fetchPhoenixScores(
      this.client,
      platformTraceId,
      (spans ?? []).map((s) => s.context.span_id),
    );
  }

  async writeBack(replay: Trace, options: WriteBackOptions = {}): Promise<WriteBackResult> {
    // The project's name (the connection may name it by id): ingest files spans under a name.
    const project = await this.client.getProject();
    const body = buildPhoenixWritebackBody(replay, project.name, options);
    await this.client.exportTraces(otlpJsonToProtobuf(body));
    const platformTraceId = phoenixReplayTraceId(replay);
    return {
      platformTraceId,
      spanCount: replay.spans.length,
      url: phoenixTraceUrl(this.connection.baseUrl, project.id, platformTraceId),
    };
  }

  writeScores(scores: ScoresToWrite): Promise<number> {
    return writePhoenixScores(this.client, scores);
  }
}
