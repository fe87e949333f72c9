// Executing built requests through the real SDKs against the fake LLM server: answers read into
// the neutral model, streaming time to first token, the SDKs' retries, typed errors, cancellation.
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import {
  MissingApiKeyError,
  ProviderRequestError,
  RequestAbortedError,
  UnknownProviderError,
} from '../../../src/core/llm/llm-errors';
import type { ModelTarget, ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { LlmApi, LlmCall } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { fakeConfigs } from './recorded-world';

function call(api: LlmApi, extra: Partial<LlmCall> = {}): LlmCall {
  return {
    api,
    provider: api === 'anthropic.messages' ? 'anthropic' : 'openai',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    ],
    tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    parameters: { maxTokens: 50 },
    output: { text: '', toolCalls: [] },
    ...extra,
  };
}

// Gemini and Bedrock have their own gateway suites (their fake endpoints speak their wire protocols).
const TARGETS: Record<Exclude<LlmApi, 'unknown' | 'gemini.generate_content' | 'bedrock.converse'>, ModelTarget> = {
  'chat.completions': { provider: 'openai', model: 'gpt-4o-mini', api: 'chat.completions' },
  responses: { provider: 'openai', model: 'gpt-4.1-mini', api: 'responses' },
  'anthropic.messages': { provider: 'anthropic', model: 'claude-haiku-4-5' },
};

