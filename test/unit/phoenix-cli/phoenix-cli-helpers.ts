// Shared setup of the Phoenix CLI tests: the CLI run with exactly the Phoenix and provider variables
// a test gives, the recorded OpenInference fixtures sent to a fake Phoenix as the app's exporter sent
// them (protobuf POST /v1/traces), one of them with the prompt-template attributes OpenInference's
// `using_prompt_template` records, and a prompt with versions and tags seeded in the fake.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { decodeOtlpProtobufBody } from '../../../src/core/otlp/otlp-body';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import type { CliRun } from '../cli/cli-helpers';
import { runCliWithEnv } from '../cli/cli-helpers';
import type { FakePhoenixPrompts, FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { readOtlpFixture } from '../../support/fake-phoenix/phoenix-fixtures';
import { globalId } from '../../support/fake-phoenix/phoenix-ids';

export const PYTHON_FIXTURES = path.join(__dirname, '../../fixtures/python');
export const JS_FIXTURES = path.join(__dirname, '../../fixtures/otlp');
export const API_KEY = 'phx-test-key-0123456789';
export const PROJECT = 'support-bot';

/** The Python OpenAI recordings (protobuf) and the JS OpenInference captures (OTLP/JSON). */
export const OPENINFERENCE_FIXTURES = [
  ...readdirSync(PYTHON_FIXTURES)
    .filter((f) => f.startsWith('openinference-openai-'))
    .map((f) => path.join(PYTHON_FIXTURES, f)),
  ...readdirSync(JS_FIXTURES)
    .filter((f) => f.startsWith('openinference-openai-'))
    .map((f) => path.join(JS_FIXTURES, f)),
];

/** The recording that gets the prompt-template attributes: its user message is
 *  "Name three primary colours." (system: "You are a concise assistant."). */
export const TEMPLATED_FIXTURE = path.join(PYTHON_FIXTURES, 'openinference-openai-single.json');
export const PROMPT_NAME = 'colour-quiz';
export const RECORDED_TEMPLATE = 'Name three {{topic}}.';
export const RECORDED_VARIABLES = { topic: 'primary colours' };

/** Version 1 (what the app used, tag production), version 2 (tag staging), version 3 (latest, untagged). */
export const PROMPTS: FakePhoenixPrompts = {
  [PROMPT_NAME]: [
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template: { type: 'string', template: RECORDED_TEMPLATE },
      template_format: 'MUSTACHE',
      tags: ['production'],
      description: 'first cut',
    },
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template: { type: 'string', template: 'List three {{topic}}, comma-separated, nothing else.' },
      template_format: 'MUSTACHE',
      tags: ['staging'],
    },
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template: { type: 'string', template: 'Give three {{topic}} as a JSON array.' },
      template_format: 'MUSTACHE',
    },
  ],
  'other-prompt': [
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template: { type: 'chat', messages: [{ role: 'system', content: 'Be {{style}}.' }] },
      template_format: 'MUSTACHE',
    },
  ],
};
/** What versions 2 and 3 render with the recorded variables. */
export const V2_RENDERED = 'List three primary colours, comma-separated, nothing else.';
export const V3_RENDERED = 'Give three primary colours as a JSON array.';
/** The fake gives seeded versions row ids in order (colour-quiz first). */
export const VERSION_IDS = [1, 2, 3].map((row) => globalId('PromptVersion', row));

export function phoenixEnv(server: FakePhoenixServer, overrides: Record<string, string> = {}): Record<string, string> {
  return { PHOENIX_BASE_URL: server.baseUrl, PHOENIX_API_KEY: API_KEY, PHOENIX_PROJECT: PROJECT, ...overrides };
}

/** The CLI with this machine's PHOENIX_* variables removed, so only `env` configures Phoenix. */
export function runPhoenixCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const cleared: Record<string, string | undefined> = {};
  for (const name of Object.keys(process.env)) if (name.startsWith('PHOENIX_')) cleared[name] = undefined;
  return runCliWithEnv(args, { ...cleared, ...env });
}

type Attribute = { key: string; value: Record<string, unknown> };
type Request = { resourceSpans: { scopeSpans: { spans: { attributes: Attribute[] }[] }[] }[] };

/** A recorded fixture's bodies as protobuf, the LLM spans carrying `extra` attributes when given. */
export function fixtureBodies(file: string, extra?: Record<string, string>): Uint8Array[] {
  const type = otlpProtoTypes().exportTraceServiceRequest;
  return readOtlpFixture(file).map(({ contentType, body }) => {
    assert.equal(contentType, 'application/x-protobuf', `${file}: a protobuf recording`);
    if (extra === undefined) return new Uint8Array(body);
    const request = decodeOtlpProtobufBody(type, body) as Request;
    for (const span of request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))) {
      if (!span.attributes.some((a) => a.key === 'openinference.span.kind' && a.value.stringValue === 'LLM')) continue;
      for (const [key, value] of Object.entries(extra)) span.attributes.push({ key, value: { stringValue: value } });
    }
    return type.encode(type.fromObject(request)).finish();
  });
}

/** What `using_prompt_template(template=..., variables=..., version=...)` adds to the LLM span. */
export function promptTemplateAttributes(version: string): Record<string, string> {
  return {
    'llm.prompt_template.template': RECORDED_TEMPLATE,
    'llm.prompt_template.variables': JSON.stringify(RECORDED_VARIABLES),
    'llm.prompt_template.version': version,
  };
}

/** Sends the bodies as the app's OTLP exporter did: protobuf POST /v1/traces into `project`. */
export async function exportToPhoenix(
  server: FakePhoenixServer,
  bodies: Uint8Array[],
  project = PROJECT,
): Promise<void> {
  for (const body of bodies) {
    const res = await fetch(`${server.baseUrl}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        'x-project-name': project,
        authorization: `Bearer ${API_KEY}`,
      },
      body: Buffer.from(body),
    });
    assert.equal(res.status, 200, await res.text());
  }
}

/** Every OpenInference OpenAI recording into the project: protobuf ones over HTTP, the JS captures
 *  (OTLP/JSON) through the fake's ingest; the templated fixture with its prompt-template attributes. */
export async function loadRecordings(server: FakePhoenixServer, project = PROJECT): Promise<void> {
  for (const file of OPENINFERENCE_FIXTURES) {
    if (file === TEMPLATED_FIXTURE) {
      await exportToPhoenix(server, fixtureBodies(file, promptTemplateAttributes(VERSION_IDS[0])), project);
    } else if (file.startsWith(PYTHON_FIXTURES)) {
      await exportToPhoenix(server, fixtureBodies(file), project);
    } else {
      assert.ok(server.ingestOtlpFile(file, project) > 0, file);
    }
  }
  assert.deepEqual(server.store.ingestErrors, []);
}

/** A suite's teardown: the fake Phoenix saw no answer or body outside its OpenAPI document and
 *  stored every span it was sent; then the servers close and the temp folder goes. */
export async function closePhoenixSuite(
  phoenix: FakePhoenixServer,
  dir: string,
  llm?: { close(): Promise<void> },
): Promise<void> {
  assert.deepEqual(phoenix.violations, []);
  assert.deepEqual(phoenix.store.ingestErrors, []);
  await phoenix.close();
  await llm?.close();
  await rm(dir, { recursive: true, force: true });
}
