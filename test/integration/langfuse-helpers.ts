// Shared by the Langfuse specs that connect their own fake Langfuse servers: the prompted agent
// trace, connecting (settings + SecretStorage through the real command), and putting everything back.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Trace } from '../../src/core/model/trace';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { FakeObservation } from '../support/fake-langfuse/fake-langfuse-data';
import type { FakeLangfuseServer } from '../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../support/fake-langfuse/langfuse-fixtures';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** The fixture agent trace; its first generation ("plan") was rendered from weather-system v3. */
export function promptedTrace(traceId: string, baseMs: number): FakeObservation[] {
  return agentTrace(traceId, baseMs).map((o) =>
    o.id === `${traceId}-gen1` && typeof o.input === 'string'
      ? { ...o, input: o.input.replace('You are a weather bot.', 'You are a weather bot for Paris.') }
      : o,
  );
}

/** Saves the connection through "Connect Langfuse..." (which also makes it the active source). */
export async function connectFake(name: string, server: FakeLangfuseServer): Promise<string> {
  const sourceId = await vscode.commands.executeCommand<string>('traceReplay.connectLangfuse', {
    name,
    baseUrl: server.baseUrl,
    publicKey: server.publicKey,
    secretKey: server.secretKey,
  });
  assert.strictEqual(sourceId, `langfuse:${name}`);
  return sourceId;
}

/** Back to the local store, with no connection setting and no stored Langfuse key of `names`. */
export async function disconnectAll(api: TraceReplayApi, names: readonly string[]): Promise<void> {
  await vscode.commands.executeCommand('traceReplay.switchTraceSource', 'local');
  const config = vscode.workspace.getConfiguration('traceReplay');
  await config.update('langfuse.connections', undefined, vscode.ConfigurationTarget.Global);
  await config.update('langfuse.connections', undefined, vscode.ConfigurationTarget.Workspace);
  for (const name of names) {
    await api.setApiKey(`langfuse.${name}.publicKey`, undefined);
    await api.setApiKey(`langfuse.${name}.secretKey`, undefined);
  }
}

/** The text of the first message of the span named `spanName` (e.g. the system prompt a replay sent). */
export function firstMessageText(trace: Trace | undefined, spanName: string): string | undefined {
  const span = trace?.spans.find((s) => s.name === spanName);
  return span?.llm?.messages[0]?.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** Fails the suite when a fake answered outside Langfuse's OpenAPI document. */
export async function closeFakes(...servers: (FakeLangfuseServer | undefined)[]): Promise<void> {
  const violations = servers.flatMap((s) => (s ? [...s.violations] : []));
  await Promise.all(servers.map((s) => s?.close()));
  assert.deepStrictEqual(violations, [], 'a fake Langfuse answered outside its OpenAPI document');
}
