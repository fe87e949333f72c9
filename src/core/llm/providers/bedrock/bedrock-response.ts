// Converse answers (ConverseCommandOutput, or the ConverseStream event stream) -> the neutral result.
// Bedrock names no response model and no response id: the model is the requested modelId, the id
// the request id AWS answered with (x-amzn-requestid). Its usage counts inputTokens WITHOUT the
// cache reads/writes (they come on top, as on Anthropic's API); totalTokens is Bedrock's own.
import type {
  ConverseCommandOutput,
  ConverseStreamOutput,
  StopReason,
  TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import type { ToolCallPart, Usage } from '../../../model/trace';
import { compact, normalizeFinishReason, parseToolArguments, type Clock, type ReadResult } from '../../response-common';

/** Bedrock stop reasons the shared vocabulary does not know. */
const STOP: Record<string, string> = {
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
};

export function bedrockFinishReason(raw: StopReason | string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return STOP[raw] ?? normalizeFinishReason(raw);
}

export function bedrockUsage(u: TokenUsage | undefined): Usage | undefined {
  if (u === undefined) return undefined;
  const parts = [u.inputTokens, u.outputTokens, u.cacheReadInputTokens, u.cacheWriteInputTokens];
  return compact({
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.totalTokens ?? parts.reduce<number>((n, v) => n + (v ?? 0), 0),
    cacheReadTokens: u.cacheReadInputTokens,
    cacheWriteTokens: u.cacheWriteInputTokens,
    inputIncludesCache: false,
  });
}

function finish(
  result: ReadResult,
  stop: string | undefined,
  usage: TokenUsage | undefined,
  modelId: string,
  requestId: string | undefined,
): ReadResult {
  const reason = bedrockFinishReason(stop);
  if (reason !== undefined) result.output.finishReason = reason;
  const u = bedrockUsage(usage);
  if (u !== undefined) result.usage = u;
  else result.warnings.push('the answer carried no usage.');
  result.responseModel = modelId;
  if (requestId !== undefined && requestId !== '') result.responseId = requestId;
  return result;
}

export function readConverseOutput(out: ConverseCommandOutput, modelId: string): ReadResult {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallPart[] = [];
  const warnings: string[] = [];
  const message = out.output?.message;
  if (message === undefined) warnings.push('the answer carried no message.');
  for (const block of message?.content ?? []) {
    if (block.text !== undefined) text += block.text;
    else if (block.toolUse !== undefined) {
      toolCalls.push({
        type: 'tool_call',
        id: block.toolUse.toolUseId ?? '',
        name: block.toolUse.name ?? '',
        arguments: block.toolUse.input ?? {},
      });
    } else if (block.reasoningContent?.reasoningText !== undefined)
      reasoning += block.reasoningContent.reasoningText.text ?? '';
    else if (block.reasoningContent?.redactedContent !== undefined)
      warnings.push('a redacted reasoning block is not read.');
    else
      warnings.push(
        `a content block of type ${
          Object.keys(block)
            .filter((k) => k !== '$unknown')
            .join(', ') || 'unknown'
        } is not read.`,
      );
  }
  const output: ReadResult['output'] = { text, toolCalls };
  if (reasoning !== '') output.reasoning = reasoning;
  return finish({ output, warnings }, out.stopReason, out.usage, modelId, out.$metadata.requestId);
}

interface Block {
  kind: 'text' | 'tool' | 'reasoning' | 'other';
  text: string;
  id?: string;
  name?: string;
  json: string;
}

export async function readConverseStream(
  stream: AsyncIterable<ConverseStreamOutput> | undefined,
  modelId: string,
  requestId: string | undefined,
  now: Clock,
): Promise<ReadResult> {
  const blocks = new Map<number, Block>();
  const warnings: string[] = [];
  let stop: string | undefined;
  let usage: TokenUsage | undefined;
  let firstContentAt: number | undefined;
  const blockAt = (index: number | undefined, kind: Block['kind']): Block => {
    const i = index ?? 0;
    let block = blocks.get(i);
    if (block === undefined) {
      block = { kind, text: '', json: '' };
      blocks.set(i, block);
    }
    return block;
  };
  if (stream === undefined) warnings.push('the answer carried no event stream.');
  for await (const event of stream ?? []) {
    if (event.contentBlockStart !== undefined) {
      const start = event.contentBlockStart.start;
      if (start?.toolUse !== undefined) {
        const block = blockAt(event.contentBlockStart.contentBlockIndex, 'tool');
        block.kind = 'tool';
        block.id = start.toolUse.toolUseId;
        block.name = start.toolUse.name;
        firstContentAt ??= now();
      } else blockAt(event.contentBlockStart.contentBlockIndex, 'other');
    } else if (event.contentBlockDelta !== undefined) {
      const d = event.contentBlockDelta.delta;
      const index = event.contentBlockDelta.contentBlockIndex;
      if (d?.text !== undefined) blockAt(index, 'text').text += d.text;
      else if (d?.toolUse !== undefined) blockAt(index, 'tool').json += d.toolUse.input ?? '';
      else if (d?.reasoningContent?.text !== undefined) blockAt(index, 'reasoning').text += d.reasoningContent.text;
      else continue;
      firstContentAt ??= now();
    } else if (event.messageStop !== undefined) {
      stop = event.messageStop.stopReason;
    } else if (event.metadata !== undefined) {
      usage = event.metadata.usage;
    }
  }
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallPart[] = [];
  for (const [, b] of [...blocks.entries()].sort(([a], [c]) => a - c)) {
    if (b.kind === 'text') text += b.text;
    else if (b.kind === 'reasoning') reasoning += b.text;
    else if (b.kind === 'tool')
      toolCalls.push({ type: 'tool_call', id: b.id ?? '', name: b.name ?? '', arguments: parseToolArguments(b.json) });
    else warnings.push('a streamed content block that is neither text nor a tool call is not read.');
  }
  const output: ReadResult['output'] = { text, toolCalls };
  if (reasoning !== '') output.reasoning = reasoning;
  const result = finish({ output, warnings }, stop, usage, modelId, requestId);
  if (firstContentAt !== undefined) result.firstContentAt = firstContentAt;
  return result;
}
