// Shared pieces of the Phoenix platform tests: a recorded OTLP fixture imported locally (decoded,
// normalized and assembled as the OTLP receiver and the store do), the LLM calls of a trace in a
// comparable form, and a session opened on a fake Phoenix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlmCall, Trace } from '../../../src/core/model/trace';
import { assembleTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import { decodeOtlpProtobuf } from '../../../src/core/otlp/decode-otlp-protobuf';
import type { PlatformOpenContext, PlatformSession } from '../../../src/core/sources/platform';
import type { PhoenixConnection } from '../../../src/core/sources/phoenix/phoenix-config';
import { phoenixPlatform } from '../../../src/core/sources/phoenix/phoenix-platform';
import type { FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';

/** A fixture (Python recording or JS capture) imported as the OTLP receiver would: one trace. */
export function importFixtureLocally(path: string): Trace {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const spans = Array.isArray(parsed)
    ? parsed.flatMap((b) => decodeOtlpJson(b).spans)
    : (parsed as { exports: { path: string; bodyBase64: string }[] }).exports
        .filter((e) => e.path === '/v1/traces')
        .flatMap((e) => decodeOtlpProtobuf(Buffer.from(e.bodyBase64, 'base64')).spans);
  return assembleTrace(spans.map(normalizeSpan));
}

/** What a replay sends again: the LLM calls of a trace by span id. */
export function llmCallsOf(trace: Trace): Record<string, Partial<LlmCall>> {
  const out: Record<string, Partial<LlmCall>> = {};
  for (const s of trace.spans) {
    if (s.kind !== 'llm' || !s.llm) continue;
    const {
      provider,
      api,
      requestModel,
      responseModel,
      messages,
      tools,
      toolChoice,
      responseFormat,
      parameters,
      output,
      usage,
      streamed,
      prompt,
    } = s.llm;
    out[s.id] = JSON.parse(
      JSON.stringify({
        provider,
        api,
        requestModel,
        responseModel,
        messages,
        tools,
        toolChoice,
        responseFormat,
        parameters,
        output,
        usage,
        streamed,
        prompt,
      }),
    ) as Partial<LlmCall>;
  }
  return out;
}

/** A session on `server`'s default project (retries wait for nothing; `sleeps` records them). */
export async function openPhoenix(
  server: FakePhoenixServer,
  options: {
    project?: string;
    apiKey?: string;
    store?: PlatformOpenContext['store'];
    listTtlSeconds?: number;
    sleeps?: number[];
    maxRetries?: number;
  } = {},
): Promise<PlatformSession<PhoenixConnection>> {
  const connection = phoenixPlatform.connection({
    name: 'default',
    settings: { baseUrl: server.baseUrl, project: options.project },
    secrets: { apiKey: options.apiKey ?? server.apiKey },
  });
  return phoenixPlatform.open(connection, {
    store: options.store,
    listTtlSeconds: options.listTtlSeconds,
    clientOptions: {
      maxRetries: options.maxRetries,
      sleep: async (ms) => {
        options.sleeps?.push(ms);
      },
    },
  });
}

export const PYTHON_FIXTURES = join(__dirname, '../../fixtures/python');
export const JS_FIXTURES = join(__dirname, '../../fixtures/otlp');
