// Gemini generateContent answers (one GenerateContentResponse, or the chunks of
// generateContentStream) -> the neutral result. Wire facts relied on: candidates[0].content.parts
// hold {text} (a {text, thought: true} part is reasoning), {functionCall: {name, args, id?}}; each
// stream chunk carries its own new parts (text in pieces, function calls whole) and repeats
// usageMetadata with the counts so far; finishReason comes with the last chunk. usageMetadata:
// promptTokenCount already includes cachedContentTokenCount; candidatesTokenCount does not include
// thoughtsTokenCount (both are billed as output); toolUsePromptTokenCount is input spent on tools.
// Gemini says STOP after function calls too; modelVersion is the serving model, responseId the id.
import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, Part } from '@google/genai';
import type { ToolCallPart, Usage } from '../../../model/trace';
import { compact, type Clock, type ReadResult } from '../../response-common';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** Gemini's finish reason in the one vocabulary (stop, length, tool_call, content_filter); others
 *  (MALFORMED_FUNCTION_CALL, OTHER, ...) are kept as Gemini spells them. */
export function geminiFinishReason(raw: string | undefined, hasToolCalls: boolean): string | undefined {
  if (raw === undefined || raw === '' || raw === 'FINISH_REASON_UNSPECIFIED') return undefined;
  if (raw === 'STOP') return hasToolCalls ? 'tool_call' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(raw)) return 'content_filter';
  return raw;
}

export function geminiUsage(u: GenerateContentResponseUsageMetadata | undefined): Usage | undefined {
  if (u === undefined) return undefined;
  const thoughts = u.thoughtsTokenCount;
  const candidates = u.candidatesTokenCount;
  const input = u.promptTokenCount === undefined ? undefined : u.promptTokenCount + (u.toolUsePromptTokenCount ?? 0);
  return compact({
    inputTokens: input,
    // Output as billed: the answer plus the thinking tokens (as OpenAI's completion_tokens count them).
    outputTokens: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    totalTokens: u.totalTokenCount,
    cacheReadTokens: u.cachedContentTokenCount,
    reasoningTokens: thoughts,
    inputIncludesCache: true,
  });
}

/** What the parts of one answer (all chunks of a stream) add up to. */
class Collector {
  text = '';
  reasoning = '';
  readonly calls: { id?: string; name: string; args: unknown }[] = [];
  readonly warnings: string[] = [];
  private readonly unread = new Set<string>();

  /** Adds a chunk's parts; true when they held content (text or a function call). */
  add(parts: Part[] | undefined): boolean {
    let content = false;
    for (const part of parts ?? []) {
      if (part.functionCall !== undefined) {
        const call: { id?: string; name: string; args: unknown } = {
          name: part.functionCall.name ?? '',
          args: part.functionCall.args ?? {},
        };
        if (part.functionCall.id !== undefined && part.functionCall.id !== '') call.id = part.functionCall.id;
        this.calls.push(call);
        content = true;
      } else if (typeof part.text === 'string') {
        if (part.thought === true) this.reasoning += part.text;
        else this.text += part.text;
        if (part.text !== '') content = true;
      } else {
        const kind = Object.keys(part).find(
          (k) => k !== 'thoughtSignature' && (part as Record<string, unknown>)[k] !== undefined,
        );
        if (kind !== undefined) this.unread.add(kind);
      }
    }
    return content;
  }

  result(finishRaw: string | undefined): ReadResult {
    const warnings = [...this.warnings];
    for (const kind of this.unread) warnings.push(`a response part of kind ${kind} is not read.`);
    const missing = this.calls.filter((c) => c.id === undefined).length;
    const toolCalls: ToolCallPart[] = this.calls.map((c, i) => ({
      type: 'tool_call',
      id: c.id ?? `${c.name}_${i + 1}`,
      name: c.name,
      arguments: c.args,
    }));
    if (missing > 0) {
      const named = toolCalls
        .filter((_, i) => this.calls[i].id === undefined)
        .map((c) => c.id)
        .join(', ');
      warnings.push(
        `Gemini gave no id for ${missing} tool call${missing > 1 ? 's' : ''}; named ${named} (name_position) to pair the results.`,
      );
    }
    const output: ReadResult['output'] = { text: this.text, toolCalls };
    const finish = geminiFinishReason(finishRaw, toolCalls.length > 0);
    if (finish !== undefined) output.finishReason = finish;
    if (this.reasoning !== '') output.reasoning = this.reasoning;
    return { output, warnings };
  }
}

