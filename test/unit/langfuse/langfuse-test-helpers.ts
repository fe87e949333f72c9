// Shared setup for the Langfuse tests: a fake server with agent traces, and a client/source on it
// whose Retry-After waits are recorded instead of slept.
import { LangfuseClient } from '../../../src/core/sources/langfuse/langfuse-client';
import { langfuseConnection } from '../../../src/core/sources/langfuse/langfuse-config';
import type { FakeLangfuseOptions, FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { startFakeLangfuse } from '../../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../../support/fake-langfuse/langfuse-fixtures';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** Five agent traces a minute apart; trace-4 is the newest. */
export function fiveTraces(): FakeLangfuseOptions['observations'] {
  return [0, 1, 2, 3, 4].flatMap((i) =>
    agentTrace(`trace-${i}`, T0 + i * 60_000, i % 2 ? 'odd-agent' : 'weather-agent'),
  );
}

export async function fake(options: FakeLangfuseOptions = {}): Promise<FakeLangfuseServer> {
  return startFakeLangfuse({ observations: fiveTraces(), ...options });
}

export function clientFor(
  server: FakeLangfuseServer,
  waits: number[] = [],
  keys?: { publicKey: string; secretKey: string },
): LangfuseClient {
  return new LangfuseClient(
    langfuseConnection({
      baseUrl: server.baseUrl,
      publicKey: keys?.publicKey ?? server.publicKey,
      secretKey: keys?.secretKey ?? server.secretKey,
    }),
    {
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );
}
