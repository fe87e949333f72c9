// Shared by the Arize Phoenix specs: the recorded OpenInference traces (Python recordings and JS
// captures) ingested into a fake Phoenix in time order, one of them linked to a Phoenix prompt,
// connecting through the real "Connect Arize Phoenix..." command, and putting everything back.
import * as assert from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { FakePhoenixServer } from '../support/fake-phoenix/fake-phoenix-server';
import { importFixtureLocally } from '../unit/phoenix/phoenix-test-helpers';
import { extension } from './helpers';

/** Every recorded OpenInference trace fixture (Python protobuf recordings and JS OTLP/JSON captures). */
export function openInferenceFixtures(): string[] {
  const root = path.join(extension().extensionPath, 'test', 'fixtures');
  return ['python', 'otlp'].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.startsWith('openinference-') && f.endsWith('.json'))
      .map((f) => path.join(root, dir, f)),
  );
}

/** Ingests the fixtures oldest first, as traces arrive (Phoenix pages by row id while ordering by
 *  start time); returns their trace ids, newest first. */
export function ingestInTimeOrder(phoenix: FakePhoenixServer, paths: string[]): string[] {
  const traces = paths
    .map((p) => ({ path: p, trace: importFixtureLocally(p) }))
    .sort((a, b) => a.trace.startTime - b.trace.startTime);
  for (const t of traces) assert.ok(phoenix.ingestOtlpFile(t.path) > 0, `${t.path} stored no span`);
  return traces.map((t) => t.trace.id).reverse();
}

export const LINKED_TRACE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const LINKED_LLM_SPAN = 'a1a1a1a1a1a1a1a1';
const LINKED_ROOT_SPAN = 'b2b2b2b2b2b2b2b2';
/** Later than every recorded fixture (11.6 days after the JS capture), so it lists first. */
const SHIFT_NANOS = 1_000_000_000_000_000n;

interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface OtlpJsonRequest {
  resourceSpans: { scopeSpans: { spans: OtlpJsonSpan[] }[] }[];
}

/** The JS capture of one OpenAI call (system "You are a concise assistant.") as an app linked to
 *  a Phoenix prompt records it: prompt.id, llm.prompt_template.template / .version / .variables on
 *  the LLM span (OpenInference's prompt attributes). New ids and the newest start time. */
export function linkedTraceBody(
  templateText: string,
  versionId: string,
  variables: Record<string, string>,
): OtlpJsonRequest {
  const file = openInferenceFixtures().find((p) => p.endsWith(path.join('otlp', 'openinference-openai-single.json')));
  assert.ok(file, 'the JS capture openinference-openai-single.json');
  const [request] = JSON.parse(readFileSync(file, 'utf8')) as OtlpJsonRequest[];
  const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const llm = spans.find((s) => s.parentSpanId);
  const root = spans.find((s) => !s.parentSpanId);
  assert.ok(llm && root && spans.length === 2, 'a root span and one LLM span');
  for (const s of spans) {
    s.traceId = LINKED_TRACE;
    s.startTimeUnixNano = String(BigInt(s.startTimeUnixNano) + SHIFT_NANOS);
    s.endTimeUnixNano = String(BigInt(s.endTimeUnixNano) + SHIFT_NANOS);
  }
  root.spanId = LINKED_ROOT_SPAN;
  llm.spanId = LINKED_LLM_SPAN;
  llm.parentSpanId = LINKED_ROOT_SPAN;
  llm.attributes.push(
    { key: 'prompt.id', value: { stringValue: 'concise-assistant' } },
    { key: 'llm.prompt_template.template', value: { stringValue: templateText } },
    { key: 'llm.prompt_template.version', value: { stringValue: versionId } },
    { key: 'llm.prompt_template.variables', value: { stringValue: JSON.stringify(variables) } },
  );
  return request;
}

/** Phoenix's id of the n-th prompt version the fake stored (a GlobalID, as Phoenix writes them). */
export function promptVersionId(rowid: number): string {
  return Buffer.from(`PromptVersion:${rowid}`).toString('base64');
}

/** Back to the local store, with no Phoenix connection setting and no stored key of `names`. */
export async function disconnectPhoenix(api: TraceReplayApi, names: readonly string[]): Promise<void> {
  await vscode.commands.executeCommand('traceReplay.switchTraceSource', 'local');
  const config = vscode.workspace.getConfiguration('traceReplay');
  await config.update('phoenix.connections', undefined, vscode.ConfigurationTarget.Global);
  await config.update('phoenix.connections', undefined, vscode.ConfigurationTarget.Workspace);
  for (const name of names) await api.setApiKey(`phoenix.${name}.apiKey`, undefined);
}

/** Fails the suite when the fake answered outside Phoenix's OpenAPI document or lost a span. */
export async function closePhoenix(phoenix: FakePhoenixServer | undefined): Promise<void> {
  if (!phoenix) return;
  const violations = [...phoenix.violations];
  const ingestErrors = [...phoenix.store.ingestErrors];
  await phoenix.close();
  assert.deepStrictEqual(violations, [], 'the fake Phoenix answered outside its OpenAPI document');
  assert.deepStrictEqual(ingestErrors, [], 'the fake Phoenix could not store every span');
}
