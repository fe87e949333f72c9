// Runs the fake Phoenix server in its own process (for UI tests run by plain node, like
// serve-fake-langfuse.ts): `tsx test/e2e/serve-fake-phoenix.ts` loads two recorded OpenInference agent
// traces (Python OpenAI into project "default", JS Anthropic into "js-app"), versions 1 and 2 of the
// chat prompts "weather-system" and "concise-assistant" (tags production / staging), and in "default"
// the trace "support-answer": the JS capture of one OpenAI call linked to "concise-assistant" v1, as
// test/integration/phoenix-helpers.ts builds it (prompt.id, llm.prompt_template.*; the newest trace).
// Prints `READY <baseUrl>`, and on stdin's end (or SIGTERM) prints `VIOLATIONS <json array>` (answers
// outside Phoenix's OpenAPI document, and spans it could not store) and exits.
// API key: FAKE_PHOENIX_API_KEY (none: no auth, as Phoenix without PHOENIX_ENABLE_AUTH).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakePhoenix, type FakePhoenixPrompts } from '../support/fake-phoenix/fake-phoenix-server';

const FIXTURES = join(__dirname, '..', 'fixtures');

const PROMPTS: FakePhoenixPrompts = {
  'weather-system': [
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_format: 'MUSTACHE',
      tags: ['production'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a weather bot for {{city}}.' }] },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
    },
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_format: 'MUSTACHE',
      tags: ['staging'],
      template: {
        type: 'chat',
        messages: [{ role: 'system', content: 'You are a concise weather bot for {{city}}. Answer in one sentence.' }],
      },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
    },
  ],
  'concise-assistant': [
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_format: 'MUSTACHE',
      tags: ['production'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a {{tone}} assistant.' }] },
    },
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_format: 'MUSTACHE',
      tags: ['staging'],
      description: 'one line',
      template: {
        type: 'chat',
        messages: [{ role: 'system', content: 'You are a {{tone}} assistant. Answer in one line.' }],
      },
    },
  ],
};

interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** The JS capture of one OpenAI call (system "You are a concise assistant.") as an app linked to
 *  the Phoenix prompt `versionId` records it (as phoenix-helpers.ts' linkedTraceBody, which needs
 *  `vscode`): new ids, root span "support-answer", 11.6 days after the recordings (listed first). */
function linkedTraceBody(versionId: string): object {
  const [request] = JSON.parse(readFileSync(join(FIXTURES, 'otlp', 'openinference-openai-single.json'), 'utf8')) as {
    resourceSpans: { scopeSpans: { spans: OtlpJsonSpan[] }[] }[];
  }[];
  const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const llm = spans.find((s) => s.parentSpanId);
  const root = spans.find((s) => !s.parentSpanId);
  if (!llm || !root || spans.length !== 2)
    throw new Error('openinference-openai-single.json: expected a root span and one LLM span');
  for (const s of spans) {
    s.traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    s.startTimeUnixNano = String(BigInt(s.startTimeUnixNano) + 1_000_000_000_000_000n);
    s.endTimeUnixNano = String(BigInt(s.endTimeUnixNano) + 1_000_000_000_000_000n);
  }
  root.spanId = 'b2b2b2b2b2b2b2b2';
  root.name = 'support-answer';
  llm.spanId = 'a1a1a1a1a1a1a1a1';
  llm.parentSpanId = root.spanId;
  llm.attributes.push(
    { key: 'prompt.id', value: { stringValue: 'concise-assistant' } },
    { key: 'llm.prompt_template.template', value: { stringValue: 'You are a {{tone}} assistant.' } },
    { key: 'llm.prompt_template.version', value: { stringValue: versionId } },
    { key: 'llm.prompt_template.variables', value: { stringValue: JSON.stringify({ tone: 'concise' }) } },
  );
  return request;
}

async function main(): Promise<void> {
  const server = await startFakePhoenix({ apiKey: process.env.FAKE_PHOENIX_API_KEY || undefined, prompts: PROMPTS });
  server.ingestOtlpFile(join(FIXTURES, 'python', 'openinference-openai-agent.json'));
  server.ingestOtlpFile(join(FIXTURES, 'otlp', 'openinference-anthropic-agent.json'), 'js-app');
  // Phoenix's id of concise-assistant's first version (a GlobalID: base64 "PromptVersion:<rowid>").
  const concise = server.prompts.prompts.find((p) => p.name === 'concise-assistant');
  const v1 = server.prompts.versions.find((v) => v.promptRowid === concise?.rowid);
  if (!v1) throw new Error('the fake Phoenix did not store concise-assistant');
  if (server.ingest(linkedTraceBody(Buffer.from(`PromptVersion:${v1.rowid}`).toString('base64'))) !== 2)
    throw new Error('the linked trace did not store its 2 spans');
  process.stdout.write(`READY ${server.baseUrl}\n`);
  const stop = (): void => {
    const problems = [...server.violations, ...server.store.ingestErrors.map((e) => `ingest: ${e}`)];
    process.stdout.write(`VIOLATIONS ${JSON.stringify(problems)}\n`);
    void server.close().then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
}

void main();
