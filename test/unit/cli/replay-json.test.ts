// The text line of a finished replay job: LLM spans named by step and model, a warning repeated on
// several calls said once with every call and a count.
import { strict as assert } from 'node:assert';
import { replayJobText } from '../../../src/cli/replay-json';
import type { ReplayJob, ReplaySpanResult } from '../../../src/core/replay/replay-types';

function llmResult(id: string, warnings: string[], model = 'gpt-4o-mini'): ReplaySpanResult {
  return {
    originalSpanId: id,
    replaySpanId: `r${id}`,
    kind: 'llm',
    status: 'replayed',
    warnings,
    execution: {
      provider: 'openai',
      api: 'chat',
      model,
      output: { text: 'ok', toolCalls: [] },
      costUsd: 0.0001,
      originalCostUsd: 0.0001,
      durationMs: 5,
      streamed: false,
    },
  };
}

describe('replayJobText', () => {
  it('names two calls alike by step and merges their shared warning', () => {
    const job: ReplayJob = {
      id: 'job-1',
      traceId: 't1',
      replayTraceId: 't2',
      status: 'COMPLETED',
      overrides: {},
      createdAt: '2025-01-01T00:00:00.000Z',
      providerMs: 10,
      spans: [
        { originalSpanId: 'root', replaySpanId: 'rroot', kind: 'chain', status: 'reused', warnings: [] },
        llmResult('a', ['seed dropped']),
        llmResult('b', ['seed dropped', 'top_k dropped']),
      ],
    };
    const text = replayJobText(job);
    assert.match(text, /^ {2}#1 gpt-4o-mini \(span a\), #2 gpt-4o-mini \(span b\): warning: seed dropped \(×2\)$/m);
    assert.match(text, /^ {2}#2 gpt-4o-mini \(span b\): warning: top_k dropped$/m);
  });
});
