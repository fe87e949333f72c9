// Anthropic Messages wire format: the message object and its SSE event sequence.
import type { ResolvedReply, SseFrame } from './fake-llm-types';
import { splitIntoChunks } from './text-chunks';

type Json = Record<string, unknown>;

function stopReason(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn');
}

function usageJson(reply: ResolvedReply, outputTokens: number): Json {
  return {
    input_tokens: reply.usage.input,
    cache_creation_input_tokens: reply.usage.cacheWrite,
    cache_read_input_tokens: reply.usage.cacheRead,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function contentBlocks(reply: ResolvedReply): Json[] {
  const blocks: Json[] = [];
  if (reply.text !== '') blocks.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown });
  }
  return blocks;
}

export function anthropicMessageJson(reply: ResolvedReply, id: string): Json {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: contentBlocks(reply),
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usageJson(reply, reply.usage.output),
  };
}

export function anthropicFrames(reply: ResolvedReply, id: string): SseFrame[] {
  const frames: SseFrame[] = [];
  const emit = (type: string, payload: Json): void => {
    frames.push({ event: type, data: JSON.stringify({ type, ...payload }) });
  };
  // Like the real API: message_start reports a provisional output count, message_delta the final one.
  emit('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: reply.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageJson(reply, 1),
    },
  });
  frames.push({ event: 'ping', data: JSON.stringify({ type: 'ping' }) });
  let index = 0;
  if (reply.text !== '') {
    emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const text of splitIntoChunks(reply.text))
      emit('content_block_delta', { index, delta: { type: 'text_delta', text } });
    emit('content_block_stop', { index });
    index++;
  }
  for (const call of reply.toolCalls) {
    emit('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
    });
    for (const partial of splitIntoChunks(call.arguments, 8)) {
      emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } });
    }
    emit('content_block_stop', { index });
    index++;
  }
  emit('message_delta', {
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: { output_tokens: reply.usage.output },
  });
  emit('message_stop', {});
  return frames;
}
