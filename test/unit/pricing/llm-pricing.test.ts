import assert from 'node:assert/strict';
import { priceLlmCall, pricingUsage } from '../../../src/core/pricing/llm-pricing';

describe('pricing (@pydantic/genai-prices, bundled data)', () => {
  it('prices a known model from its usage', () => {
    const cost = priceLlmCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000, inputIncludesCache: true },
    });
    assert.ok(cost.costUsd !== null);
    assert.ok(cost.costUsd > 0);
    assert.equal(cost.costUsd, cost.inputUsd + cost.outputUsd);
  });

  it('makes cache reads cheaper than plain input and counts Anthropic cache tokens on top of input', () => {
    const plain = priceLlmCall({
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      usage: { inputTokens: 1000, outputTokens: 0, inputIncludesCache: false },
    });
    const cached = priceLlmCall({
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      usage: { inputTokens: 0, cacheReadTokens: 1000, outputTokens: 0, inputIncludesCache: false },
    });
    assert.ok(plain.costUsd !== null && cached.costUsd !== null);
    assert.ok(cached.costUsd < plain.costUsd);
    assert.deepEqual(
      pricingUsage({
        inputTokens: 10,
        cacheReadTokens: 4,
        cacheWriteTokens: 3,
        outputTokens: 1,
        inputIncludesCache: false,
      }),
      {
        input_tokens: 17,
        output_tokens: 1,
        cache_read_tokens: 4,
        cache_write_tokens: 3,
      },
    );
    assert.deepEqual(pricingUsage({ inputTokens: 10, cacheReadTokens: 4, outputTokens: 1, inputIncludesCache: true }), {
      input_tokens: 10,
      output_tokens: 1,
      cache_read_tokens: 4,
    });
  });

  it('reports an unknown model, provider or missing usage as null with a reason, never 0', () => {
    for (const query of [
      {
        provider: 'openai',
        model: 'no-such-model-xyz',
        usage: { inputTokens: 1, outputTokens: 1, inputIncludesCache: true },
      },
      { provider: 'ollama', model: 'llama3.2', usage: { inputTokens: 1, outputTokens: 1, inputIncludesCache: true } },
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'openai', usage: { inputTokens: 1, outputTokens: 1, inputIncludesCache: true } },
    ]) {
      const cost = priceLlmCall(query);
      assert.equal(cost.costUsd, null);
      assert.ok('reason' in cost && cost.reason.length > 0);
    }
  });
});
