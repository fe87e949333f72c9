// The conversation of a Gemini request: messages -> contents (turns of parts) and the system
// instruction. Wire facts relied on (ai.google.dev/api/generate-content):
//   Content = { role: 'user' | 'model', parts: Part[] }; Part = {text} | {inlineData: {mimeType, data}}
//     | {fileData: {mimeType, fileUri}} | {functionCall: {id?, name, args}} | {functionResponse: {id?, name, response}}
//   functionResponse.response is a JSON object: "output" holds the result, "error" the error.
//   Gemini 3 models refuse a replayed functionCall without its thoughtSignature unless it carries the
//   documented placeholder "skip_thought_signature_validator" (ai.google.dev/gemini-api/docs/thought-signatures).
// How calls and results are paired: gemini-tool-pairing.ts.
import type { Message, MessagePart } from '../../../model/trace';
import { argumentsObject, type BuildContext, type Json, keepOtherPart } from '../../request-common';
import { checkPairing, type Pairing, type Turn } from './gemini-tool-pairing';

/** Gemini's documented placeholder for a replayed functionCall whose thought signature is unknown. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

function imagePart(ctx: BuildContext, p: Extract<MessagePart, { type: 'image' }>, where: string): Json | undefined {
  if (p.data) return { inlineData: { mimeType: p.mediaType ?? 'image/png', data: p.data } };
  if (p.url === undefined) return undefined;
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(p.url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  let mimeType = p.mediaType;
  if (mimeType === undefined) {
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(p.url)?.[1]?.toLowerCase();
    mimeType = ext !== undefined ? EXTENSION_TYPES[ext] : undefined;
    if (mimeType === undefined) {
      mimeType = 'image/jpeg';
      ctx.warnings.push(
        `${where}: the image URL has no recorded media type; sent as image/jpeg (Gemini's fileData needs one).`,
      );
    }
  }
  if (!p.url.startsWith('https://')) {
    ctx.warnings.push(
      `${where}: Gemini fetches only https:// file URLs (and Files API URIs); ${p.url.slice(0, 60)} may be refused.`,
    );
  } else if (/(^|\/)gemini-(1\.|2\.0)/.test(ctx.model)) {
    ctx.warnings.push(
      `${where}: ${ctx.model} does not fetch external image URLs (Gemini 2.5 and later do); the request may be refused.`,
    );
  }
  return { fileData: { mimeType, fileUri: p.url } };
}

/** A tool result as the JSON object functionResponse.response needs: a recorded JSON object as it
 *  is, anything else under "output" ("error" for a failed call), as the API documents. */
function functionResponseValue(content: string, isError: boolean | undefined): Json {
  let value: unknown = content;
  try {
    value = JSON.parse(content) as unknown;
  } catch {
    // plain text
  }
  if (isError === true) return { error: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  return { output: value };
}

function partsOf(ctx: BuildContext, m: Message, where: string, pairing: Pairing): Json[] {
  const out: Json[] = [];
  const model = m.role === 'assistant';
  for (const p of m.parts) {
    switch (p.type) {
      case 'text':
        // The API refuses empty text parts.
        if (p.text !== '') out.push({ text: p.text });
        break;
      case 'image': {
        const part = imagePart(ctx, p, where);
        if (part !== undefined) out.push(part);
        else ctx.warnings.push(`${where}: an image part without URL or data was dropped.`);
        break;
      }
      case 'tool_call': {
        if (!model) {
          ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
          break;
        }
        const call: Json = {};
        if (p.id !== undefined && pairing.recorded.has(p.id)) call.id = p.id;
        call.name = p.name;
        call.args = argumentsObject(p.arguments, `${where} tool call ${p.name}`, ctx.warnings);
        out.push({ functionCall: call });
        break;
      }
      case 'tool_result': {
        if (model) {
          ctx.warnings.push(`${where}: a tool result inside an assistant turn was dropped.`);
          break;
        }
        const id = p.toolCallId;
        const name = id !== undefined ? pairing.names.get(id) : undefined;
        if (name === undefined) {
          // Gemini pairs a response with its call by function name; without the call there is none.
          ctx.warnings.push(
            `${where}: tool result ${id ?? '(no id)'} answers no tool call in the conversation, so Gemini has no function name for it; sent as text.`,
          );
          out.push({ text: `Tool result (${id ?? 'unknown call'}): ${p.content}` });
          break;
        }
        const response: Json = {};
        if (id !== undefined && pairing.recorded.has(id)) response.id = id;
        response.name = name;
        response.response = functionResponseValue(p.content, p.isError);
        out.push({ functionResponse: response });
        break;
      }
      case 'reasoning':
        ctx.warnings.push(
          `${where}: reasoning text cannot be sent back to Gemini as a thought without its signature; dropped.`,
        );
        break;
      case 'other':
        keepOtherPart(ctx, p.value, out, where, 'the Gemini API');
        break;
    }
  }
  return out;
}

/** Gemini 3 checks the thought signature of the first function call of each model step; calls
 *  recorded elsewhere (or read back without their signature) get the documented placeholder. */
function addThoughtSignatures(ctx: BuildContext, turns: Turn[]): void {
  if (!/(^|\/)gemini-3/.test(ctx.model)) return;
  let added = 0;
  for (const turn of turns) {
    if (turn.role !== 'model') continue;
    const first = turn.parts.find((p) => p.functionCall !== undefined);
    if (first !== undefined && first.thoughtSignature === undefined) {
      first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
      added++;
    }
  }
  if (added > 0) {
    ctx.warnings.push(
      `${added} replayed tool-call turn${added > 1 ? 's' : ''} had no Gemini thought signature; sent with "${SKIP_THOUGHT_SIGNATURE}" as Gemini 3 requires (the model does not see its earlier reasoning).`,
    );
  }
}

export function geminiContents(ctx: BuildContext, messages: Message[], pairing: Pairing): Json[] {
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined)
      ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in the Gemini API; dropped.`);
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts = partsOf(ctx, m, where, pairing);
    if (parts.length === 0) {
      ctx.warnings.push(`${where}: empty message dropped (Gemini refuses empty content).`);
      return;
    }
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.parts.push(...parts);
    else turns.push({ role, parts });
  });
  checkPairing(ctx, turns);
  addThoughtSignatures(ctx, turns);
  return turns.map((t) => ({ role: t.role, parts: t.parts }));
}

/** The system messages as systemInstruction parts (text only); system messages later in the
 *  conversation join them, with a warning. */
export function systemInstruction(
  ctx: BuildContext,
  system: Message[],
  rest: Message[],
): { parts: Json[]; rest: Message[] } {
  const parts: Json[] = [];
  for (const m of system) {
    for (const p of m.parts) {
      if (p.type === 'text') {
        if (p.text !== '') parts.push({ text: p.text });
      } else
        ctx.warnings.push(
          `a non-text system part (${p.type}) was dropped: Gemini's systemInstruction takes text only.`,
        );
    }
  }
  const kept: Message[] = [];
  rest.forEach((m, i) => {
    if (m.role !== 'system') {
      kept.push(m);
      return;
    }
    ctx.warnings.push(
      `a system message in the middle of the conversation (message ${system.length + i}) was moved to the system instruction.`,
    );
    for (const p of m.parts) if (p.type === 'text' && p.text !== '') parts.push({ text: p.text });
  });
  return { parts, rest: kept };
}
