// Shared pieces of the Phoenix platform tests: a recorded OTLP fixture imported locally (decoded,
// normalized and assembled as the OTLP receiver and the store do), the LLM calls of a trace in a
// comparable form, and a session opened on a fake Phoenix.
import { readFileSync } from 'node:fs';
import type { LlmCall, Trace } from '../../../src/core/model/trace';
import { assembleTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import { decodeOtlpProtobuf } from '../../../src/core/otlp/decode-otlp-protobuf';

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
    const { provider, api, requestModel, responseModel, messages, tools, toolChoice, responseFormat, parameters, output, usage, streamed, prompt } = s.llm;
    out[s.id] = JSON.parse(JSON.stringify({ provider, api, requestModel, responseModel, messages, tools, toolChoice, responseFormat, parameters, output, usage, streamed, prompt })) as Partial<LlmCall>;
  }
  return out;
}
