// Messages API answers (the message or the SDK's raw event stream) -> the neutral result.
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ToolCallPart, Usage } from '../../../model/trace';
import { compact, normalizeFinishReason, parseToolArguments, type Clock, type ReadResult } from '../../response-common';

interface UsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

export function anthropicUsage(u: UsageLike | null | undefined): Usage | undefined {
  if (!u) return undefined;
  const parts = [u.input_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens, u.output_tokens];
  return compact({
    inputTokens: u.input_tokens ?? undefined,
    outputTokens: u.output_tokens ?? undefined,
    // Anthropic gives no total; everything billed is the sum (its input excludes the cache).
    totalTokens: parts.reduce<number>((n, v) => n + (v ?? 0), 0),
    cacheReadTokens: u.cache_read_input_tokens ?? undefined,
    cacheWriteTokens: u.cache_creation_input_tokens ?? undefined,
    reasoningTokens: u.output_tokens_details?.thinking_tokens ?? undefined,
    inputIncludesCache: false,
  });
}

export function readAnthropicMessage(m: Message): ReadResult {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallPart[] = [];
  const warnings: string[] = [];
  for (const block of m.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use')
      toolCalls.push({ type: 'tool_call', id: block.id, name: block.name, arguments: block.input });
    else if (block.type === 'thinking') reasoning += block.thinking;
    else warnings.push(`a content block of type ${block.type} is not read.`);
  }
  const output: ReadResult['output'] = { text, toolCalls };
  const finish = normalizeFinishReason(m.stop_reason);
  if (finish !== undefined) output.finishReason = finish;
  if (reasoning !== '') output.reasoning = reasoning;
  const result: ReadResult = { output, responseModel: m.model, responseId: m.id, warnings };
  const usage = anthropicUsage(m.usage);
  if (usage) result.usage = usage;
  return result;
}

interface Block {
  type: string;
  text: string;
  id?: string;
  name?: string;
  json: string;
}

export async function readAnthropicStream(
  stream: AsyncIterable<RawMessageStreamEvent>,
  now: Clock,
): Promise<ReadResult> {
  const blocks = new Map<number, Block>();
  let id: string | undefined;
  let model: string | undefined;
  let usage: UsageLike = {};
  let stop: string | null | undefined;
  let firstContentAt: number | undefined;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        id = event.message.id;
        model = event.message.model;
        usage = { ...event.message.usage };
        break;
      case 'content_block_start': {
        const b = event.content_block;
        const block: Block = { type: b.type, text: '', json: '' };
        if (b.type === 'text' && b.text !== '') block.text = b.text;
        if (b.type === 'tool_use') {
          block.id = b.id;
          block.name = b.name;
          firstContentAt ??= now();
        }
        blocks.set(event.index, block);
        break;
      }
      case 'content_block_delta': {
        const block = blocks.get(event.index) ?? { type: 'text', text: '', json: '' };
        const d = event.delta;
        if (d.type === 'text_delta') block.text += d.text;
        else if (d.type === 'input_json_delta') block.json += d.partial_json;
        else if (d.type === 'thinking_delta') block.text += d.thinking;
        else break;
        firstContentAt ??= now();
        blocks.set(event.index, block);
        break;
      }
      case 'message_delta': {
        stop = event.delta.stop_reason ?? stop;
        // The final counts; newer API versions repeat the input/cache counts here too.
        for (const [k, v] of Object.entries(event.usage ?? {}))
          if (v !== null && v !== undefined) (usage as Record<string, unknown>)[k] = v;
        break;
      }
      default:
        break;
    }
  }
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallPart[] = [];
  const warnings: string[] = [];
  for (const [, b] of [...blocks.entries()].sort(([a], [c]) => a - c)) {
    if (b.type === 'text') text += b.text;
    else if (b.type === 'thinking') reasoning += b.text;
    else if (b.type === 'tool_use')
      toolCalls.push({ type: 'tool_call', id: b.id ?? '', name: b.name ?? '', arguments: parseToolArguments(b.json) });
    else warnings.push(`a streamed content block of type ${b.type} is not read.`);
  }
  const output: ReadResult['output'] = { text, toolCalls };
  const finish = normalizeFinishReason(stop);
  if (finish !== undefined) output.finishReason = finish;
  if (reasoning !== '') output.reasoning = reasoning;
  const result: ReadResult = { output, warnings };
  if (id) result.responseId = id;
  if (model) result.responseModel = model;
  const u = anthropicUsage(usage);
  if (u) result.usage = u;
  if (firstContentAt !== undefined) result.firstContentAt = firstContentAt;
  return result;
}
