// Shared setup of the replay tests: a temp store holding traces imported from the captured OTLP
// fixtures (real instrumentation against the fake LLM server), and a scripted in-test LlmGateway.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MissingApiKeyError, ProviderRequestError, RequestAbortedError } from '../../../src/core/llm/llm-errors';
import type {
  BuiltRequest,
  ExecuteOptions,
  LlmExecution,
  LlmGateway,
  ModelTarget,
} from '../../../src/core/llm/llm-types';
import type { LlmCall, LlmOutput, Trace } from '../../../src/core/model/trace';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import type { ReplayServices } from '../../../src/core/replay/replay-services';
import { TraceStore } from '../../../src/core/store/trace-store';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/otlp');

export interface TempStore {
  dir: string;
  store: TraceStore;
  dispose(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-replay-'));
  const store = await TraceStore.open(path.join(dir, 'store'));
  return {
    dir,
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Imports one captured fixture (e.g. 'traceloop-openai-agent') and returns its trace. */
export async function importFixture(store: TraceStore, name: string): Promise<Trace> {
  const bodies = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as unknown[];
  const result = await store.ingest(bodies.flatMap((b) => decodeOtlpJson(b).spans));
  const [id] = result.traceIds;
  const trace = await store.getTrace(id);
  if (!trace) throw new Error(`fixture ${name} produced no trace`);
  return trace;
}

export type Script = (call: LlmCall, target: ModelTarget, n: number) => Partial<LlmOutput> | Error | undefined;

/** A gateway whose build() keeps the neutral call in the body and whose execute() answers from a
 *  script; it records calls, honours the abort signal and can simulate a missing key. */
export class ScriptedGateway implements LlmGateway {
  readonly executed: { call: LlmCall; target: ModelTarget }[] = [];
  script: Script = () => undefined;
  missingKeyFor?: string;
  /** When set, execute() waits for it (so a test can cancel mid-flight). */
  hold?: Promise<void>;
  private readonly calls = new WeakMap<BuiltRequest, LlmCall>();

  build(call: LlmCall, target: ModelTarget): BuiltRequest {
    const request: BuiltRequest = {
      provider: target.provider,
      api: target.api ?? call.api,
      body: { model: target.model, messages: call.messages, parameters: call.parameters, tools: call.tools },
      stream: false,
      warnings: target.provider !== call.provider ? [`translated from ${call.provider} to ${target.provider}`] : [],
    };
    this.calls.set(request, call);
    return request;
  }

  async execute(request: BuiltRequest, target: ModelTarget, options: ExecuteOptions = {}): Promise<LlmExecution> {
    if (this.missingKeyFor === target.provider)
      throw new MissingApiKeyError(target.provider, `${target.provider.toUpperCase()}_API_KEY`);
    const call = this.calls.get(request)!;
    this.executed.push({ call, target });
    if (this.hold) {
      const signal = options.signal;
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new RequestAbortedError(target.provider)));
        void this.hold!.then(resolve);
      });
    }
    const scripted = this.script(call, target, this.executed.length);
    if (scripted instanceof Error) throw scripted;
    return {
      output: { text: `replayed by ${target.model}`, toolCalls: [], finishReason: 'stop', ...scripted },
      usage: { inputTokens: 10, outputTokens: 5, inputIncludesCache: true },
      responseModel: target.model,
      durationMs: 7,
      streamed: false,
    };
  }
}

export function providerError(status: number, message: string): ProviderRequestError {
  return new ProviderRequestError({
    provider: 'openai',
    status,
    providerMessage: message,
    retryable: status >= 500,
    retries: 2,
  });
}

export function scriptedServices(store: TraceStore, gateway: LlmGateway): ReplayServices {
  return {
    store,
    gateway,
    resolveTarget: (call, spec) => {
      if (!spec) return { provider: call.provider ?? 'openai', model: call.requestModel ?? 'unknown' };
      const [provider, model] = spec.includes(':') ? spec.split(':', 2) : ['openai', spec];
      return { provider, model };
    },
  };
}
