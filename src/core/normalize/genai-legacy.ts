// Older GenAI forms still emitted in the wild: OpenLLMetry's flattened gen_ai.prompt.N.* /
// gen_ai.completion.N.* and llm.request.functions.N.*, the deprecated gen_ai.usage.prompt_tokens /
// completion_tokens, and content carried on span events (gen_ai.content.prompt/completion with a
// JSON attribute, or one event per message: gen_ai.user.message, gen_ai.choice, ...). The per-message
// events also come as OTLP log records joined to the span: their body is under `event.body`, as a
// structured value (kvlist -> object) or as text.
import type { AttrValue, Attributes, Message, MessagePart, ModelParameters, SpanEvent, Usage } from '../model/trace';
import {
  collectIndexed,
  inOrder,
  isRecord,
  num,
  parseArguments,
  parseJsonText,
  recStr,
  str,
  strList,
  subIndexed,
  tryParseJson,
  type IndexedGroups,
  type ReadContext,
} from './attribute-readers';
import { anthropicNativeCounts, streamedByAttributes } from './genai-current';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage } from './llm-reading';
import { contentPart, looseMessages, normalizeRole, outputFromMessages, toolDefinition } from './message-parts';
import { normalizeProvider } from './provider-api';

export const GENAI_LEGACY = 'gen_ai_legacy';

const PROMPT = 'gen_ai.prompt.';
const COMPLETION = 'gen_ai.completion.';
const FUNCTIONS = 'llm.request.functions.';
const PREFIXES = [PROMPT, COMPLETION, FUNCTIONS] as const;

const MESSAGE_EVENTS: Record<string, Message['role']> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

export function hasLegacyEvents(events: SpanEvent[]): boolean {
  for (const e of events) {
    if (
      e.name === 'gen_ai.content.prompt' ||
      e.name === 'gen_ai.content.completion' ||
      e.name === 'gen_ai.choice' ||
      MESSAGE_EVENTS[e.name]
    )
      return true;
  }
  return false;
}

/** Reads the legacy forms; undefined when the span has none of them. */
export function readGenAiLegacy(input: SpanInput): LlmReading | undefined {
  const { ctx } = input;
  const a = ctx.attrs;
  const groups = collectIndexed(a, PREFIXES);
  const usage = legacyUsage(input, a);
  const hasAny =
    groups.size > 0 || usage !== undefined || hasLegacyEvents(input.events) || a['llm.request.type'] !== undefined;
  if (!hasAny) return undefined;

  const r: LlmReading = { convention: GENAI_LEGACY };
  const prov = normalizeProvider(str(a, 'gen_ai.system'));
  r.provider = prov.provider;
  if (prov.api) r.api = prov.api;
  r.requestModel = str(a, 'gen_ai.request.model');
  r.responseModel = str(a, 'gen_ai.response.model');
  r.responseId = str(a, 'gen_ai.response.id');
  r.streamed = a['llm.is_streaming'] === true || a['llm.is_streaming'] === 'true' ? true : streamedByAttributes(a);
  r.usage = usage;
  r.parameters = compactParams(legacyParams(a));

  const prompt = inOrder(groups.get(PROMPT)).map((rec) => flatMessage(ctx, rec));
  const completion = inOrder(groups.get(COMPLETION)).map((rec) => flatMessage(ctx, rec, 'assistant'));
  const fromEvents = eventMessages(ctx, input.events);
  const inputMessages = prompt.length ? prompt : fromEvents.input;
  const outputMessages = completion.length ? completion : fromEvents.output;
  if (inputMessages.length) r.messages = inputMessages;
  if (outputMessages.length) {
    const out = outputFromMessages(outputMessages);
    r.outputText = out.text;
    r.outputToolCalls = out.toolCalls;
    r.reasoning = out.reasoning;
  }
  r.finishReason =
    firstFinishReason(groups) ?? fromEvents.finishReason ?? strList(a, 'gen_ai.response.finish_reasons')?.[0];
  const fns = inOrder(groups.get(FUNCTIONS))
    .map((rec) =>
      toolDefinition({
        name: rec['name'],
        description: rec['description'],
        parameters: rec['parameters'],
      }),
    )
    .filter((d) => d !== undefined);
  if (fns.length) r.tools = fns;
  return r;
}

