#!/usr/bin/env node
// `npm run demo`: the embedded default, from a fresh clone, offline when no API key is set.
// Installs dependencies if needed, builds the CLI, then:
//   1. starts the OTLP receiver on a fresh demo store,
//   2. runs the instrumented sample app examples/support-bot (OpenTelemetry + OpenInference) against it:
//      a chat call from a prompt template, a chain, an agent with a tool call; with no OPENAI_API_KEY
//      the app talks to a local OFFLINE STAND-IN of the OpenAI API started here,
//   3. lists the traces and shows one span tree,
//   4. replays all three with a model and parameter override (the real provider with a key, else the
//      built-in offline:echo stand-in), and the chat call with version 2 of its prompt template,
//   5. prints the comparisons (metric deltas, span tree, diffs, scores) and writes them as HTML reports.
// Every step is printed as the real command, so each can be rerun by hand.
//
// Options: --store DIR (or TRACE_REPLAY_DEMO_STORE; default .trace-replay-demo) — emptied first.
// DEMO_SKIP_BUILD=1 skips `npm run build` when dist/ is known to be fresh (the demo test builds once).
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const app = path.join(root, 'examples', 'support-bot');
const templateV2 = path.join(app, 'prompts', 'support-reply.v2.txt');
const FLOWS = ['support-chat', 'ticket-summary-chain', 'order-status-agent'];
/** Sent to the offline stand-in, which only checks that some key is present; not a secret. */
const STAND_IN_KEY = 'offline-stand-in-no-key';

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

class DemoError extends Error {}

function storeDir() {
  const i = process.argv.indexOf('--store');
  if (i >= 0 && !process.argv[i + 1]) throw new DemoError('--store needs a folder.');
  return path.resolve(
    root,
    (i >= 0 && process.argv[i + 1]) || process.env.TRACE_REPLAY_DEMO_STORE || '.trace-replay-demo',
  );
}

