// The provider layer behind the LlmGateway contract: the registry's adapter per provider config,
// one official SDK client per connection, execution with the SDKs' own retries, answers read back.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { LlmCall } from '../model/trace';
import { buildRequest, targetAdapter } from './build-request';
import { MissingApiKeyError, RequestAbortedError, UnknownProviderError, UnsupportedApiError } from './llm-errors';
import type { BuiltRequest, ExecuteOptions, LlmExecution, LlmGateway, ModelTarget, ProviderConfigs } from './llm-types';
import type { ProviderAdapter } from './provider-adapter';
import { providerById, providerForConfig, setupHint } from './provider-registry';
import type { Clock, ReadResult } from './response-common';

export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './client-defaults';

export interface LlmGatewayOptions {
  /** Monotonic clock for durations (tests may pin it). */
  now?: Clock;
  /** fetch used by the SDKs (default: the global one). */
  fetch?: typeof fetch;
}

interface CallCounter {
  attempts: number;
}

export function createLlmGateway(configs: ProviderConfigs, options: LlmGatewayOptions = {}): LlmGateway {
  const now = options.now ?? (() => performance.now());
  const baseFetch = options.fetch ?? fetch;
  const clients = new Map<string, unknown>();
  // Each HTTP attempt goes through this fetch; the per-call counter rides the async context, so
  // concurrent calls on one shared client count their own retries.
  const attempts = new AsyncLocalStorage<CallCounter>();
  const countingFetch = (input: string | URL | Request, init?: RequestInit): Promise<globalThis.Response> => {
    const counter = attempts.getStore();
    if (counter !== undefined) counter.attempts++;
    return baseFetch(input, init);
  };

  function adapterFor(provider: string): ProviderAdapter {
    const config = configs[provider];
    if (config === undefined) {
      const known = providerById(provider);
      throw new UnknownProviderError(
        provider,
        Object.keys(configs),
        known !== undefined ? `${known.displayName} is not set up: ${setupHint(known)}` : undefined,
      );
    }
    const adapter = providerForConfig(config);
    if (adapter === undefined)
      throw new UnknownProviderError(
        provider,
        Object.keys(configs),
        `its kind "${config.kind}" is no provider this version knows`,
      );
    return adapter;
  }

  function clientFor(provider: string, adapter: ProviderAdapter): unknown {
    if (!clients.has(provider)) clients.set(provider, adapter.createClient(configs[provider], countingFetch));
    return clients.get(provider);
  }

  return {
    build(call: LlmCall, target: ModelTarget): BuiltRequest {
      const config = configs[target.provider];
      return buildRequest(call, target, targetAdapter(target.provider, configs), config?.kind);
    },

    async execute(request: BuiltRequest, target: ModelTarget, execOptions: ExecuteOptions = {}): Promise<LlmExecution> {
      const provider = target.provider;
      const adapter = adapterFor(provider);
      const config = configs[provider];
      if (
        adapter.credentials === 'api-key' &&
        (config.apiKey === undefined || config.apiKey === '') &&
        config.keyOptional !== true
      ) {
        throw new MissingApiKeyError(provider, config.keySource);
      }
      const { signal } = execOptions;
      if (signal?.aborted === true) throw new RequestAbortedError(provider, signal.reason);
      if (!adapter.apis.includes(request.api)) throw new UnsupportedApiError(provider, request.api);
      const client = clientFor(provider, adapter);
      const counter: CallCounter = { attempts: 0 };
      const start = now();
      let read: ReadResult;
      try {
        read = await attempts.run(counter, () => adapter.send(client, request, { signal, now }));
      } catch (err) {
        throw adapter.mapError(err, provider, Math.max(0, counter.attempts - 1), signal, config);
      }
      const end = now();
      const execution: LlmExecution = {
        output: read.output,
        durationMs: end - start,
        streamed: request.stream,
        retries: Math.max(0, counter.attempts - 1),
      };
      if (read.usage !== undefined) execution.usage = read.usage;
      if (read.responseModel !== undefined) execution.responseModel = read.responseModel;
      if (read.responseId !== undefined) execution.responseId = read.responseId;
      if (request.stream && read.firstContentAt !== undefined)
        execution.timeToFirstTokenMs = read.firstContentAt - start;
      if (read.warnings.length > 0) execution.warnings = read.warnings;
      return execution;
    },
  };
}
