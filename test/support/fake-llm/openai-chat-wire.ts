// OpenAI Chat Completions wire format (JSON and SSE chunks), as the real API sends it.
import type { ResolvedReply, SseFrame } from './fake-llm-types';
import { splitIntoChunks } from './text-chunks';

const FINGERPRINT = 'fp_fake0001';

function finishReason(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? 'tool_calls' : 'stop');
}

function usageJson(reply: ResolvedReply): Record<string, unknown> {
  const u = reply.usage;
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function chatCompletionJson(reply: ResolvedReply, id: string, created: number): Record<string, unknown> {
  const toolCalls = reply.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  return {
    id,
    object: 'chat.completion',
    created,
    model: reply.model,
    system_fingerprint: FINGERPRINT,
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // The real API sends null content when the model only calls tools.
          content: reply.text === '' && toolCalls.length > 0 ? null : reply.text,
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageJson(reply),
  };
}

export function chatCompletionFrames(
  reply: ResolvedReply,
  id: string,
  created: number,
  includeUsage: boolean,
): SseFrame[] {
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model: reply.model,
    system_fingerprint: FINGERPRINT,
    service_tier: 'default',
  };
  // With include_usage every chunk carries `usage: null` until the final usage-only chunk.
  const usageNull = includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): SseFrame => ({
    data: JSON.stringify({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usageNull,
    }),
  });
  const frames: SseFrame[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitIntoChunks(reply.text)) frames.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    frames.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of splitIntoChunks(call.arguments, 8)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(chunk({}, finishReason(reply)));
  if (includeUsage) frames.push({ data: JSON.stringify({ ...base, choices: [], usage: usageJson(reply) }) });
  frames.push({ data: '[DONE]' });
  return frames;
}
