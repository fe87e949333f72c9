// Google Gemini (the Gemini API, generativelanguage.googleapis.com) through the official
// @google/genai SDK (2.x; 3.x needs Node 22). It replays calls recorded from Gemini apps (Google AI
// Studio, Vertex AI, the GenAI SDKs) and takes any other call through generateContent.
// Wire: POST {baseUrl}/v1beta/models/{model}:generateContent, or :streamGenerateContent?alt=sse for
// a streamed call; the key goes in the x-goog-api-key header.
import type { GoogleGenAI } from '@google/genai';
import { geminiSdk } from './gemini-sdk';
import type { ModelParameters } from '../../../model/trace';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import { firstEnv, nonEmpty } from '../../config-values';
import type { ProviderAdapter } from '../../provider-adapter';
import { mapGeminiError } from './gemini-errors';
import { geminiParams } from './gemini-params';
import { buildGeminiBody } from './gemini-request';
import { readGeminiResponse, readGeminiStream } from './gemini-response';

export const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
const KEY_ENV_VARS = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;
const BASE_URL_ENV = 'GEMINI_BASE_URL';

export const geminiProvider: ProviderAdapter<GoogleGenAI> = {
  id: 'gemini',
  displayName: 'Google Gemini',
  apis: ['gemini.generate_content'],
  recordedProviders: ['gcp.gemini', 'gcp.vertex_ai', 'gcp.gen_ai'],
  modelPrefixes: [/^gemini-/],
  credentials: 'api-key',
  keyEnvVars: KEY_ENV_VARS,
  baseUrlEnvVar: BASE_URL_ENV,
  defaultBaseURL: DEFAULT_GEMINI_BASE_URL,
  secretId: 'gemini',
  priceProviderId: 'google',
  parameters: new Set<keyof ModelParameters>([
    'temperature',
    'maxTokens',
    'topP',
    'topK',
    'stop',
    'seed',
    'frequencyPenalty',
    'presencePenalty',
    'n',
    'reasoningEffort',
  ]),
  suggestedModels: ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro'],

  configFromEnv(env) {
    const key = firstEnv(env, KEY_ENV_VARS);
    return {
      kind: 'gemini',
      baseURL: nonEmpty(env[BASE_URL_ENV]) ?? DEFAULT_GEMINI_BASE_URL,
      apiKey: key?.value,
      keySource: key?.name ?? `${KEY_ENV_VARS[0]} (or ${KEY_ENV_VARS[1]})`,
    };
  },
  buildBody: buildGeminiBody,
  createClient(config, fetch) {
    const retries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
    return new (geminiSdk().GoogleGenAI)({
      // Sent when no key is configured (the gateway reports a missing key before any send).
      apiKey: config.apiKey ?? 'no-key',
      // Explicit, so GOOGLE_GENAI_USE_VERTEXAI / _ENTERPRISE in the environment never switch the backend.
      vertexai: false,
      // The SDK's default is v1beta (the version the Gemini docs use); a configured one wins.
      ...(config.apiVersion !== undefined ? { apiVersion: config.apiVersion } : {}),
      httpOptions: {
        // Always explicit: the SDK never falls back to its built-in endpoint or the environment.
        baseUrl: config.baseURL ?? DEFAULT_GEMINI_BASE_URL,
        timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        headers: config.headers,
        fetch,
        // The SDK retries 408/429/5xx with exponential backoff (1 s, 2 s, ... up to 60 s) when given
        // retryOptions; `attempts` counts the first try. Without retryOptions it sends once.
        retryOptions: retries > 0 ? { attempts: retries + 1 } : undefined,
      },
    });
  },
  async send(client, request, ctx) {
    const params = geminiParams(request.body, ctx.signal);
    if (request.stream) return readGeminiStream(await client.models.generateContentStream(params), ctx.now);
    return readGeminiResponse(await client.models.generateContent(params));
  },
  mapError: (err, provider, retries, signal, config) =>
    mapGeminiError(
      err,
      provider,
      retries,
      signal,
      config.baseURL ?? DEFAULT_GEMINI_BASE_URL,
      config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ),
};
