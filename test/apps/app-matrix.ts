// Which instrumented app runs which scenario, and what the fake LLM server answers for each.
// Shared by scripts/capture-fixtures.ts and the end-to-end ingest test.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FakeReply } from '../support/fake-llm/fake-llm-types';

export type AppName =
  | 'traceloop-openai'
  | 'traceloop-anthropic'
  | 'openinference-openai'
  | 'openinference-anthropic'
  | 'vercel-ai-openai'
  | 'vercel-ai-anthropic'
  | 'otel-openai'
  | 'vercel-ai-google';

/** `single-nocontent`: the `single` call with the library's content capture off (otel-openai). */
export type Scenario = 'single' | 'chain' | 'agent' | 'stream' | 'responses' | 'single-nocontent';

export const APP_SCENARIOS: Record<AppName, Scenario[]> = {
  'traceloop-openai': ['single', 'chain', 'agent', 'stream', 'responses'],
  'traceloop-anthropic': ['single', 'chain', 'agent', 'stream'],
  'openinference-openai': ['single', 'chain', 'agent', 'stream', 'responses'],
  'openinference-anthropic': ['single', 'chain', 'agent', 'stream'],
  'vercel-ai-openai': ['single', 'chain', 'agent', 'stream', 'responses'],
  'vercel-ai-anthropic': ['single', 'chain', 'agent', 'stream'],
  'otel-openai': ['single', 'chain', 'agent', 'stream', 'responses', 'single-nocontent'],
  'vercel-ai-google': ['single', 'chain', 'agent', 'stream'],
};

/** Apps whose message content arrives in OTLP logs (POSTed to /v1/logs), not in span attributes. */
export const LOGS_APPS: readonly AppName[] = ['otel-openai'];

/** Fixed token counts so traces can be checked against exactly what the server reported. */
export const USAGE = {
  first: { input: 21, output: 9, cacheRead: 4, cacheWrite: 0, reasoning: 0 },
  second: { input: 48, output: 12, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
} as const;

export const AGENT_TOOL_CALL = { id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris' } };
export const AGENT_FINAL_TEXT = 'It is sunny in Paris, 21°C.';

/** Replies to enqueue on the fake server before running `scenario` (responses model: the response model). */
export function scriptFor(app: AppName, scenario: Scenario): FakeReply[] {
  const anthropic = app.endsWith('anthropic');
  const google = app.endsWith('google');
  const responseModel = anthropic
    ? 'claude-haiku-4-5-20251001'
    : google
      ? 'gemini-2.0-flash-001'
      : 'gpt-4o-mini-2024-07-18';
  const first: FakeReply = { model: responseModel, usage: { ...USAGE.first, ...(anthropic ? { cacheWrite: 3 } : {}) } };
  const second: FakeReply = { model: responseModel, usage: USAGE.second };
  switch (scenario) {
    case 'single':
    case 'single-nocontent':
    case 'stream':
    case 'responses':
      return [{ ...first, text: 'Red, yellow and blue.' }];
    case 'chain':
      return [
        { ...first, text: 'The sea sings softly to the shore.' },
        { ...second, text: 'La mer chante doucement au rivage.' },
      ];
    case 'agent':
      return [
        // Gemini 2.x function calls carry no id (@ai-sdk/google makes one up).
        {
          ...first,
          toolCalls: [
            { ...AGENT_TOOL_CALL, id: anthropic ? 'toolu_weather_1' : google ? undefined : AGENT_TOOL_CALL.id },
          ],
        },
        { ...second, text: AGENT_FINAL_TEXT },
      ];
  }
}

export const APPS_DIR = path.resolve(__dirname);

export interface AppRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AppEnv {
  /** OTLP/HTTP traces URL (…/v1/traces). */
  otlpEndpoint: string;
  /** OTLP/HTTP logs URL; defaults to otlpEndpoint with /v1/traces replaced by /v1/logs. */
  otlpLogsEndpoint?: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  /** The fake's Gemini root (apps append /v1beta); needed by the Gemini apps only. */
  geminiBaseUrl?: string;
}

function logsEndpointFor(env: AppEnv): string {
  if (env.otlpLogsEndpoint !== undefined) return env.otlpLogsEndpoint;
  if (!env.otlpEndpoint.endsWith('/v1/traces'))
    throw new Error(`cannot derive the OTLP logs URL from ${env.otlpEndpoint}: pass otlpLogsEndpoint`);
  return `${env.otlpEndpoint.slice(0, -'/v1/traces'.length)}/v1/logs`;
}

/** Runs one app to completion; the app flushes its spans (and logs) before it exits. */
export function runApp(app: AppName, scenario: Scenario, env: AppEnv): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(APPS_DIR, `${app}.cjs`), scenario], {
      cwd: path.resolve(APPS_DIR, '../..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.otlpEndpoint,
        ...(LOGS_APPS.includes(app) ? { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: logsEndpointFor(env) } : {}),
        OPENAI_BASE_URL: env.openaiBaseUrl,
        OPENAI_API_KEY: 'sk-test-dummy',
        ANTHROPIC_BASE_URL: env.anthropicBaseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-test-dummy',
        ...(env.geminiBaseUrl !== undefined
          ? { GEMINI_BASE_URL: env.geminiBaseUrl, GOOGLE_GENERATIVE_AI_API_KEY: 'AIza-test-dummy' }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
