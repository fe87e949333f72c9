// Test support for the Python fixtures (test/fixtures/python): each file read and its OTLP bodies
// decoded from base64 once; a recording received again by POSTing those exact bytes to a real OTLP
// receiver feeding a temporary TraceStore; the scripted replies the recording was made with; and
// the provider configs pointing at one fake LLM server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { Span, Trace } from '../../../src/core/model/trace';
import { startOtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import { AGENT_FINAL_TEXT, AGENT_TOOL_CALL, scriptFor, USAGE } from '../../apps/app-matrix';
import type { FakeLlmServer, FakeReply } from '../../support/fake-llm/fake-llm-server';
import { fakeGeminiConfig } from './gemini-support';
import { fakeConfigs } from './recorded-world';

const DIR = path.resolve(__dirname, '../../fixtures/python');

export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

export interface LlmRequestRecord {
  api: string;
  path: string;
  body: Body;
}

export interface PythonFixture {
  file: string;
  library: string;
  scenario: string;
  mode: string;
  /** The OTLP requests in arrival order, bodies decoded once. */
  exports: { path: string; contentType: string; bytes: Buffer }[];
  llmRequests: LlmRequestRecord[];
}

export function loadPythonFixtures(): PythonFixture[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Omit<PythonFixture, 'file' | 'exports'> & {
        exports: { path: string; contentType: string; bodyBase64: string }[];
      };
      return {
        file,
        library: raw.library,
        scenario: raw.scenario,
        mode: raw.mode,
        exports: raw.exports.map((e) => ({
          path: e.path,
          contentType: e.contentType,
          bytes: Buffer.from(e.bodyBase64, 'base64'),
        })),
        llmRequests: raw.llmRequests,
      };
    });
}

export interface ReceivedFixture {
  store: TraceStore;
  trace: Trace;
  dispose(): Promise<void>;
}

/** POSTs the fixture's exports (in `order`, default as recorded) to a real receiver feeding a fresh
 *  store, each answered 200, and hands back the one trace they make. */
export async function receiveFixture(
  fx: PythonFixture,
  order: PythonFixture['exports'] = fx.exports,
): Promise<ReceivedFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tr-python-fx-'));
  const store = await TraceStore.open(dir);
  const dispose = async (): Promise<void> => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const receiver = await startOtlpReceiver({
      port: 0,
      onSpans: (spans) => store.ingest(spans).then(() => undefined),
      onLogRecords: (records) => store.ingestLogs(records),
    });
    try {
      for (const [i, e] of order.entries()) {
        const res = await fetch(receiver.url + e.path, {
          method: 'POST',
          headers: { 'content-type': e.contentType },
          body: new Uint8Array(e.bytes),
        });
        await res.arrayBuffer();
        assert.equal(res.status, 200, `export ${i} (${e.path}) answered ${res.status}`);
      }
    } finally {
      await receiver.close();
    }
    const summaries = await store.listTraces();
    assert.equal(summaries.length, 1, 'one trace per recording');
    const trace = await store.getTrace(summaries[0].id);
    assert.ok(trace);
    return { store, trace, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The trace's LLM spans in start order. */
export function llmSpans(trace: Trace): Span[] {
  return trace.spans
    .filter((s) => s.kind === 'llm')
    .sort((a, b) =>
      BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano)
        ? -1
        : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano)
          ? 1
          : 0,
    );
}

/** The replies the recording was made with (scripts/record-python-fixtures.ts): the JS apps'
 *  scripts, and for Gemini the same texts, usage and tool call without an id. */
export function pythonReplies(fx: PythonFixture): FakeReply[] {
  if (fx.llmRequests[0].api === 'gemini.generate_content') {
    const first: FakeReply = { model: 'gemini-2.5-flash', usage: { ...USAGE.first } };
    const second: FakeReply = { model: 'gemini-2.5-flash', usage: { ...USAGE.second } };
    if (fx.scenario === 'chain')
      return [
        { ...first, text: 'The sea sings softly to the shore.' },
        { ...second, text: 'La mer chante doucement au rivage.' },
      ];
    if (fx.scenario === 'agent')
      return [
        { ...first, toolCalls: [{ name: AGENT_TOOL_CALL.name, arguments: AGENT_TOOL_CALL.arguments }] },
        { ...second, text: AGENT_FINAL_TEXT },
      ];
    return [{ ...first, text: 'Red, yellow and blue.' }];
  }
  const app = fx.llmRequests[0].api === 'anthropic.messages' ? 'traceloop-anthropic' : 'traceloop-openai';
  return scriptFor(app, fx.scenario as Parameters<typeof scriptFor>[1]);
}

/** OpenAI, Anthropic and Gemini, all at the fake server. */
export function pythonConfigs(llm: FakeLlmServer): ProviderConfigs {
  return fakeConfigs(llm, { gemini: fakeGeminiConfig(llm.geminiBaseUrl) });
}