function legacyParams(a: Attributes): ModelParameters {
  return {
    topK: num(a, 'llm.top_k'),
    frequencyPenalty: num(a, 'llm.frequency_penalty'),
    presencePenalty: num(a, 'llm.presence_penalty'),
    stop: strList(a, 'llm.chat.stop_sequences'),
  };
}

function legacyUsage(input: SpanInput, a: Attributes): Usage | undefined {
  const provider = normalizeProvider(str(a, 'gen_ai.system')).provider;
  return compactUsage({
    inputTokens: num(a, 'gen_ai.usage.prompt_tokens'),
    outputTokens: num(a, 'gen_ai.usage.completion_tokens'),
    totalTokens: num(a, 'llm.usage.total_tokens'),
    cacheReadTokens: num(a, 'gen_ai.usage.cache_read_input_tokens'),
    cacheWriteTokens: num(a, 'gen_ai.usage.cache_creation_input_tokens'),
    reasoningTokens: num(a, 'gen_ai.usage.reasoning_tokens'),
    inputIncludesCache: !anthropicNativeCounts(input, provider),
  });
}

function firstFinishReason(groups: IndexedGroups): string | undefined {
  for (const rec of inOrder(groups.get(COMPLETION))) {
    const fr = rec['finish_reason'];
    if (typeof fr === 'string' && fr) return fr;
  }
  return undefined;
}

/** One flattened message: role, content (text or JSON content blocks), tool_calls.M.*, tool_call_id. */
function flatMessage(ctx: ReadContext, rec: Record<string, AttrValue>, defaultRole = 'user'): Message {
  const role = normalizeRole(typeof rec['role'] === 'string' ? rec['role'] : defaultRole);
  const parts: MessagePart[] = [];
  const content = rec['content'];
  const toolCallId = typeof rec['tool_call_id'] === 'string' ? rec['tool_call_id'] : undefined;
  if (role === 'tool' || toolCallId) {
    parts.push({
      type: 'tool_result',
      toolCallId,
      content: typeof content === 'string' ? content : JSON.stringify(content ?? ''),
    });
  } else if (typeof content === 'string') {
    parts.push(...contentText(content));
  }
  for (const tc of inOrder(subIndexed(rec, 'tool_calls.'))) {
    const id = typeof tc['id'] === 'string' ? tc['id'] : undefined;
    parts.push({
      type: 'tool_call',
      ...(id ? { id } : {}),
      name: String(tc['name'] ?? ''),
      arguments: parseArguments(tc['arguments']),
    });
  }
  if (typeof rec['function_call.name'] === 'string') {
    parts.push({
      type: 'tool_call',
      name: rec['function_call.name'],
      arguments: parseArguments(rec['function_call.arguments']),
    });
  }
  return { role, parts };
}

/** OpenLLMetry stores array content as its JSON text; plain strings are text. */
function contentText(content: string): MessagePart[] {
  if (content.startsWith('[{')) {
    const parsed = tryParseJson(content);
    if (parsed.ok && Array.isArray(parsed.value)) return parsed.value.map(contentPart);
  }
  return content === '' ? [] : [{ type: 'text', text: content }];
}

interface EventReading {
  input: Message[];
  output: Message[];
  finishReason?: string;
}

