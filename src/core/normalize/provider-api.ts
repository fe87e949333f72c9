// Provider names and API flavours as each convention spells them, brought to one vocabulary.
import type { LlmApi } from '../model/trace';

const PROVIDER_ALIASES: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  'azure.openai': 'azure.ai.openai',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  google: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  'google.vertex': 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
};

export interface ProviderInfo {
  provider?: string;
  api?: LlmApi;
}

/** Normalizes a provider name. Vercel AI SDK names carry the API after a dot
 *  ("openai.chat", "openai.responses", "anthropic.messages"), which is read too. */
export function normalizeProvider(raw: string | undefined): ProviderInfo {
  if (!raw) return {};
  const lower = raw.toLowerCase();
  const alias = PROVIDER_ALIASES[lower];
  if (alias) return { provider: alias, api: alias === 'anthropic' ? 'anthropic.messages' : undefined };
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const head = lower.slice(0, dot);
    const tail = lower.slice(dot + 1);
    if (head === 'openai' || head === 'azure') {
      const provider = head === 'openai' ? 'openai' : 'azure.ai.openai';
      if (tail === 'chat') return { provider, api: 'chat.completions' };
      if (tail === 'responses') return { provider, api: 'responses' };
      if (tail === 'completion' || tail === 'embedding') return { provider, api: 'unknown' };
    }
    if (head === 'anthropic') return { provider: 'anthropic', api: 'anthropic.messages' };
    if (PROVIDER_ALIASES[lower] === undefined && !isKnownDotted(lower)) {
      const headAlias = PROVIDER_ALIASES[head];
      if (headAlias) return { provider: headAlias };
    }
  }
  return { provider: lower };
}

// Dotted names that are already the semconv's own spelling.
function isKnownDotted(name: string): boolean {
  return name.startsWith('azure.ai.') || name.startsWith('gcp.') || name.startsWith('aws.') || name.startsWith('ibm.');
}

function isOpenAiLike(provider: string | undefined): boolean {
  return provider === 'openai' || provider === 'azure.ai.openai';
}

/** API from a response id: OpenAI chat completions ids start "chatcmpl-", responses ids "resp_",
 *  Anthropic message ids "msg_". */
export function apiFromResponseId(id: string | undefined): LlmApi | undefined {
  if (!id) return undefined;
  if (id.startsWith('chatcmpl-')) return 'chat.completions';
  if (id.startsWith('resp_')) return 'responses';
  if (id.startsWith('msg_')) return 'anthropic.messages';
  return undefined;
}

/** The native API of providers whose calls name no API of their own: Gemini (AI Studio or Vertex)
 *  generateContent, Bedrock Converse. */
const NATIVE_API: Record<string, LlmApi> = {
  'gcp.gemini': 'gemini.generate_content',
  'gcp.vertex_ai': 'gemini.generate_content',
  'aws.bedrock': 'bedrock.converse',
};

/** Final API choice for a merged call: explicit signals first (a Bedrock- or Vertex-hosted Claude
 *  call made with the Anthropic SDK has a msg_ id: anthropic.messages), then the operation kind. */
export function resolveApi(
  provider: string | undefined,
  explicit: LlmApi,
  responseId: string | undefined,
  chatLike: boolean,
): LlmApi {
  if (explicit !== 'unknown') return explicit;
  const fromId = apiFromResponseId(responseId);
  if (fromId) return fromId;
  if (provider === 'anthropic') return 'anthropic.messages';
  if (isOpenAiLike(provider) && chatLike) return 'chat.completions';
  const native = provider !== undefined ? NATIVE_API[provider] : undefined;
  if (native !== undefined && chatLike) return native;
  return 'unknown';
}