function shown(p) {
  const rel = path.relative(root, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function commandLine(cmd, args, env = {}) {
  const parts = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd === process.execPath ? 'node' : cmd, ...args];
  return parts.map((a) => (path.isAbsolute(a) ? shown(a) : a)).join(' ');
}

function step(title) {
  console.log(`\n=== ${title}`);
}

/** Runs one command to completion with its output shown; a failure ends the demo. */
function run(cmd, args) {
  console.log(`$ ${commandLine(cmd, args)}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new DemoError(`"${commandLine(cmd, args)}" failed (exit ${r.status}).`);
}

function cliJson(args) {
  return JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], { cwd: root, encoding: 'utf8' }));
}

/** Starts a long-running command, echoes its output with a prefix, and resolves with the first
 *  line `ready` recognises (the receiver's address, the stand-in's URL). */
function startBackground(label, cmd, args, ready) {
  console.log(`$ ${commandLine(cmd, args)} &`);
  const child = spawn(cmd, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  readline.createInterface({ input: child.stderr }).on('line', (line) => console.log(`  ${label} | ${line}`));
  const lines = readline.createInterface({ input: child.stdout });
  const found = new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      console.log(`  ${label} | ${line}`);
      const value = ready(line);
      if (value !== undefined) resolve(value);
    });
    void exited.then((code) => reject(new DemoError(`${label} exited (code ${code}) before it was ready.`)));
  });
  /** Signals the process and waits until it has exited; resolves with its exit code. */
  const stop = (signal) => {
    child.kill(signal);
    return exited;
  };
  return { found, stop };
}

function runApp(env) {
  const args = ['--import', 'tsx', path.join(app, 'main.ts')];
  console.log(`$ ${commandLine(process.execPath, args, env)}`);
  // The app's OpenAI and OpenTelemetry settings are exactly the ones shown above, whatever the
  // demo's own environment holds.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OPENAI_|OTEL_)/.test(k)));
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...inherited, ...env } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new DemoError(`the sample app failed (exit ${code}).`)),
    );
  });
}

function replayModel() {
  if (process.env.OPENAI_API_KEY)
    return { model: 'openai:gpt-4.1-mini', templateModel: 'openai:gpt-4o-mini', real: true };
  if (process.env.ANTHROPIC_API_KEY)
    return { model: 'anthropic:claude-haiku-4-5', templateModel: 'anthropic:claude-haiku-4-5', real: true };
  return { model: 'offline:echo', templateModel: 'offline:echo', real: false };
}

function latestJob(store, traceId, predicate) {
  const job = cliJson(['replays', '--trace', traceId, '--store', store]).find(predicate);
  if (!job) throw new DemoError(`no replay of trace ${traceId} was recorded.`);
  return job;
}

async function main() {
  const store = storeDir();
  if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
    step('Installing dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (process.env.DEMO_SKIP_BUILD === '1') console.log('\n(DEMO_SKIP_BUILD=1: using the existing dist/ build)');
  else {
    step('Building the CLI and the extension');
    run('npm', ['run', '-s', 'build']);
  }
  fs.rmSync(store, { recursive: true, force: true });

  step(`Starting the OTLP receiver on a fresh store (${shown(store)})`);
  const receiver = startBackground(
    'receiver',
    process.execPath,
    [cli, 'receive', '--port', '0', '--store', store],
    (line) => /^OTLP\/HTTP receiver listening: (http:\/\/\S+)\/v1\/traces$/.exec(line)?.[1],
  );
  const otlpEndpoint = await receiver.found;

  const appEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint };
  let standIn;
  if (process.env.OPENAI_API_KEY) {
    step('Running the sample app examples/support-bot against the real OpenAI API (OPENAI_API_KEY is set)');
    appEnv.OPENAI_API_KEY = process.env.OPENAI_API_KEY;
    if (process.env.OPENAI_BASE_URL) appEnv.OPENAI_BASE_URL = process.env.OPENAI_BASE_URL;
  } else {
    step('Starting the OFFLINE STAND-IN for the OpenAI API (no OPENAI_API_KEY)');
    console.log('It is not a model: a local OpenAI-compatible server on 127.0.0.1 with fixed, deterministic answers,');
    console.log('so the sample app runs with no key and no network. The traces record the model the app asks for');
    console.log(
      "(gpt-4o-mini by default), but the answers are the stand-in's. Set OPENAI_API_KEY to record real calls.",
    );
    standIn = startBackground(
      'offline stand-in',
      process.execPath,
      ['--import', 'tsx', path.join(app, 'offline-stand-in.ts')],
      (line) => /^READY (\S+)$/.exec(line)?.[1],
    );
    appEnv.OPENAI_BASE_URL = await standIn.found;
    appEnv.OPENAI_API_KEY = STAND_IN_KEY;
    step('Running the sample app examples/support-bot against the offline stand-in');
  }
  try {
    await runApp(appEnv);
  } finally {
    if (standIn) await standIn.stop('SIGTERM');
  }

  // The exporter waits for each request's answer and the receiver answers once the spans are
  // stored, so when the app has exited every span is in. Stopping the receiver closes the store.
  step('Stopping the receiver (Ctrl+C) once the app has exited and its spans are stored');
  const code = await receiver.stop('SIGINT');
  if (code !== 0) throw new DemoError(`the receiver exited with code ${code}.`);

  step('The recorded traces');
  run(process.execPath, [cli, 'traces', '--store', store]);
  const traces = cliJson(['traces', '--store', store]);
  const byName = new Map(traces.map((t) => [t.name, t]));
  const missing = FLOWS.filter((name) => !byName.has(name));
  if (missing.length)
    throw new DemoError(`the store lacks the trace(s) ${missing.join(', ')}; see the app's output above.`);
  const agent = byName.get('order-status-agent');
  const chat = byName.get('support-chat');

  step(`The span tree of the agent's trace: an LLM call asks for lookup_order, the tool runs, a second call answers`);
  run(process.execPath, [cli, 'trace', agent.id, '--store', store]);

  const { model, templateModel, real } = replayModel();
  if (real) console.log(`\nReplaying against the real provider: ${model}.`);
  else {
    console.log('\nNo OPENAI_API_KEY or ANTHROPIC_API_KEY: replays use the built-in OFFLINE STAND-IN offline:echo,');
    console.log(
      'a deterministic echo of the last user message, not a real model. Set a key to replay with a real provider.',
    );
  }

  step(`Replaying all ${traces.length} traces with ${model}, temperature 0.2, max_tokens 300 (the batch aggregate)`);
  run(process.execPath, [
    cli,
    'batch',
    '--model',
    model,
    '--param',
    'temperature=0.2',
    '--param',
    'max_tokens=300',
    '--store',
    store,
  ]);
  const modelJob = latestJob(store, agent.id, (j) => j.overrides.model === model && !j.overrides.templatePath);
  const modelReport = path.join(store, 'report.html');

  step(`The agent's comparison: metric deltas, aligned span tree, input/output diffs, scores`);
  run(process.execPath, [cli, 'compare', modelJob.id, '--store', store, '--html', modelReport]);

  step(`Replaying the chat call with version 2 of its prompt template (${shown(templateV2)})`);
  run(process.execPath, [cli, 'replay', chat.id, '--template', templateV2, '--model', templateModel, '--store', store]);
  const templateJob = latestJob(store, chat.id, (j) => j.overrides.templatePath !== undefined);
  const templateReport = path.join(store, 'report-prompt-v2.html');

  step('The prompt-version comparison: the prompt diff, the answers, the scores');
  run(process.execPath, [cli, 'compare', templateJob.id, '--store', store, '--html', templateReport]);

  step('Done');
  console.log(`HTML reports (self-contained, the VS Code panel's renderer):`);
  const width = shown(templateReport).length + 2;
  console.log(`  ${shown(modelReport).padEnd(width)}${model} + parameters, the agent trace`);
  console.log(`  ${shown(templateReport).padEnd(width)}prompt support-reply v1 -> v2, the chat trace`);
  console.log(`The demo store is ${shown(store)}/ (open it in VS Code with the setting traceReplay.storePath). Try:`);
  console.log(`  node dist/cli.js compare ${modelJob.id} --store ${shown(store)} --format md`);
  console.log(`  node dist/cli.js replay ${agent.id} --model offline:echo --mode chained --store ${shown(store)}`);
}

main().catch((err) => {
  console.error(`\ndemo: ${err instanceof DemoError ? err.message : err && err.stack}`);
  process.exit(1);
});
