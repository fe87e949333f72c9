// Test support for the Bedrock adapter: a call's request built as the provider layer builds it
// (tool ids paired, then the adapter's body, streamed as recorded), and a config that points the real SDK at the fake
// server with static credentials, so the SDK never looks at the environment or ~/.aws.
import { bedrockProvider, type BedrockProviderConfig } from '../../../src/core/llm/providers/bedrock/bedrock-provider';
import type { BuiltRequest } from '../../../src/core/llm/llm-types';
import { pairToolCalls, type BuildContext } from '../../../src/core/llm/request-common';
import type { LlmCall } from '../../../src/core/model/trace';

export const BEDROCK_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

export function bedrockContext(call: LlmCall, model = BEDROCK_MODEL): BuildContext {
  return {
    call,
    model,
    kind: 'bedrock',
    api: 'bedrock.converse',
    sameApi: call.api === 'bedrock.converse',
    warnings: [],
  };
}

/** As buildRequest does it: Converse has no stream flag in its body, so a call streams as recorded. */
export function buildBedrock(call: LlmCall, model = BEDROCK_MODEL): BuiltRequest {
  const ctx = bedrockContext(call, model);
  const body = bedrockProvider.buildBody(ctx, pairToolCalls(call.messages, ctx.warnings));
  return { provider: 'bedrock', api: 'bedrock.converse', body, stream: call.streamed === true, warnings: ctx.warnings };
}

export function fakeBedrockConfig(endpoint: string, extra: Partial<BedrockProviderConfig> = {}): BedrockProviderConfig {
  return {
    kind: 'bedrock',
    baseURL: endpoint,
    region: 'us-east-1',
    awsCredentials: { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'fake-secret' },
    maxRetries: 0,
    ...extra,
  };
}

export function userCall(text: string, extra: Partial<LlmCall> = {}): LlmCall {
  return {
    api: 'bedrock.converse',
    provider: 'aws.bedrock',
    messages: [{ role: 'user', parts: [{ type: 'text', text }] }],
    parameters: {},
    output: { text: '', toolCalls: [] },
    ...extra,
  };
}
