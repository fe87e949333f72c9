// Langfuse as a trace platform: its descriptor (connection settings, keys, capabilities) and the
// session an opened connection is. Everything Langfuse-specific stays in this folder; the rest of
// the product sees the PlatformDescriptor / PlatformSession of ../platform.ts.
import type { PlatformScore } from '../../eval/evaluation-types';
import type { Trace } from '../../model/trace';
import type { PromptTemplate } from '../../prompts/prompt-template';
import { TemplateSpecError } from '../../prompts/template-ref';
import {
  type ConnectionInput,
  type PlatformDescriptor,
  type PlatformOpenContext,
  type PlatformPromptSummary,
  type PlatformPromptVersions,
  type PlatformPrompts,
  type PlatformSession,
  type PromptSelector,
  type WriteBackOptions,
  type WriteBackResult,
} from '../platform';
import { urlHost } from '../platform-env';
import { storeLangfuseCache, type LangfuseCache } from './langfuse-cache';
import { LangfuseClient } from './langfuse-client';
import {
  DEFAULT_LANGFUSE_BASE_URL,
  LANGFUSE_CLOUD_REGIONS,
  langfuseConnection,
  langfuseConnectionsFromEnv,
  type LangfuseConnection,
} from './langfuse-config';
import { LangfuseConfigError } from './langfuse-errors';
import { linkRecordedPrompts } from './langfuse-linked-prompts';
import { LangfusePrompts } from './langfuse-prompts';
import { fetchLangfuseScores } from './langfuse-scores';
import { LangfuseTraceSource } from './langfuse-source';
import { langfuseProjectId, langfuseTraceUrl } from './langfuse-trace-url';
import { writeBackTrace } from './langfuse-writeback';

export const langfusePlatform: PlatformDescriptor<LangfuseConnection> = {
  id: 'langfuse',
  displayName: 'Langfuse',
  envPrefix: 'LANGFUSE',
  settings: [
    {
      key: 'baseUrl',
      label: 'Base URL',
      default: DEFAULT_LANGFUSE_BASE_URL,
      placeholder: 'https://langfuse.example.com',
      envSuffix: 'BASE_URL',
      envSuffixAliases: ['HOST'],
      choices: [
        { label: 'Langfuse Cloud (EU)', value: LANGFUSE_CLOUD_REGIONS.eu },
        { label: 'Langfuse Cloud (US)', value: LANGFUSE_CLOUD_REGIONS.us },
      ],
    },
  ],
  secrets: [
    { key: 'publicKey', label: 'Public key', envSuffix: 'PUBLIC_KEY', visible: true, placeholder: 'pk-lf-...' },
    { key: 'secretKey', label: 'Secret key', envSuffix: 'SECRET_KEY', placeholder: 'sk-lf-...' },
  ],
  capabilities: ['traces', 'prompts', 'scores', 'writeBack'],
  promptLabelWord: 'label',
  promptVersionPattern: /^\d+$/,
  keysHelp: 'Langfuse project settings -> API keys',

  connection(input: ConnectionInput): LangfuseConnection {
    const { publicKey, secretKey } = input.secrets;
    if (!publicKey?.trim() || !secretKey?.trim()) {
      throw new LangfuseConfigError(
        `The Langfuse connection "${input.name}" needs both the public and the secret key of the project.`,
      );
    }
    return langfuseConnection({ name: input.name, baseUrl: input.settings.baseUrl, publicKey, secretKey });
  },
  connectionsFromEnv: (env) => langfuseConnectionsFromEnv(env),
  describe: (connection) => urlHost(connection.baseUrl),
  open: async (connection, context) =>
    new LangfuseSession(connection, context, context.store ? await storeLangfuseCache(context.store) : undefined),
};

function promptsAdapter(prompts: LangfusePrompts): PlatformPrompts {
  return {
    async list(): Promise<PlatformPromptSummary[]> {
      return (await prompts.listPrompts()).map((p) => ({
        name: p.name,
        type: p.type,
        versions: [...p.versions].sort((a, b) => b - a).map(String),
        labels: [...p.labels],
      }));
    },
    async versions(name, options): Promise<PlatformPromptVersions | undefined> {
      const list = await prompts.listPromptVersions(name, options);
      if (!list) return undefined;
      const out: PlatformPromptVersions = {
        name,
        type: list.type,
        versions: list.versions.map(String),
        labels: list.labels,
      };
      if (list.labelVersions)
        out.labelVersions = Object.fromEntries(Object.entries(list.labelVersions).map(([l, v]) => [l, String(v)]));
      return out;
    },
    get(name: string, selector: PromptSelector = {}): Promise<PromptTemplate> {
      if (selector.version !== undefined) {
        const version = Number(selector.version);
        if (!Number.isInteger(version) || version < 1)
          throw new TemplateSpecError(
            `"${selector.version}" is not a Langfuse prompt version; versions are whole numbers (1, 2, ...).`,
          );
        return prompts.getPrompt(name, { version });
      }
      return prompts.getPrompt(name, { label: selector.label ?? 'production' });
    },
  };
}

class LangfuseSession implements PlatformSession<LangfuseConnection> {
  readonly descriptor = langfusePlatform;
  readonly sourceId: string;
  readonly label: string;
  readonly traces: LangfuseTraceSource;
  readonly prompts: PlatformPrompts;
  readonly client: LangfuseClient;
  private readonly langfusePrompts: LangfusePrompts;
  private readonly context: PlatformOpenContext;

  constructor(
    readonly connection: LangfuseConnection,
    context: PlatformOpenContext,
    cache: LangfuseCache | undefined,
  ) {
    this.context = context;
    this.client = new LangfuseClient(connection, context.clientOptions);
    this.traces = new LangfuseTraceSource(this.client, { cache, listTtlSeconds: context.listTtlSeconds });
    this.sourceId = this.traces.id;
    this.label = this.traces.label;
    this.langfusePrompts = new LangfusePrompts(this.client);
    this.prompts = promptsAdapter(this.langfusePrompts);
  }

  get requestCount(): number {
    return this.client.requestCount;
  }

  checkCredentials(): Promise<void> {
    return this.client.checkCredentials();
  }

  async traceUrl(platformTraceId: string): Promise<string | undefined> {
    const projectId = this.context.store
      ? await langfuseProjectId(this.context.store, this.connection, platformTraceId)
      : undefined;
    return langfuseTraceUrl(this.connection.baseUrl, projectId, platformTraceId);
  }

  prepareForStore(trace: Trace): Promise<void> {
    return linkRecordedPrompts(trace, this.langfusePrompts);
  }

  scoresOf(platformTraceId: string): Promise<PlatformScore[]> {
    return fetchLangfuseScores(this.client, platformTraceId);
  }

  async writeBack(replay: Trace, options: WriteBackOptions = {}): Promise<WriteBackResult> {
    const result = await writeBackTrace(this.client, replay, options);
    const out: WriteBackResult = { platformTraceId: result.langfuseTraceId, spanCount: result.spanCount };
    const originalId = replay.replayOf?.originalTraceId;
    // The written-back trace is in the original's project: its URL uses the original's project id.
    const projectId =
      originalId && this.context.store
        ? await langfuseProjectId(this.context.store, this.connection, originalId)
        : undefined;
    const url = langfuseTraceUrl(this.connection.baseUrl, projectId, result.langfuseTraceId);
    if (url) out.url = url;
    return out;
  }
}
