// Picks the API a call is sent with and hands the call to the target adapter's request builder.
import type { LlmApi, LlmCall } from '../model/trace';
import type { BuiltRequest, ModelTarget, ProviderConfigs } from './llm-types';
import type { ProviderAdapter } from './provider-adapter';
import { ENDPOINT_PROFILES, providerById, providerForConfig } from './provider-registry';
import { pairToolCalls, type BuildContext } from './request-common';

/** The adapter of a target provider; an unconfigured name is taken as the adapter of that id, else
 *  as an OpenAI-compatible profile, so build() stays pure (execute() then reports the missing
 *  configuration). */
export function targetAdapter(provider: string, configs: ProviderConfigs): ProviderAdapter {
  const config = configs[provider];
  const adapter = config !== undefined ? providerForConfig(config) : providerById(provider);
  return adapter ?? ENDPOINT_PROFILES;
}

/** target.api when the provider serves it; else the recorded API when it does; else the native one. */
export function targetApi(call: LlmCall, target: ModelTarget, adapter: ProviderAdapter, warnings: string[]): LlmApi {
  const native = adapter.apis[0];
  if (target.api !== undefined && target.api !== 'unknown') {
    if (adapter.apis.includes(target.api)) return target.api;
    warnings.push(`${target.provider} does not serve the ${target.api} API; sent through ${native}.`);
    return native;
  }
  if ((adapter.replayApis ?? adapter.apis).includes(call.api)) return call.api;
  return native;
}

export function buildRequest(
  call: LlmCall,
  target: ModelTarget,
  adapter: ProviderAdapter,
  kind: string = adapter.id,
): BuiltRequest {
  const warnings: string[] = [...(target.warnings ?? [])];
  const api = targetApi(call, target, adapter, warnings);
  const ctx: BuildContext = { call, model: target.model, kind, api, sameApi: call.api === api, warnings };
  const messages = pairToolCalls(call.messages, warnings);
  const body = adapter.buildBody(ctx, messages);
  // APIs whose body has no stream flag (Gemini, Bedrock pick a streaming method instead) stream as recorded.
  const stream = 'stream' in body ? body.stream === true : call.streamed === true;
  return { provider: target.provider, api, body, stream, warnings };
}
