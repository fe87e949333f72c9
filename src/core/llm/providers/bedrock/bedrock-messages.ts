// The conversation of a Converse request: LlmCall messages -> user/assistant turns of content blocks
// ({text}, {image}, {toolUse}, {toolResult}). Tool results travel in the user turn right after the
// toolUse they answer, consecutive same-role turns are merged (Converse alternates roles), tool ids
// outside Bedrock's alphabet are rewritten the same way everywhere, and without a toolConfig the tool
// blocks are sent as text (each loss is a warning). The rest of the body is bedrock-request.ts.
import type { Message, MessagePart } from '../../../model/trace';
import { argumentsObject, keepOtherPart, type BuildContext, type Json } from '../../request-common';
const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
/** Bedrock's toolUseId: 1-64 of [a-zA-Z0-9_-]. */
const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

interface Turn {
  role: 'user' | 'assistant';
  blocks: Json[];
}

class ToolIds {
  private readonly map = new Map<string, string>();
  constructor(private readonly warnings: string[]) {}
  /** The id as Converse accepts it; a recorded id outside [a-zA-Z0-9_-]{1,64} is rewritten the same way everywhere. */
  get(id: string): string {
    // An unanswerable result keeps no id (pairToolCalls reported it); it is sent as text below.
    if (id === '' || TOOL_USE_ID.test(id)) return id;
    let safe = this.map.get(id);
    if (safe === undefined) {
      safe = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || `tool_${this.map.size + 1}`;
      this.map.set(id, safe);
      this.warnings.push(
        `tool call id "${id}" is not a valid Bedrock toolUseId ([a-zA-Z0-9_-], at most 64); sent as "${safe}".`,
      );
    }
    return safe;
  }
}

function imageBlock(ctx: BuildContext, p: Extract<MessagePart, { type: 'image' }>, where: string): Json | undefined {
  let data = p.data;
  let mediaType = p.mediaType;
  const dataUrl = p.url !== undefined ? /^data:([^;,]+);base64,(.*)$/s.exec(p.url) : null;
  if (data === undefined && dataUrl) {
    mediaType = dataUrl[1];
    data = dataUrl[2];
  }
  const format = IMAGE_FORMATS[(mediaType ?? 'image/png').toLowerCase()];
  if (format === undefined) {
    ctx.warnings.push(`${where}: an image of type ${mediaType} was dropped (Converse takes png, jpeg, gif, webp).`);
    return undefined;
  }
  if (data !== undefined) return { image: { format, source: { bytes: data } } };
  if (p.url !== undefined && p.url.startsWith('s3://'))
    return { image: { format, source: { s3Location: { uri: p.url } } } };
  ctx.warnings.push(
    `${where}: an image given by URL (${(p.url ?? '').slice(0, 80)}) was dropped: Converse takes image bytes or an s3:// location, not a web URL; record the image inline to replay it on Bedrock.`,
  );
  return undefined;
}

function blocksOf(ctx: BuildContext, m: Message, where: string, ids: ToolIds): Json[] {
  const out: Json[] = [];
  const assistant = m.role === 'assistant';
  for (const p of m.parts) {
    switch (p.type) {
      case 'text':
        // Converse refuses blank text blocks.
        if (p.text.trim() !== '') out.push({ text: p.text });
        else if (p.text !== '')
          ctx.warnings.push(`${where}: a whitespace-only text part was dropped (Converse refuses blank text).`);
        break;
      case 'tool_call':
        if (assistant)
          out.push({
            toolUse: {
              toolUseId: ids.get(p.id ?? ''),
              name: p.name,
              input: argumentsObject(p.arguments, `${where} tool call ${p.name}`, ctx.warnings),
            },
          });
        else ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
        break;
      case 'tool_result': {
        if (assistant) {
          ctx.warnings.push(`${where}: a tool result inside an assistant turn was dropped.`);
          break;
        }
        const block: Json = { toolUseId: ids.get(p.toolCallId ?? ''), content: [{ text: p.content }] };
        if (p.isError) block.status = 'error';
        out.push({ toolResult: block });
        break;
      }
      case 'image': {
        if (assistant) {
          ctx.warnings.push(`${where}: an image in an assistant turn was dropped.`);
          break;
        }
        const block = imageBlock(ctx, p, where);
        if (block !== undefined) out.push(block);
        break;
      }
      case 'reasoning':
        ctx.warnings.push(
          `${where}: reasoning text cannot be sent back as a reasoningContent block without its signature; dropped.`,
        );
        break;
      case 'other':
        keepOtherPart(ctx, p.value, out, where, 'Converse');
        break;
    }
  }
  return out;
}

