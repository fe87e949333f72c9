// Runs the fake Langfuse server in its own process for the Playwright UI test (test/e2e/ui-langfuse.mjs
// is plain ESM run by node; the fake's OpenAPI validator finds its spec through __dirname, which
// only tsx's CommonJS loader gives it): `tsx test/e2e/serve-fake-langfuse.ts` serves two prompted
// agent traces and versions 3 and 4 of the prompt "weather-system", prints `READY <baseUrl>`, and on
// stdin's end prints `VIOLATIONS <json array>` (answers outside Langfuse's OpenAPI document) and exits.
// Keys: FAKE_LANGFUSE_PUBLIC_KEY / FAKE_LANGFUSE_SECRET_KEY (the fake's defaults otherwise).
import type { FakeObservation, FakePromptVersion } from '../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse } from '../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../support/fake-langfuse/langfuse-fixtures';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

const PROMPTS: FakePromptVersion[] = [
  {
    name: 'weather-system',
    version: 3,
    type: 'text',
    prompt: 'You are a weather bot for {{city}}.',
    labels: ['production'],
  },
  {
    name: 'weather-system',
    version: 4,
    type: 'text',
    prompt: 'You are a concise weather bot for {{city}}. Answer in one sentence.',
    labels: ['staging'],
  },
];

/** The fixture agent trace, its first generation ("plan") rendered from weather-system version 3. */
function promptedTrace(traceId: string, baseMs: number, traceName: string): FakeObservation[] {
  return agentTrace(traceId, baseMs, traceName).map((o) =>
    o.id === `${traceId}-gen1` && typeof o.input === 'string'
      ? { ...o, input: o.input.replace('You are a weather bot.', 'You are a weather bot for Paris.') }
      : o,
  );
}

async function main(): Promise<void> {
  const server = await startFakeLangfuse({
    publicKey: process.env.FAKE_LANGFUSE_PUBLIC_KEY,
    secretKey: process.env.FAKE_LANGFUSE_SECRET_KEY,
    observations: [
      ...promptedTrace('ui-lf-trace-1', T0, 'weather-agent'),
      ...promptedTrace('ui-lf-trace-2', T0 + 60_000, 'travel-agent'),
    ],
    prompts: PROMPTS,
  });
  process.stdout.write(`READY ${server.baseUrl}\n`);
  const stop = (): void => {
    process.stdout.write(`VIOLATIONS ${JSON.stringify(server.violations)}\n`);
    void server.close().then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
}

void main();
