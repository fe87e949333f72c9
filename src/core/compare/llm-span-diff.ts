// What changed in one LLM call: the request (model, parameters, messages actually sent, tools) and
// the answer (text, JSON-aware for structured output, tool calls with their arguments).
import { parameterName } from '../model/parameter-names';
import type { LlmCall, Message, MessagePart, ModelParameters } from '../model/trace';
import type { LlmInputDiff, LlmOutputDiff, ToolCallDiff, ValueChange } from './comparison-types';
import { argumentsDiff, outputDiff, wordDiff } from './text-diff';
import { normalizeFinishReason } from '../llm/response-common';

function modelName(call: LlmCall): string | undefined {
  if (!call.requestModel && !call.provider) return undefined;
  return call.provider ? `${call.provider}:${call.requestModel ?? '?'}` : call.requestModel;
}

function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
          )
        : v,
    ) ?? 'undefined'
  );
}

export { parameterName };

/** The parameters as the user writes them (`max_tokens`, `top_p`; extras as `extra.<name>`). */
export function flatParameters(p: ModelParameters): Record<string, unknown> {
  const { extra, ...typed } = p;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(typed)) out[parameterName(k)] = v;
  for (const [k, v] of Object.entries(extra ?? {})) out[`extra.${k}`] = v;
  return out;
}

export function parameterChanges(a: LlmCall, b: LlmCall): ValueChange[] {
  const pa: Record<string, unknown> = {
    ...flatParameters(a.parameters),
    tool_choice: a.toolChoice,
    response_format: a.responseFormat,
  };
  const pb: Record<string, unknown> = {
    ...flatParameters(b.parameters),
    tool_choice: b.toolChoice,
    response_format: b.responseFormat,
  };
  const names = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort();
  return names.filter((n) => !same(pa[n], pb[n])).map((name) => ({ name, original: pa[name], replay: pb[name] }));
}

function partText(part: MessagePart): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'reasoning':
      return `(reasoning) ${part.text}`;
    case 'tool_call':
      return `(tool call ${part.name}) ${typeof part.arguments === 'string' ? part.arguments : stable(part.arguments)}`;
    case 'tool_result':
      return `(tool result${part.isError ? ', error' : ''}) ${part.content}`;
    case 'image':
      return `(image${part.mediaType ? ` ${part.mediaType}` : ''}${part.url && !part.url.startsWith('data:') ? ` ${part.url}` : ''})`;
    case 'other':
      return `(other) ${stable(part.value)}`;
  }
}

/** The conversation as one text: a "[role]" header per message, then its parts. */
export function transcript(messages: Message[]): string {
  return messages
    .map((m) => `[${m.role}${m.name ? ` ${m.name}` : ''}]\n${m.parts.map(partText).join('\n')}`)
    .join('\n\n');
}

export function inputDiff(original: LlmCall, replay: LlmCall): LlmInputDiff {
  const mo = modelName(original);
  const mr = modelName(replay);
  const model = { original: mo, replay: mr, changed: mo !== mr };
  const parameters = parameterChanges(original, replay);
  const messages = wordDiff(transcript(original.messages), transcript(replay.messages));
  const toolsChanged = !same(original.tools ?? [], replay.tools ?? []);
  return {
    changed: model.changed || parameters.length > 0 || messages.changed || toolsChanged,
    model,
    parameters,
    messages,
    toolsChanged,
  };
}

export function outputDiffOf(original: LlmCall, replay: LlmCall): LlmOutputDiff {
  const text = outputDiff(original.output.text, replay.output.text);
  const toolCalls: ToolCallDiff[] = [];
  const a = original.output.toolCalls;
  const b = replay.output.toolCalls;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const args = argumentsDiff(a[i]?.arguments, b[i]?.arguments);
    const d: ToolCallDiff = { index: i, nameChanged: a[i]?.name !== b[i]?.name, arguments: args };
    if (a[i]) d.originalName = a[i].name;
    if (b[i]) d.replayName = b[i].name;
    toolCalls.push(d);
  }
  // Compared in one vocabulary: a recording keeps the provider's word (tool_calls, end_turn), a replay
  // the normalized one (tool_call, stop), and the same reason must not show as a change.
  const fo = normalizeFinishReason(original.output.finishReason);
  const fr = normalizeFinishReason(replay.output.finishReason);
  const finishReason = { original: fo, replay: fr, changed: fo !== fr };
  // Finish reasons are provider vocabulary (stop / end_turn): reported, but not a change of content.
  const changed = text.changed || toolCalls.some((t) => t.nameChanged || t.arguments.changed);
  return { changed, text, toolCalls, finishReason };
}
