// Runs the fake Phoenix server in its own process (for UI tests run by plain node, like
// serve-fake-langfuse.ts): `tsx test/e2e/serve-fake-phoenix.ts` loads two recorded OpenInference agent
// traces (Python OpenAI into project "default", JS Anthropic into "js-app") and versions 1 and 2 of the
// chat prompt "weather-system" (tags production / staging), prints `READY <baseUrl>`, and on stdin's
// end (or SIGTERM) prints `VIOLATIONS <json array>` (answers outside Phoenix's OpenAPI document) and exits.
// API key: FAKE_PHOENIX_API_KEY (none: no auth, as Phoenix without PHOENIX_ENABLE_AUTH).
import { join } from 'node:path';
import { startFakePhoenix, type FakePhoenixPrompts } from '../support/fake-phoenix/fake-phoenix-server';

const FIXTURES = join(__dirname, '..', 'fixtures');

const PROMPTS: FakePhoenixPrompts = {
  'weather-system': [
    {
      model_provider: 'OPENAI', model_name: 'gpt-4o-mini', template_format: 'MUSTACHE', tags: ['production'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a weather bot for {{city}}.' }] },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
    },
    {
      model_provider: 'OPENAI', model_name: 'gpt-4o-mini', template_format: 'MUSTACHE', tags: ['staging'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a concise weather bot for {{city}}. Answer in one sentence.' }] },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
    },
  ],
};

async function main(): Promise<void> {
  const server = await startFakePhoenix({ apiKey: process.env.FAKE_PHOENIX_API_KEY || undefined, prompts: PROMPTS });
  server.ingestOtlpFile(join(FIXTURES, 'python', 'openinference-openai-agent.json'));
  server.ingestOtlpFile(join(FIXTURES, 'otlp', 'openinference-anthropic-agent.json'), 'js-app');
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
