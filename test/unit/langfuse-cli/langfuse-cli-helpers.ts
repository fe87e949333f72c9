// Shared setup of the Langfuse CLI tests: a fake Langfuse holding two agent traces whose first
// generation was rendered from prompt "weather-system" version 3, plus a version 4; and the CLI
// run with exactly the Langfuse and provider variables a test gives.
import type { CliRun } from '../cli/cli-helpers';
import { runCliWithEnv } from '../cli/cli-helpers';
import type { FakeObservation, FakePromptVersion } from '../../support/fake-langfuse/fake-langfuse-data';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../../support/fake-langfuse/langfuse-fixtures';
import type { FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

export const PROMPTS: FakePromptVersion[] = [
  {
    name: 'weather-system',
    version: 3,
    type: 'text',
    prompt: 'You are a weather bot for {{city}}.',
    labels: ['production'],
  },
  {
    name: 'weather-system',
    version: 4,
    type: 'text',
    prompt: 'You are a concise weather bot for {{city}}. Answer in one sentence.',
    labels: ['staging'],
  },
];

/** What version 4 renders for the recorded variables (city = Paris). */
export const V4_RENDERED = 'You are a concise weather bot for Paris. Answer in one sentence.';

/** agentTrace with the first generation's system message as version 3 rendered it. */
export function promptedTrace(traceId: string, baseMs: number): FakeObservation[] {
  return agentTrace(traceId, baseMs).map((o) =>
    o.id === `${traceId}-gen1` && typeof o.input === 'string'
      ? { ...o, input: o.input.replace('You are a weather bot.', 'You are a weather bot for Paris.') }
      : o,
  );
}

export function langfuseEnv(
  server: FakeLangfuseServer,
  keys: { publicKey?: string; secretKey?: string } = {},
): Record<string, string> {
  return {
    LANGFUSE_BASE_URL: server.baseUrl,
    LANGFUSE_PUBLIC_KEY: keys.publicKey ?? server.publicKey,
    LANGFUSE_SECRET_KEY: keys.secretKey ?? server.secretKey,
  };
}

export function llmEnv(llm: FakeLlmServer): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: llm.openaiBaseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: llm.anthropicBaseUrl,
  };
}

/** The CLI with this machine's LANGFUSE_* variables removed, so only `env` configures Langfuse. */
export function runLangfuseCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const cleared: Record<string, string | undefined> = {};
  for (const name of Object.keys(process.env)) if (name.startsWith('LANGFUSE_')) cleared[name] = undefined;
  return runCliWithEnv(args, { ...cleared, ...env });
}
