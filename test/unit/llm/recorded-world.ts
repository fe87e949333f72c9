// Test support: runs a real instrumented app (test/apps) against the fake LLM server, with our OTLP
// receiver feeding a TraceStore, and hands back the normalized LLM calls next to the exact request
// bodies the fake server received for them.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LlmCall } from '../../../src/core/model/trace';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import { runApp, scriptFor, type AppName, type Scenario } from '../../apps/app-matrix';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

export interface RecordedCall {
  call: LlmCall;
  /** The body the app's SDK sent for this call, as the fake server received it. */
  originalBody: Record<string, unknown>;
  /** The URL path it went to (Gemini puts the model and the streaming choice there, not in the body). */
  originalPath: string;
}

export interface RecordedWorld {
  llm: FakeLlmServer;
  configs: ProviderConfigs;
  record(app: AppName, scenario: Scenario): Promise<RecordedCall[]>;
  close(): Promise<void>;
}

export function fakeConfigs(llm: FakeLlmServer, extra: ProviderConfigs = {}): ProviderConfigs {
  return {
    openai: {
      kind: 'openai',
      baseURL: llm.openaiBaseUrl,
      apiKey: 'sk-test-replay',
      keySource: 'OPENAI_API_KEY',
      maxRetries: 0,
    },
    anthropic: {
      kind: 'anthropic',
      baseURL: llm.anthropicBaseUrl,
      apiKey: 'sk-ant-test-replay',
      keySource: 'ANTHROPIC_API_KEY',
      maxRetries: 0,
    },
    gemini: {
      kind: 'gemini',
      baseURL: llm.geminiBaseUrl,
      apiKey: 'gemini-test-replay',
      keySource: 'GEMINI_API_KEY',
      maxRetries: 0,
    },
    ...extra,
  };
}

export async function startRecordedWorld(): Promise<RecordedWorld> {
  const llm = await startFakeLlmServer();
  return {
    llm,
    configs: fakeConfigs(llm),
    async record(app, scenario) {
      const dir = await mkdtemp(path.join(tmpdir(), 'trace-replay-llm-'));
      const store = await TraceStore.open(dir);
      let receiver: OtlpReceiver | undefined;
      try {
        receiver = await startOtlpReceiver({
          port: 0,
          onSpans: (spans) => store.ingest(spans).then(() => undefined),
          // otel-openai's message content arrives as log records, joined to their spans by the store.
          onLogRecords: (records) => store.ingestLogs(records).then(() => undefined),
        });
        llm.reset();
        llm.enqueue(scriptFor(app, scenario));
        const run = await runApp(app, scenario, {
          otlpEndpoint: receiver.endpoint,
          openaiBaseUrl: llm.openaiBaseUrl,
          anthropicBaseUrl: llm.anthropicBaseUrl,
          geminiBaseUrl: llm.geminiBaseUrl,
        });
        assert.equal(run.code, 0, `app exited ${run.code}: ${run.stderr}`);
        const [summary] = await store.listTraces();
        const trace = await store.getTrace(summary.id);
        assert.ok(trace);
        const spans = trace.spans
          .filter((s) => s.kind === 'llm')
          .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
        const requests = llm.requests.map((r) => ({
          body: structuredClone(r.body) as Record<string, unknown>,
          path: r.path,
        }));
        assert.equal(spans.length, requests.length, 'one llm span per model call');
        return spans.map((s, i) => ({ call: s.llm!, originalBody: requests[i].body, originalPath: requests[i].path }));
      } finally {
        await receiver?.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    close: () => llm.close(),
  };
}
