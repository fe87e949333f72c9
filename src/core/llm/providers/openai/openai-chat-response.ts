// Chat Completions answers (JSON or the SDK's chunk stream) -> the neutral result.
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ToolCallPart, Usage } from '../../../model/trace';
import { compact, normalizeFinishReason, parseToolArguments, type Clock, type ReadResult } from '../../response-common';

export function chatUsage(u: CompletionUsage | null | undefined): Usage | undefined {
  if (!u) return undefined;
  return compact({
    inputTokens: u.prompt_tokens,
    outputTokens: u.completion_tokens,
    totalTokens: u.total_tokens,
    cacheReadTokens: u.prompt_tokens_details?.cached_tokens,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens,
    // OpenAI's prompt_tokens already count the cached ones.
    inputIncludesCache: true,
  });
}

function extraChoices(n: number): string[] {
  return n > 1 ? [`the answer had ${n} choices; only the first is kept.`] : [];
}

export function readChatCompletion(c: ChatCompletion): ReadResult {
  const choice = c.choices[0];
  const message = choice?.message;
  const toolCalls: ToolCallPart[] = (message?.tool_calls ?? []).flatMap((tc) =>
    tc.type === 'function'
      ? [
          {
            type: 'tool_call' as const,
            id: tc.id,
            name: tc.function.name,
            arguments: parseToolArguments(tc.function.arguments),
          },
        ]
      : [],
  );
  const output: ReadResult['output'] = { text: message?.content ?? '', toolCalls };
  const finish = normalizeFinishReason(choice?.finish_reason);
  if (finish !== undefined) output.finishReason = finish;
  const reasoning = (message as { reasoning_content?: unknown } | undefined)?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') output.reasoning = reasoning;
  const result: ReadResult = {
    output,
    responseModel: c.model,
    responseId: c.id,
    warnings: extraChoices(c.choices.length),
  };
  const usage = chatUsage(c.usage);
  if (usage) result.usage = usage;
  return result;
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

export async function readChatStream(stream: AsyncIterable<ChatCompletionChunk>, now: Clock): Promise<ReadResult> {
  let text = '';
  let reasoning = '';
  let finish: string | null | undefined;
  let model: string | undefined;
  let id: string | undefined;
  let usage: CompletionUsage | null | undefined;
  let firstContentAt: number | undefined;
  let maxChoices = 0;
  const calls = new Map<number, PendingCall>();
  for await (const chunk of stream) {
    model ??= chunk.model;
    id ??= chunk.id;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      maxChoices = Math.max(maxChoices, choice.index + 1);
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      const r = (delta as { reasoning_content?: unknown }).reasoning_content;
      const hasContent =
        (delta.content ?? '') !== '' || (delta.tool_calls?.length ?? 0) > 0 || (typeof r === 'string' && r !== '');
      if (hasContent) firstContentAt ??= now();
      if (delta.content) text += delta.content;
      if (typeof r === 'string') reasoning += r;
      for (const tc of delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', args: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.args += tc.function.arguments;
        calls.set(tc.index, call);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  const toolCalls: ToolCallPart[] = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => ({ type: 'tool_call', id: c.id, name: c.name, arguments: parseToolArguments(c.args) }));
  const output: ReadResult['output'] = { text, toolCalls };
  const f = normalizeFinishReason(finish);
  if (f !== undefined) output.finishReason = f;
  if (reasoning !== '') output.reasoning = reasoning;
  const result: ReadResult = { output, warnings: extraChoices(maxChoices) };
  if (model) result.responseModel = model;
  if (id) result.responseId = id;
  const u = chatUsage(usage);
  if (u) result.usage = u;
  else result.warnings.push('the stream reported no usage (the server ignored stream_options.include_usage).');
  if (firstContentAt !== undefined) result.firstContentAt = firstContentAt;
  return result;
}
