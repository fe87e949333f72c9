// Records test/fixtures/python/<library>-<scenario>[-<mode>].json: every OTLP/HTTP export (traces and
// logs, protobuf bytes kept exactly) that one run of test/apps/python/app.py sent, with the requests the
// app made to the fake LLM server. Needs Python with the instrumentation packages already installed
// (versions: test/fixtures/python/README.md); the interpreter per library is TR_PYTHON_<LIBRARY>
// (e.g. TR_PYTHON_OTEL_OPENAI), else TR_PYTHON, else python3.
// Usage: npx tsx scripts/record-python-fixtures.ts [library-filter]
import { errorMessage } from '../src/core/util/error-message';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENT_FINAL_TEXT, AGENT_TOOL_CALL, scriptFor, USAGE } from '../test/apps/app-matrix';
import { startFakeLlmServer, type FakeLlmServer, type FakeReply } from '../test/support/fake-llm/fake-llm-server';
import { startOtlpRawCaptureServer } from '../test/support/otlp-raw-capture';

type Provider = 'openai' | 'anthropic' | 'gemini';
type Scenario = 'single' | 'chain' | 'agent' | 'stream' | 'responses';

interface Library {
  provider: Provider;
  scenarios: Scenario[];
  /** Content modes: file suffix -> environment. Absent: one run in the library's default mode. */
  modes?: Record<string, Record<string, string>>;
}

const BASE: Scenario[] = ['single', 'chain', 'agent', 'stream'];

/** The official OTel GenAI instrumentations' content modes (opentelemetry-util-genai). */
const OTEL_MODES: Record<string, Record<string, string>> = {
  off: {},
  events: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' },
  'latest-span': {
    OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental',
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'span_only',
  },
  'latest-event': {
    OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental',
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'event_only',
  },
};

export const PYTHON_LIBRARIES: Record<string, Library> = {
  'otel-openai': { provider: 'openai', scenarios: BASE, modes: OTEL_MODES },
  'otel-google-genai': { provider: 'gemini', scenarios: BASE, modes: OTEL_MODES },
  'openinference-openai': { provider: 'openai', scenarios: [...BASE, 'responses'] },
  'openinference-anthropic': { provider: 'anthropic', scenarios: BASE },
  'openinference-google-genai': { provider: 'gemini', scenarios: BASE },
  'traceloop-openai': { provider: 'openai', scenarios: [...BASE, 'responses'] },
  'traceloop-anthropic': { provider: 'anthropic', scenarios: BASE },
  'traceloop-google-genai': { provider: 'gemini', scenarios: BASE },
};

const GEMINI_MODEL = 'gemini-2.5-flash';

/** The JS apps' scripted replies (app-matrix.ts); Gemini gets the same texts, usage and tool call
 *  (without an id, as Gemini 2.x sends none). */
function replies(provider: Provider, scenario: Scenario): FakeReply[] {
  if (provider !== 'gemini')
    return scriptFor(provider === 'openai' ? 'traceloop-openai' : 'traceloop-anthropic', scenario);
  const first: FakeReply = { model: GEMINI_MODEL, usage: { ...USAGE.first } };
  const second: FakeReply = { model: GEMINI_MODEL, usage: { ...USAGE.second } };
  switch (scenario) {
    case 'chain':
      return [
        { ...first, text: 'The sea sings softly to the shore.' },
        { ...second, text: 'La mer chante doucement au rivage.' },
      ];
    case 'agent':
      return [
        { ...first, toolCalls: [{ name: AGENT_TOOL_CALL.name, arguments: AGENT_TOOL_CALL.arguments }] },
        { ...second, text: AGENT_FINAL_TEXT },
      ];
    default:
      return [{ ...first, text: 'Red, yellow and blue.' }];
  }
}

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'test/apps/python/app.py');
const OUT_DIR = path.join(ROOT, 'test/fixtures/python');

function pythonFor(library: string): string {
  return process.env[`TR_PYTHON_${library.toUpperCase().replace(/-/g, '_')}`] ?? process.env.TR_PYTHON ?? 'python3';
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPython(python: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      cwd: path.dirname(APP),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
        ...env,
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

async function recordOne(
  llm: FakeLlmServer,
  library: string,
  lib: Library,
  scenario: Scenario,
  mode: string,
  modeEnv: Record<string, string>,
): Promise<string> {
  const sink = await startOtlpRawCaptureServer();
  llm.reset();
  const script = replies(lib.provider, scenario);
  llm.enqueue(script);
  let run: Run;
  try {
    run = await runPython(pythonFor(library), [APP, library, scenario], {
      ...modeEnv,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.tracesEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: sink.logsEndpoint,
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-test-dummy',
      ANTHROPIC_BASE_URL: llm.anthropicBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-test-dummy',
      GEMINI_BASE_URL: llm.geminiBaseUrl,
      GEMINI_API_KEY: 'gemini-test-dummy',
    });
  } finally {
    await sink.close();
  }
  const name = `${library}-${scenario}${lib.modes ? `-${mode}` : ''}`;
  const problems: string[] = [];
  if (run.code !== 0) problems.push(`exit ${run.code}`);
  problems.push(...sink.rejected);
  if (sink.exports.length === 0) problems.push('no OTLP export arrived');
  if (llm.requests.length !== script.length)
    problems.push(
      `${llm.requests.length} LLM requests, expected ${script.length} (${llm.requests.map((r) => r.api).join(', ')})`,
    );
  const versionLine = run.stdout.split('\n').find((l) => l.startsWith('VERSIONS '));
  if (versionLine === undefined) problems.push('the app printed no VERSIONS line');
  if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}\n${run.stderr}`);
  const fixture = {
    library,
    versions: JSON.parse(versionLine!.slice('VERSIONS '.length)) as Record<string, string>,
    scenario,
    mode,
    env: modeEnv,
    exports: sink.exports.map((e) => ({
      path: e.path,
      contentType: e.contentType,
      bodyBase64: e.body.toString('base64'),
    })),
    llmRequests: llm.requests.map((r) => ({ api: r.api, path: r.path, body: r.body as unknown })),
  };
  writeFileSync(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  const count = (p: string) => sink.exports.filter((e) => e.path === p).length;
  return `${name}: ${count('/v1/traces')} trace + ${count('/v1/logs')} log exports, ${llm.requests.length} LLM requests${run.stderr.trim() !== '' ? ` (stderr: ${run.stderr.trim().split('\n').slice(-1)[0]})` : ''}`;
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  mkdirSync(OUT_DIR, { recursive: true });
  const llm = await startFakeLlmServer();
  const failures: string[] = [];
  try {
    for (const [library, lib] of Object.entries(PYTHON_LIBRARIES)) {
      if (!library.includes(filter)) continue;
      for (const scenario of lib.scenarios) {
        for (const [mode, modeEnv] of Object.entries(lib.modes ?? { default: {} })) {
          try {
            process.stdout.write(`${await recordOne(llm, library, lib, scenario, mode, modeEnv)}\n`);
          } catch (err) {
            failures.push(errorMessage(err));
          }
        }
      }
    }
  } finally {
    await llm.close();
  }
  if (failures.length > 0) {
    process.stderr.write(`FAILED:\n${failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
