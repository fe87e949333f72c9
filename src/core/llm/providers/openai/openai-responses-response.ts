// Responses API answers (the response object or the SDK's typed event stream) -> the neutral result.
import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import type { ToolCallPart, Usage } from '../../../model/trace';
import { compact, normalizeFinishReason, parseToolArguments, type Clock, type ReadResult } from '../../response-common';

export function responsesUsage(u: ResponseUsage | null | undefined): Usage | undefined {
  if (!u) return undefined;
  return compact({
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    totalTokens: u.total_tokens,
    cacheReadTokens: u.input_tokens_details?.cached_tokens,
    reasoningTokens: u.output_tokens_details?.reasoning_tokens,
    inputIncludesCache: true,
  });
}

export function readResponse(r: Response): ReadResult {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallPart[] = [];
  const warnings: string[] = [];
  for (const item of r.output ?? []) {
    if (item.type === 'message') {
      for (const c of item.content) {
        if (c.type === 'output_text') text += c.text;
        else if (c.type === 'refusal') text += c.refusal;
      }
    } else if (item.type === 'function_call') {
      toolCalls.push({
        type: 'tool_call',
        id: item.call_id,
        name: item.name,
        arguments: parseToolArguments(item.arguments),
      });
    } else if (item.type === 'reasoning') {
      reasoning += (item.summary ?? []).map((s) => s.text).join('');
    } else {
      warnings.push(`an output item of type ${item.type} is not read.`);
    }
  }
  let finish: string | undefined;
  if (r.status === 'incomplete') finish = normalizeFinishReason(r.incomplete_details?.reason ?? 'length');
  else if (r.status === 'failed') finish = 'error';
  else if (toolCalls.length > 0) finish = 'tool_call';
  else if (r.status === 'completed') finish = 'stop';
  const output: ReadResult['output'] = { text, toolCalls };
  if (finish !== undefined) output.finishReason = finish;
  if (reasoning !== '') output.reasoning = reasoning;
  const result: ReadResult = { output, responseModel: r.model, responseId: r.id, warnings };
  const usage = responsesUsage(r.usage);
  if (usage) result.usage = usage;
  return result;
}

const CONTENT_EVENTS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.reasoning_text.delta',
  'response.reasoning_summary_text.delta',
]);

export async function readResponsesStream(stream: AsyncIterable<ResponseStreamEvent>, now: Clock): Promise<ReadResult> {
  let final: Response | undefined;
  let started: Response | undefined;
  let text = '';
  let firstContentAt: number | undefined;
  for await (const event of stream) {
    const isFunctionStart = event.type === 'response.output_item.added' && event.item.type === 'function_call';
    if (CONTENT_EVENTS.has(event.type) || isFunctionStart) firstContentAt ??= now();
    if (event.type === 'response.output_text.delta') text += event.delta;
    else if (event.type === 'response.created') started = event.response;
    else if (
      event.type === 'response.completed' ||
      event.type === 'response.incomplete' ||
      event.type === 'response.failed'
    )
      final = event.response;
  }
  let result: ReadResult;
  if (final !== undefined) result = readResponse(final);
  else {
    result = {
      output: { text, toolCalls: [] },
      warnings: ['the stream ended without a final response event; only its text was read.'],
    };
    if (started) {
      result.responseId = started.id;
      result.responseModel = started.model;
    }
  }
  if (firstContentAt !== undefined) result.firstContentAt = firstContentAt;
  return result;
}