function toolUseText(b: Json): Json {
  const u = b.toolUse as Json;
  return { text: `Tool call ${String(u.name)} (${String(u.toolUseId)}): ${JSON.stringify(u.input)}` };
}

function toolResultText(b: Json): Json {
  const r = b.toolResult as Json;
  const text = (r.content as Json[]).map((c) => String(c.text)).join('');
  const id = r.toolUseId !== '' ? ` (${String(r.toolUseId)})` : '';
  return { text: `Tool result${id}${r.status === 'error' ? ' [error]' : ''}: ${text}` };
}

/** Tool results answering a toolUse that is not in the assistant turn right before cannot be sent as
 *  toolResult (Bedrock refuses them): they become text. Results go first in their turn. */
function checkPairing(ctx: BuildContext, turns: Turn[]): void {
  turns.forEach((turn, i) => {
    if (turn.role !== 'user') return;
    const prev = i > 0 && turns[i - 1].role === 'assistant' ? turns[i - 1] : undefined;
    const ids = new Set(
      (prev?.blocks ?? []).filter((b) => b.toolUse !== undefined).map((b) => (b.toolUse as Json).toolUseId),
    );
    turn.blocks = turn.blocks.map((b) => {
      if (b.toolResult === undefined || ids.has((b.toolResult as Json).toolUseId)) return b;
      const id = (b.toolResult as Json).toolUseId;
      ctx.warnings.push(
        id !== ''
          ? `tool result ${String(id)} does not follow its tool call; sent as text.`
          : 'a tool result without a call id was sent as text.',
      );
      return toolResultText(b);
    });
    const results = turn.blocks.filter((b) => b.toolResult !== undefined);
    const others = turn.blocks.filter((b) => b.toolResult === undefined);
    const reordered = [...results, ...others];
    if (reordered.some((b, k) => b !== turn.blocks[k])) {
      ctx.warnings.push(`message turn ${i}: tool results were moved before the other content of the turn.`);
      turn.blocks = reordered;
    }
  });
}

/** Converse requires toolConfig whenever a message holds toolUse/toolResult blocks; without tools
 *  they are sent as text. */
function toolBlocksAsText(ctx: BuildContext, turns: Turn[], why: string): void {
  let changed = false;
  for (const turn of turns) {
    turn.blocks = turn.blocks.map((b) => {
      if (b.toolUse !== undefined) {
        changed = true;
        return toolUseText(b);
      }
      if (b.toolResult !== undefined) {
        changed = true;
        return toolResultText(b);
      }
      return b;
    });
  }
  if (changed)
    ctx.warnings.push(
      `the conversation's tool calls and results were sent as text: ${why}, and Converse refuses toolUse/toolResult blocks without a toolConfig.`,
    );
}

export function bedrockMessages(
  ctx: BuildContext,
  messages: Message[],
  toolsSent: boolean,
  noToolsReason = '',
): Json[] {
  const ids = new ToolIds(ctx.warnings);
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined)
      ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in Converse; dropped.`);
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(ctx, m, where, ids);
    if (blocks.length === 0) {
      ctx.warnings.push(`${where}: empty message dropped (Converse refuses empty content).`);
      return;
    }
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  });
  if (!toolsSent) toolBlocksAsText(ctx, turns, noToolsReason);
  else checkPairing(ctx, turns);
  if (turns.length > 0 && turns[0].role !== 'user') {
    ctx.warnings.push(
      'the conversation starts with an assistant turn; Converse expects a user message first and may refuse the request.',
    );
  }
  return turns.map((t) => ({ role: t.role, content: t.blocks }));
}