function finishWarning(raw: string | undefined, message: string | undefined): string | undefined {
  if (raw === undefined || ['STOP', 'MAX_TOKENS', 'FINISH_REASON_UNSPECIFIED'].includes(raw)) return undefined;
  return `Gemini ended the answer with ${raw}${message ? `: ${message.replace(/\.$/, '')}` : ''}.`;
}

function blockWarning(r: GenerateContentResponse): string | undefined {
  const reason = r.promptFeedback?.blockReason;
  if (reason === undefined) return undefined;
  return `Gemini blocked the prompt (${reason}${r.promptFeedback?.blockReasonMessage ? `: ${r.promptFeedback.blockReasonMessage}` : ''}); no answer.`;
}

function finish(
  collector: Collector,
  r: {
    finishRaw?: string;
    finishMessage?: string;
    blocked?: string;
    usage?: GenerateContentResponseUsageMetadata;
    model?: string;
    id?: string;
  },
): ReadResult {
  const extra = finishWarning(r.finishRaw, r.finishMessage);
  if (extra !== undefined) collector.warnings.push(extra);
  if (r.blocked !== undefined) collector.warnings.push(r.blocked);
  const result = collector.result(r.finishRaw);
  if (r.blocked !== undefined && result.output.finishReason === undefined)
    result.output.finishReason = 'content_filter';
  if (r.model !== undefined) result.responseModel = r.model;
  if (r.id !== undefined) result.responseId = r.id;
  const usage = geminiUsage(r.usage);
  if (usage !== undefined) result.usage = usage;
  return result;
}

export function readGeminiResponse(r: GenerateContentResponse): ReadResult {
  const collector = new Collector();
  const candidates = r.candidates ?? [];
  if (candidates.length > 1)
    collector.warnings.push(`Gemini returned ${candidates.length} candidates; only the first is read.`);
  const first = candidates[0];
  collector.add(first?.content?.parts);
  return finish(collector, {
    finishRaw: first?.finishReason,
    finishMessage: first?.finishMessage,
    blocked: blockWarning(r),
    usage: r.usageMetadata,
    model: r.modelVersion,
    id: r.responseId,
  });
}

export async function readGeminiStream(
  stream: AsyncIterable<GenerateContentResponse>,
  now: Clock,
): Promise<ReadResult> {
  const collector = new Collector();
  let firstContentAt: number | undefined;
  let finishRaw: string | undefined;
  let finishMessage: string | undefined;
  let blocked: string | undefined;
  let usage: GenerateContentResponseUsageMetadata | undefined;
  let model: string | undefined;
  let id: string | undefined;
  let otherCandidates = false;
  for await (const chunk of stream) {
    for (const candidate of chunk.candidates ?? []) {
      if ((candidate.index ?? 0) !== 0) {
        otherCandidates = true;
        continue;
      }
      if (collector.add(candidate.content?.parts)) firstContentAt ??= now();
      if (candidate.finishReason !== undefined) finishRaw = candidate.finishReason;
      if (candidate.finishMessage !== undefined) finishMessage = candidate.finishMessage;
    }
    blocked = blockWarning(chunk) ?? blocked;
    // Every chunk repeats the counts so far; the last one has the final counts.
    if (chunk.usageMetadata !== undefined) usage = chunk.usageMetadata;
    model = chunk.modelVersion ?? model;
    id = chunk.responseId ?? id;
  }
  if (otherCandidates) collector.warnings.push('Gemini streamed several candidates; only the first is read.');
  const result = finish(collector, { finishRaw, finishMessage, blocked, usage, model, id });
  if (firstContentAt !== undefined) result.firstContentAt = firstContentAt;
  return result;
}