describe('llm provider layer: gateway execution', () => {
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = fakeConfigs(llm);
  });
  beforeEach(() => llm.reset());
  after(async () => {
    await llm.close();
  });

  for (const api of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
    for (const streamed of [false, true]) {
      it(`${api}${streamed ? ' (streamed)' : ''}: reads text, tool calls, finish reason, usage and ids`, async () => {
        const gateway = createLlmGateway(configs);
        const anthropic = api === 'anthropic.messages';
        llm.enqueue({
          model: 'served-model',
          text: 'Checking.',
          toolCalls: [{ id: 'call_x1', name: 'get_weather', arguments: { city: 'Paris' } }],
          usage: { input: 30, output: 7, cacheRead: 5, cacheWrite: anthropic ? 2 : 0, reasoning: anthropic ? 0 : 3 },
        });
        const target = TARGETS[api];
        const built = gateway.build(call(api, { streamed }), target);
        const ex = await gateway.execute(built, target);
        assert.equal(ex.streamed, streamed);
        assert.equal(ex.output.text, 'Checking.');
        assert.deepEqual(ex.output.toolCalls, [
          { type: 'tool_call', id: 'call_x1', name: 'get_weather', arguments: { city: 'Paris' } },
        ]);
        assert.equal(ex.output.finishReason, 'tool_call');
        assert.equal(ex.responseModel, 'served-model');
        assert.match(ex.responseId ?? '', anthropic ? /^msg_/ : api === 'responses' ? /^resp_/ : /^chatcmpl-/);
        assert.equal(ex.retries, 0);
        if (anthropic) {
          assert.deepEqual(ex.usage, {
            inputIncludesCache: false,
            inputTokens: 30,
            outputTokens: 7,
            cacheReadTokens: 5,
            cacheWriteTokens: 2,
            totalTokens: 44,
          });
        } else {
          assert.deepEqual(ex.usage, {
            inputIncludesCache: true,
            inputTokens: 30,
            outputTokens: 7,
            totalTokens: 37,
            cacheReadTokens: 5,
            reasoningTokens: 3,
          });
        }
        if (streamed) {
          assert.ok(
            ex.timeToFirstTokenMs !== undefined && ex.timeToFirstTokenMs >= 0 && ex.timeToFirstTokenMs <= ex.durationMs,
            'ttft within the call',
          );
          assert.equal(llm.requests[0].body.stream, true);
        } else {
          assert.equal(ex.timeToFirstTokenMs, undefined);
          assert.equal(llm.requests[0].body.stream, undefined);
        }
      });
    }
  }

  it('maps stop reasons to one vocabulary (length, stop)', async () => {
    const gateway = createLlmGateway(configs);
    llm.enqueue([
      { text: 'cut', finishReason: 'max_tokens' },
      { text: 'cut', finishReason: 'length' },
      { text: 'done' },
    ]);
    const a = await gateway.execute(
      gateway.build(call('anthropic.messages', { tools: undefined }), TARGETS['anthropic.messages']),
      TARGETS['anthropic.messages'],
    );
    const c = await gateway.execute(
      gateway.build(call('chat.completions', { tools: undefined }), TARGETS['chat.completions']),
      TARGETS['chat.completions'],
    );
    const r = await gateway.execute(
      gateway.build(call('responses', { tools: undefined }), TARGETS.responses),
      TARGETS.responses,
    );
    assert.deepEqual(
      [a.output.finishReason, c.output.finishReason, r.output.finishReason],
      ['length', 'length', 'stop'],
    );
  });

  for (const api of ['chat.completions', 'anthropic.messages'] as const) {
    it(`${api}: a 429 with retry-after is retried by the SDK, and the retry count is visible`, async () => {
      const gateway = createLlmGateway({
        ...configs,
        [TARGETS[api].provider]: { ...configs[TARGETS[api].provider], maxRetries: 2 },
      });
      llm.enqueue([{ status: 429, retryAfter: 0 }, { text: 'after the limit' }]);
      const ex = await gateway.execute(gateway.build(call(api), TARGETS[api]), TARGETS[api]);
      assert.equal(ex.output.text, 'after the limit');
      assert.equal(ex.retries, 1);
      assert.equal(llm.requests.length, 2, 'the SDK sent the request twice');
      assert.deepEqual(llm.requests[1].body, llm.requests[0].body);
    });

    it(`${api}: a persistent 500 fails after the retries with the provider's own message`, async () => {
      const gateway = createLlmGateway({
        ...configs,
        [TARGETS[api].provider]: { ...configs[TARGETS[api].provider], maxRetries: 2 },
      });
      llm.enqueue([
        { status: 500, retryAfter: 0 },
        { status: 500, retryAfter: 0 },
        { status: 500, retryAfter: 0 },
      ]);
      const err = await gateway.execute(gateway.build(call(api), TARGETS[api]), TARGETS[api]).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProviderRequestError, `got ${String(err)}`);
      assert.equal(err.status, 500);
      assert.equal(err.retryable, true);
      assert.equal(err.retries, 2);
      assert.equal(llm.requests.length, 3);
      assert.equal(
        err.providerMessage,
        api === 'anthropic.messages'
          ? 'Internal server error'
          : 'The server had an error while processing your request. Sorry about that!',
      );
      assert.match(err.requestId ?? '', /^req_fake\d+$/);
    });
  }

  it('a 400 is not retried and is not retryable', async () => {
    const gateway = createLlmGateway({ ...configs, openai: { ...configs.openai, maxRetries: 2 } });
    llm.enqueue({ status: 400 });
    const err = await gateway
      .execute(gateway.build(call('chat.completions'), TARGETS['chat.completions']), TARGETS['chat.completions'])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof ProviderRequestError);
    assert.equal(err.retryable, false);
    assert.equal(err.retries, 0);
    assert.equal(err.providerMessage, 'Invalid request.');
    assert.equal(llm.requests.length, 1);
  });

  it('a server that cannot be reached fails with a message naming its address', async () => {
    const closed = await startFakeLlmServer();
    await closed.close(); // nothing listens on this port any more
    const gateway = createLlmGateway({
      openai: { kind: 'openai', apiKey: 'sk-x', baseURL: closed.openaiBaseUrl, maxRetries: 0 },
    });
    const target = TARGETS['chat.completions'];
    await assert.rejects(gateway.execute(gateway.build(call('chat.completions'), target), target), (e: unknown) => {
      assert.ok(e instanceof ProviderRequestError);
      assert.equal(e.retryable, true);
      assert.ok(e.message.includes(`could not reach ${closed.openaiBaseUrl}`), e.message);
      return true;
    });
  });

  it('a missing key fails at once, naming the env var, with no request sent', async () => {
    const gateway = createLlmGateway({ ...configs, anthropic: { ...configs.anthropic, apiKey: undefined } });
    const target = TARGETS['anthropic.messages'];
    await assert.rejects(gateway.execute(gateway.build(call('anthropic.messages'), target), target), (e: unknown) => {
      assert.ok(e instanceof MissingApiKeyError);
      assert.equal(e.message, 'No API key for anthropic: set ANTHROPIC_API_KEY.');
      return true;
    });
    assert.equal(llm.requests.length, 0);
  });

  it('an OpenAI-compatible profile that needs no key is called without one', async () => {
    const gateway = createLlmGateway({
      ...configs,
      ollama: { kind: 'openai-compatible', baseURL: llm.openaiBaseUrl, keyOptional: true },
    });
    const target: ModelTarget = { provider: 'ollama', model: 'llama3.1:8b' };
    const built = gateway.build(call('chat.completions', { parameters: { topK: 20 } }), target);
    assert.deepEqual(built.warnings, [], 'top_k is passed to OpenAI-compatible servers');
    const ex = await gateway.execute(built, target);
    assert.equal(llm.requests[0].body.model, 'llama3.1:8b');
    assert.equal(llm.requests[0].body.top_k, 20);
    assert.match(ex.output.text, /^fake:llama3\.1:8b/);
  });

  it('an unconfigured provider fails with UnknownProviderError and no request', async () => {
    const gateway = createLlmGateway(configs);
    const target: ModelTarget = { provider: 'vllm', model: 'qwen' };
    await assert.rejects(
      gateway.execute(gateway.build(call('chat.completions'), target), target),
      UnknownProviderError,
    );
    assert.equal(llm.requests.length, 0);
  });

  for (const api of ['chat.completions', 'anthropic.messages'] as const) {
    it(`${api}: aborting the signal cancels the in-flight call with RequestAbortedError`, async () => {
      const gateway = createLlmGateway(configs);
      let release!: () => void;
      llm.enqueue({ hold: new Promise<void>((r) => (release = r)) });
      const controller = new AbortController();
      const pending = gateway.execute(gateway.build(call(api), TARGETS[api]), TARGETS[api], {
        signal: controller.signal,
      });
      await new Promise<void>((resolve) => {
        const check = (): void => (llm.inFlight > 0 ? resolve() : void setImmediate(check));
        check();
      });
      controller.abort();
      await assert.rejects(pending, RequestAbortedError);
      release();
    });
  }

  it('an already-aborted signal sends nothing', async () => {
    const gateway = createLlmGateway(configs);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      gateway.execute(gateway.build(call('responses'), TARGETS.responses), TARGETS.responses, {
        signal: controller.signal,
      }),
      RequestAbortedError,
    );
    assert.equal(llm.requests.length, 0);
  });
});

describe('llm provider layer: the offline stand-in', () => {
  it('answers offline:echo deterministically with token counts and says it is a stand-in', async () => {
    const gateway = createLlmGateway({ offline: { kind: 'offline', keyOptional: true } });
    for (const api of ['chat.completions', 'responses', 'anthropic.messages'] as const) {
      const target: ModelTarget = { provider: 'offline', model: 'echo' };
      const request = gateway.build(call(api), target);
      assert.equal(request.api, api, 'the recorded API is kept: nothing to translate');
      const first = await gateway.execute(request, target);
      const again = await gateway.execute(gateway.build(call(api), target), target);
      assert.equal(first.output.text, '(offline echo) Weather in Paris?');
      assert.deepEqual(again.output, first.output);
      assert.equal(first.responseModel, 'offline:echo');
      assert.ok((first.usage?.inputTokens ?? 0) > 0 && (first.usage?.outputTokens ?? 0) > 0);
      assert.match(first.warnings?.[0] ?? '', /offline stand-in/);
    }
  });
});
