// Test support for the Gemini adapter: a call's request built as the provider layer builds it
// (build-request.ts with the Gemini adapter), and a send as the gateway does it (the adapter's
// client with a counting fetch, its send, its error mapping), against the fake LLM server.
import { performance } from 'node:perf_hooks';
import { buildRequest } from '../../../src/core/llm/build-request';
import type { BuiltRequest, ProviderConfig } from '../../../src/core/llm/llm-types';
import { geminiProvider } from '../../../src/core/llm/providers/gemini/gemini-provider';
import type { ReadResult } from '../../../src/core/llm/response-common';
import type { LlmCall, Message } from '../../../src/core/model/trace';

export const GEMINI_MODEL = 'gemini-2.5-flash';

export function buildGemini(call: LlmCall, model = GEMINI_MODEL): BuiltRequest {
  return buildRequest(call, { provider: 'gemini', model }, geminiProvider);
}

export function geminiCall(messages: Message[], extra: Partial<LlmCall> = {}): LlmCall {
  return {
    api: 'gemini.generate_content',
    provider: 'gcp.gemini',
    messages,
    parameters: {},
    output: { text: '', toolCalls: [] },
    ...extra,
  };
}

export function fakeGeminiConfig(baseURL: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { kind: 'gemini', baseURL, apiKey: 'gemini-test-key', maxRetries: 0, ...extra };
}

export interface Sent {
  read: ReadResult;
  /** HTTP attempts the SDK made. */
  attempts: number;
}

/** Sends like the gateway: one client per call here, fetch counting attempts, errors mapped. */
export async function sendGemini(request: BuiltRequest, config: ProviderConfig, signal?: AbortSignal): Promise<Sent> {
  let attempts = 0;
  const counting: typeof fetch = (input, init) => {
    attempts++;
    return fetch(input, init);
  };
  const client = geminiProvider.createClient(config, counting);
  try {
    const read = await geminiProvider.send(client, request, { signal, now: () => performance.now() });
    return { read, attempts };
  } catch (err) {
    throw geminiProvider.mapError(err, 'gemini', Math.max(0, attempts - 1), signal, config);
  }
}

/** The built body as it goes on the wire: `model` travels in the URL. */
export function wireBody(request: BuiltRequest): Record<string, unknown> {
  const { model, ...rest } = request.body; // eslint-disable-line @typescript-eslint/no-unused-vars
  return rest;
}
