// A small customer-support bot, instrumented with OpenTelemetry + OpenInference, that sends its traces
// to Trace Replay. Run it against a receiver:
//
//   node dist/cli.js receive                       # terminal 1 (or VS Code: "Start OTLP Receiver")
//   OPENAI_API_KEY=sk-... npx tsx examples/support-bot/main.ts
//
// Environment: OPENAI_API_KEY (required), OPENAI_BASE_URL (any OpenAI-compatible server),
// SUPPORT_BOT_MODEL (default gpt-4o-mini), OTEL_EXPORTER_OTLP_ENDPOINT (default http://127.0.0.1:4318).
// `npm run demo` runs it for you, against a local offline stand-in when no key is set.
import OpenAI from 'openai';
import { supportFlows } from './flows';
import { startTracing, tracesEndpoint } from './tracing';

async function main(): Promise<void> {
  if (!process.env.OPENAI_API_KEY) {
    console.error(
      'support-bot: set OPENAI_API_KEY (or run `npm run demo`, which starts an offline stand-in when no key is set).',
    );
    process.exit(2);
  }
  const tracing = startTracing('support-bot');
  const client = new OpenAI({ maxRetries: 1 });
  const model = process.env.SUPPORT_BOT_MODEL || 'gpt-4o-mini';
  console.log(`support-bot: model ${model} at ${client.baseURL}; traces to ${tracesEndpoint()}`);

  const flows = supportFlows(client, model);
  try {
    show('support-chat', await flows.chat('How do I reset my password?'));
    show(
      'ticket-summary-chain',
      await flows.chain(
        'Hello, I was charged twice for my March invoice (INV-3301), 49 EUR each time. Please refund one of the charges. Thanks, Dana',
      ),
    );
    show('order-status-agent', await flows.agent('Where is my order A-1042?'));
  } finally {
    // Flushes the batched spans; without it the last traces never reach the receiver.
    await tracing.shutdown();
  }
  console.log('support-bot: 3 traces sent');
}

function show(flow: string, answer: string): void {
  console.log(`\n[${flow}]\n${answer}`);
}

main().catch((err: unknown) => {
  console.error(`support-bot failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
