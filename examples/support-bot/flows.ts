// The three things the support bot does, each one trace:
//   support-chat          one model call whose prompt comes from prompts/support-reply.txt
//   ticket-summary-chain  two model calls, the second built from the first one's answer
//   order-status-agent    a model that calls the lookup_order tool, then answers with its result
// traceChain / traceAgent (from OpenInference) open the root span of each trace; the instrumented
// OpenAI SDK adds one LLM span per model call under it.
import path from 'node:path';
import { setAttributes, setPromptTemplate, traceAgent, traceChain } from '@arizeai/openinference-core';
import { context } from '@opentelemetry/api';
import type OpenAI from 'openai';
import { LOOKUP_ORDER_TOOL, lookupOrder } from './order-tool';
import { loadPromptFile, renderPrompt } from './prompt-file';

export const PROMPTS_DIR = path.join(__dirname, 'prompts');

const SYSTEM = 'You are the support assistant of Acme Cloud, a web hosting company. Be accurate and brief.';

/** The agent gives up after this many model calls, so a model that keeps asking for tools cannot loop forever. */
const MAX_AGENT_TURNS = 4;

export interface SupportFlows {
  chat(question: string): Promise<string>;
  chain(customerEmail: string): Promise<string>;
  agent(request: string): Promise<string>;
}

export function supportFlows(client: OpenAI, model: string): SupportFlows {
  async function complete(
    params: Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'model'>,
  ): Promise<OpenAI.Chat.Completions.ChatCompletionMessage> {
    const response = await client.chat.completions.create({ model, ...params });
    return response.choices[0].message;
  }

  async function chat(question: string): Promise<string> {
    const prompt = await loadPromptFile(path.join(PROMPTS_DIR, 'support-reply.txt'));
    const variables = { product: 'Acme Cloud', question };
    // The template, its variables and version go on the LLM span (llm.prompt_template.*), its name
    // as prompt.id: that link is how Trace Replay knows which calls a new version of the file replaces.
    const linked = setAttributes(
      setPromptTemplate(context.active(), { template: prompt.template, variables, version: prompt.version }),
      { 'prompt.id': prompt.name },
    );
    const message = await context.with(linked, () =>
      complete({
        temperature: 0.3,
        max_tokens: 200,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: renderPrompt(prompt.template, variables) },
        ],
      }),
    );
    return message.content ?? '';
  }

  async function chain(customerEmail: string): Promise<string> {
    const summary = await complete({
      temperature: 0,
      max_tokens: 80,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Summarize this customer email in one sentence:\n\n${customerEmail}` },
      ],
    });
    const reply = await complete({
      temperature: 0.7,
      max_tokens: 200,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Write a short, polite reply to a customer whose issue is: ${summary.content ?? ''}` },
      ],
    });
    return reply.content ?? '';
  }

  async function agent(request: string): Promise<string> {
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'system', content: `${SYSTEM} Use the tools to look orders up; never guess an order's status.` },
      { role: 'user', content: request },
    ];
    for (let turn = 0; turn < MAX_AGENT_TURNS; turn++) {
      const message = await complete({ temperature: 0, messages, tools: [LOOKUP_ORDER_TOOL] });
      messages.push(message);
      const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
      if (calls.length === 0) return message.content ?? '';
      for (const call of calls) {
        const result =
          call.function.name === LOOKUP_ORDER_TOOL.function.name
            ? await lookupOrder(JSON.parse(call.function.arguments) as { order_id: string })
            : { error: `unknown tool ${call.function.name}` };
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
    return 'Sorry, I could not finish looking that up.';
  }

  return {
    chat: traceChain(chat, { name: 'support-chat' }),
    chain: traceChain(chain, { name: 'ticket-summary-chain' }),
    agent: traceAgent(agent, { name: 'order-status-agent' }),
  };
}
