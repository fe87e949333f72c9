// Picks the API a call is sent with and hands it to that API's request builder.
import type { LlmApi, LlmCall } from '../model/trace';
import { buildAnthropicMessagesBody } from './anthropic-messages-request';
import type { BuiltRequest, ModelTarget, ProviderConfig, ProviderConfigs } from './llm-types';
import { buildOpenAiChatBody } from './openai-chat-request';
import { buildOpenAiResponsesBody } from './openai-responses-request';
import { pairToolCalls, type BuildContext } from './request-common';

export type ProviderKind = ProviderConfig['kind'];

/** The kind of a target provider; an unconfigured name is guessed so build() stays pure (execute()
 *  then reports the missing configuration). */
export function providerKind(provider: string, configs: ProviderConfigs): ProviderKind {
  const config = configs[provider];
  if (config !== undefined) return config.kind;
  if (provider === 'anthropic') return 'anthropic';
  if (provider === 'openai') return 'openai';
  if (provider === 'offline') return 'offline';
  return 'openai-compatible';
}

function servesApi(kind: ProviderKind, api: LlmApi): boolean {
  if (kind === 'offline') return api !== 'unknown';
  if (kind === 'anthropic') return api === 'anthropic.messages';
  return api === 'chat.completions' || api === 'responses';
}

/** target.api when the provider serves it; else the recorded API when it does; else the native one. */
export function targetApi(call: LlmCall, target: ModelTarget, kind: ProviderKind, warnings: string[]): LlmApi {
  const native: LlmApi = kind === 'anthropic' ? 'anthropic.messages' : 'chat.completions';
  if (target.api !== undefined && target.api !== 'unknown') {
    if (servesApi(kind, target.api)) return target.api;
    warnings.push(`${target.provider} does not serve the ${target.api} API; sent through ${native}.`);
    return native;
  }
  if ((kind === 'openai' || kind === 'offline') && servesApi(kind, call.api)) return call.api;
  if (kind === 'openai-compatible' && call.api === 'chat.completions') return call.api;
  return native;
}

export function buildRequest(call: LlmCall, target: ModelTarget, kind: ProviderKind): BuiltRequest {
  const warnings: string[] = [];
  const api = targetApi(call, target, kind, warnings);
  const ctx: BuildContext = { call, model: target.model, kind, api, sameApi: call.api === api, warnings };
  const messages = pairToolCalls(call.messages, warnings);
  let body: Record<string, unknown>;
  if (api === 'anthropic.messages') body = buildAnthropicMessagesBody(ctx, messages);
  else if (api === 'responses') body = buildOpenAiResponsesBody(ctx, messages);
  else body = buildOpenAiChatBody(ctx, messages);
  return { provider: target.provider, api, body, stream: body.stream === true, warnings };
}