function eventMessages(ctx: ReadContext, events: SpanEvent[]): EventReading {
  const res: EventReading = { input: [], output: [] };
  let messageEvents = 0;
  let withContent = 0;
  const bodyOf = (e: SpanEvent): Record<string, unknown> => {
    const body = eventBody(ctx, e);
    messageEvents++;
    if (hasRecordedContent(body)) withContent++;
    // The placeholder is no text the app sent (nor one the model answered).
    if (body.content === ELIDED) {
      const { content, ...rest } = body; // eslint-disable-line @typescript-eslint/no-unused-vars
      return rest;
    }
    return body;
  };
  for (const e of events) {
    if (e.name === 'gen_ai.content.prompt') {
      const v = eventJson(ctx, e, 'gen_ai.prompt');
      if (v !== undefined) res.input.push(...looseMessages(v));
    } else if (e.name === 'gen_ai.content.completion') {
      const v = eventJson(ctx, e, 'gen_ai.completion');
      if (v !== undefined)
        res.output.push(...looseMessages(unwrapChoices(v)).map((m) => ({ ...m, role: 'assistant' as const })));
    } else if (MESSAGE_EVENTS[e.name]) {
      const body = bodyOf(e);
      const gemini = geminiContent(body);
      // The OTel google-genai instrumentation sends every input turn, the model's too, as
      // gen_ai.user.message with the SDK's Content ({role, parts}) as the content.
      const msg =
        gemini !== undefined
          ? looseMessages([{ role: gemini.role ?? MESSAGE_EVENTS[e.name], parts: gemini.parts }])
          : looseMessages([
              {
                ...body,
                role: body.role ?? MESSAGE_EVENTS[e.name],
                tool_call_id: body.tool_call_id ?? (e.name === 'gen_ai.tool.message' ? body.id : undefined),
              },
            ]);
      res.input.push(...msg);
    } else if (e.name === 'gen_ai.choice') {
      const body = bodyOf(e);
      const gemini = geminiContent(body);
      const message = isRecord(body.message) ? body.message : gemini !== undefined ? { parts: gemini.parts } : body;
      res.output.push(
        ...looseMessages([{ ...message, role: 'assistant', tool_calls: message.tool_calls ?? body.tool_calls }]),
      );
      res.finishReason ??= recStr(body, 'finish_reason');
    }
  }
  if (messageEvents > 0 && withContent === 0) {
    // Only roles (and ids) were recorded: a conversation of empty messages is no input to send
    // again, so none is kept (the replay engine then refuses the span, naming the same switch).
    res.input = [];
    ctx.warnings.push(
      `the ${messageEvents} gen_ai message/choice event(s) of this span carry no message content (the instrumentation ` +
        'recorded them with content capture off): set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true in the traced app ' +
        'to record prompts and answers',
    );
  }
  return res;
}

/** A Gemini Content ({role?, parts: [...]}) carried as the event's content, if that is what it is. */
function geminiContent(body: Record<string, unknown>): { role?: string; parts: unknown[] } | undefined {
  const c = body.content;
  if (!isRecord(c) || !Array.isArray(c.parts)) return undefined;
  return typeof c.role === 'string' ? { role: c.role, parts: c.parts } : { parts: c.parts };
}

/** What the OTel google-genai instrumentation writes in place of content when capture is off. */
const ELIDED = '<elided>';

/** True when a message event body holds content or tool-call arguments (not just roles and ids). */
function hasRecordedContent(body: Record<string, unknown>): boolean {
  const message = isRecord(body.message) ? body.message : body;
  if (message.content !== undefined && message.content !== null && message.content !== ELIDED) return true;
  const calls = message.tool_calls ?? body.tool_calls;
  return (
    Array.isArray(calls) && calls.some((c) => isRecord(c) && isRecord(c.function) && c.function.arguments !== undefined)
  );
}

function unwrapChoices(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((c) => (isRecord(c) && isRecord(c.message) ? c.message : c));
}

function eventJson(ctx: ReadContext, e: SpanEvent, key: string): unknown {
  const v = e.attributes[key];
  if (typeof v !== 'string') return v ?? undefined;
  return parseJsonText(ctx, `event ${e.name} ${key}`, v);
}

/** The event body: either a JSON attribute (`gen_ai.event.content`) or the attributes themselves,
 *  with JSON-text fields (content lists, tool_calls, message) parsed. */
function eventBody(ctx: ReadContext, e: SpanEvent): Record<string, unknown> {
  const logBody = e.attributes['event.body'];
  // A log record whose body is plain text: the text is the message content.
  if (e.attributes['gen_ai.event.content'] === undefined && typeof logBody === 'string' && !/^\s*[[{]/.test(logBody)) {
    return { content: logBody };
  }
  const packed = e.attributes['gen_ai.event.content'] ?? logBody;
  if (typeof packed === 'string') {
    const v = parseJsonText(ctx, `event ${e.name} content`, packed);
    if (isRecord(v)) return v;
  } else if (isRecord(packed)) {
    return packed;
  }
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.attributes)) {
    if (typeof v === 'string' && (k === 'tool_calls' || k === 'message' || (k === 'content' && v.startsWith('[{')))) {
      const parsed = tryParseJson(v);
      body[k] = parsed.ok ? parsed.value : v;
    } else {
      body[k] = v;
    }
  }
  return body;
}
