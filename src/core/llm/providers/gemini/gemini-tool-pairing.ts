// Tool calls and their results in a Gemini conversation. Gemini pairs a functionResponse with its
// functionCall by function NAME (and id when there is one), and a function-response turn must follow
// the model turn with the calls, one response per call (ai.google.dev/api/generate-content). Which
// call ids were recorded (and so are sent) and what each call is named; warnings of pairToolCalls
// restated for Gemini; turns that break the rule sent as text, with a warning.
import type { Message } from '../../../model/trace';
import type { BuildContext, Json } from '../../request-common';

/** One Content of the request as it is built. */
export interface Turn {
  role: 'user' | 'model';
  parts: Json[];
}

export interface Pairing {
  /** Tool name per call id (recorded or given by pairToolCalls). */
  names: Map<string, string>;
  /** Call ids that were recorded (sent as functionCall.id / functionResponse.id); ids invented by
   *  pairToolCalls are only for pairing here. */
  recorded: Set<string>;
}

export function pairingOf(ctx: BuildContext, messages: Message[]): Pairing {
  const names = new Map<string, string>();
  for (const m of messages)
    for (const p of m.parts) if (p.type === 'tool_call' && p.id !== undefined) names.set(p.id, p.name);
  const recorded = new Set<string>();
  for (const m of ctx.call.messages)
    for (const p of m.parts) if (p.type === 'tool_call' && p.id !== undefined && p.id !== '') recorded.add(p.id);
  return { names, recorded };
}

/** pairToolCalls names the ids it invents for calls recorded without one; Gemini is sent no id for
 *  them (it pairs results by function name), so those warnings are restated without the id. */
export function restatePairingWarnings(ctx: BuildContext, pairing: Pairing): void {
  for (const [i, w] of ctx.warnings.entries()) {
    const call = /^(message \d+): tool call (.+) had no recorded id; sent as (\S+)\.$/.exec(w);
    if (call !== null && !pairing.recorded.has(call[3])) {
      ctx.warnings[i] =
        `${call[1]}: tool call ${call[2]} had no recorded id; sent without one (Gemini pairs results by function name).`;
      continue;
    }
    const result = /^(message \d+): a tool result had no recorded call id; paired with (\S+) in order\.$/.exec(w);
    const name = result !== null ? pairing.names.get(result[2]) : undefined;
    if (result !== null && name !== undefined && !pairing.recorded.has(result[2])) {
      ctx.warnings[i] =
        `${result[1]}: a tool result had no recorded call id; paired in order with the call of ${name}.`;
    }
  }
}

const nameOf = (part: Json, key: 'functionCall' | 'functionResponse'): string => String((part[key] as Json).name);
const idOf = (part: Json, key: 'functionCall' | 'functionResponse'): unknown => (part[key] as Json).id;

/** A function-response turn must follow the model turn with those calls, one response per call. */
export function checkPairing(ctx: BuildContext, turns: Turn[]): void {
  turns.forEach((turn, i) => {
    const prev = i > 0 && turns[i - 1].role === 'model' ? turns[i - 1] : undefined;
    const calls = (prev?.parts ?? []).filter((p) => p.functionCall !== undefined);
    if (turn.role === 'user') {
      const open = [...calls];
      turn.parts = turn.parts.map((part) => {
        if (part.functionResponse === undefined) return part;
        const name = nameOf(part, 'functionResponse');
        const id = idOf(part, 'functionResponse');
        const at = open.findIndex(
          (c) => nameOf(c, 'functionCall') === name && (id === undefined || idOf(c, 'functionCall') === id),
        );
        if (at >= 0) {
          open.splice(at, 1);
          return part;
        }
        ctx.warnings.push(`message turn ${i}: the result of ${name} does not follow its tool call; sent as text.`);
        return { text: `Tool result (${name}): ${JSON.stringify((part.functionResponse as Json).response)}` };
      });
      const responses = turn.parts.filter((p) => p.functionResponse !== undefined);
      const others = turn.parts.filter((p) => p.functionResponse === undefined);
      const reordered = [...responses, ...others];
      if (reordered.some((p, k) => p !== turn.parts[k])) {
        ctx.warnings.push(`message turn ${i}: tool results were moved before the other content of the turn.`);
        turn.parts = reordered;
      }
      if (prev !== undefined && open.length > 0) {
        ctx.warnings.push(
          `message turn ${i - 1}: tool call${open.length > 1 ? 's' : ''} ${open.map((c) => nameOf(c, 'functionCall')).join(', ')} ha${open.length > 1 ? 've' : 's'} no result in the next turn; Gemini may refuse the request.`,
        );
      }
    }
  });
  const last = turns[turns.length - 1];
  if (last?.role === 'model' && last.parts.some((p) => p.functionCall !== undefined)) {
    ctx.warnings.push(
      `message turn ${turns.length - 1}: the conversation ends with tool calls that have no results; Gemini may refuse the request.`,
    );
  }
}
