// OpenAI Responses API wire format: the response object and its typed SSE events.
import type { ResolvedReply, SseFrame } from './fake-llm-types';
import { splitIntoChunks } from './text-chunks';

type Json = Record<string, unknown>;

function usageJson(reply: ResolvedReply): Json {
  const u = reply.usage;
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  };
}

function messageItem(id: string, text: string, status: string): Json {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

function functionCallItem(call: ResolvedReply['toolCalls'][number], index: number, args: string, status: string): Json {
  return { id: `fc_fake${index}`, type: 'function_call', status, arguments: args, call_id: call.id, name: call.name };
}

function responseObject(
  reply: ResolvedReply,
  id: string,
  created: number,
  request: Json,
  status: string,
  output: Json[],
): Json {
  const incomplete = reply.finishReason === 'length' || reply.finishReason === 'max_output_tokens';
  return {
    id,
    object: 'response',
    created_at: created,
    status: status === 'completed' && incomplete ? 'incomplete' : status,
    background: false,
    error: null,
    incomplete_details: status === 'completed' && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: reply.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: status === 'completed' ? usageJson(reply) : null,
    user: null,
    metadata: {},
  };
}

function finalOutput(reply: ResolvedReply): Json[] {
  const out: Json[] = [];
  if (reply.text !== '') out.push(messageItem('msg_fake0', reply.text, 'completed'));
  reply.toolCalls.forEach((c, i) => out.push(functionCallItem(c, i, c.arguments, 'completed')));
  return out;
}

export function responsesJson(reply: ResolvedReply, id: string, created: number, request: Json): Json {
  return responseObject(reply, id, created, request, 'completed', finalOutput(reply));
}

export function responsesFrames(reply: ResolvedReply, id: string, created: number, request: Json): SseFrame[] {
  const frames: SseFrame[] = [];
  let seq = 0;
  const emit = (type: string, payload: Json): void => {
    frames.push({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...payload }) });
  };
  emit('response.created', { response: responseObject(reply, id, created, request, 'in_progress', []) });
  emit('response.in_progress', { response: responseObject(reply, id, created, request, 'in_progress', []) });
  let outputIndex = 0;
  if (reply.text !== '') {
    const itemId = 'msg_fake0';
    emit('response.output_item.added', { output_index: outputIndex, item: messageItem(itemId, '', 'in_progress') });
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    emit('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part });
    for (const delta of splitIntoChunks(reply.text)) {
      emit('response.output_text.delta', {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        delta,
        logprobs: [],
      });
    }
    emit('response.output_text.done', {
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      text: reply.text,
      logprobs: [],
    });
    emit('response.content_part.done', {
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      part: { ...part, text: reply.text },
    });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: messageItem(itemId, reply.text, 'completed'),
    });
    outputIndex++;
  }
  reply.toolCalls.forEach((call, i) => {
    const itemId = `fc_fake${i}`;
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: functionCallItem(call, i, '', 'in_progress'),
    });
    for (const delta of splitIntoChunks(call.arguments, 8)) {
      emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta });
    }
    emit('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: outputIndex,
      name: call.name,
      arguments: call.arguments,
    });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: functionCallItem(call, i, call.arguments, 'completed'),
    });
    outputIndex++;
  });
  emit('response.completed', { response: responsesJson(reply, id, created, request) });
  return frames;
}
