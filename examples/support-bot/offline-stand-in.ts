// OFFLINE STAND-IN for the OpenAI API, used by `npm run demo` when no OPENAI_API_KEY is set, so the
// sample app runs with no key and no network. It is not a model: it is this repository's test fake
// (test/support/fake-llm, an OpenAI-compatible loopback server) answering each of the bot's requests
// with a fixed reply. Your own app does not need this file.
//
//   npx tsx examples/support-bot/offline-stand-in.ts   ->  prints `READY <base URL>`, serves until
//   stdin closes or the process is signalled. Point the app at it with OPENAI_BASE_URL=<base URL>.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { startFakeLlmServer, type FakeReply, type RecordedRequest } from '../../test/support/fake-llm/fake-llm-server';

interface ChatMessage {
  role?: string;
  content?: unknown;
}

/** Fixed answers, chosen by the last user message of the request. */
const CANNED: { when: RegExp; text: string }[] = [
  {
    when: /reset my password/i,
    text: 'Open Settings > Security in the Acme Cloud dashboard, choose "Reset password" and follow the link we email you; the link is valid for 30 minutes.',
  },
  {
    when: /^Summarize this customer email/,
    text: 'The customer was charged twice (49 EUR each) for the March invoice INV-3301 and wants one charge refunded.',
  },
  {
    when: /^Write a short, polite reply/,
    text: 'Hi Dana, sorry about the double charge on invoice INV-3301. We have refunded the duplicate 49 EUR payment; it will show on your statement within 5 business days.',
  },
];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content)
    ? content
        .map((p) => (typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
        .join('')
    : '';
}

/** The agent: ask for lookup_order first; once the tool result is in the conversation, answer from it. */
function agentReply(messages: ChatMessage[], userText: string): FakeReply {
  const toolResult = messages.filter((m) => m.role === 'tool').pop();
  if (toolResult === undefined) {
    const orderId = /\b[A-Z]-\d+\b/.exec(userText)?.[0] ?? 'A-1042';
    return { toolCalls: [{ name: 'lookup_order', arguments: { order_id: orderId } }] };
  }
  const order = JSON.parse(textOf(toolResult.content)) as {
    order_id: string;
    status: string;
    carrier?: string;
    eta?: string;
  };
  return {
    text:
      order.status === 'shipped'
        ? `Your order ${order.order_id} has shipped with ${order.carrier} and should arrive by ${order.eta}.`
        : `Your order ${order.order_id} is ${order.status}; we will email you as soon as it ships.`,
  };
}

function answer(messages: ChatMessage[], tools: boolean): FakeReply {
  const userText = textOf(messages.filter((m) => m.role === 'user').pop()?.content);
  if (tools) return agentReply(messages, userText);
  const canned = CANNED.find((c) => c.when.test(userText));
  return { text: canned?.text ?? '(offline stand-in) There is no canned answer for this question.' };
}

/** Usage counted in o200k tokens, as the replay side's offline:echo counts them, so the demo's token
 *  deltas compare like with like. */
function standInReply(request: RecordedRequest): FakeReply {
  const messages = (Array.isArray(request.body?.messages) ? request.body.messages : []) as ChatMessage[];
  const reply = answer(messages, Array.isArray(request.body?.tools) && request.body.tools.length > 0);
  const output = (reply.text ?? '') + (reply.toolCalls ?? []).map((c) => c.name + JSON.stringify(c.arguments)).join('');
  const input = messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
  return { ...reply, usage: { input: Math.max(1, input), output: Math.max(1, countTokens(output)) } };
}

async function main(): Promise<void> {
  const server = await startFakeLlmServer({ responder: standInReply });
  process.stdout.write(`READY ${server.openaiBaseUrl}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
