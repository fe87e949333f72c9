#!/usr/bin/env node
// `npm run demo`: the embedded default, offline, from a fresh clone. Installs dependencies if
// needed, builds the CLI, fills a fresh demo store with sample traces captured from real
// instrumentation (OpenTelemetry + Traceloop, OpenInference, Vercel AI SDK), lists them, shows one,
// replays it (real provider with a key, else the offline stand-in) and prints the comparison.
// Every step is a real CLI command you can rerun.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const store = path.join(root, '.trace-replay-demo');
const cli = path.join(root, 'dist', 'cli.js');

function step(title) {
  console.log(`\n=== ${title}`);
}
function run(cmd, args) {
  const shown = [path.relative(root, cmd) || cmd, ...args.map(a => (a.startsWith(root) ? path.relative(root, a) : a))].join(' ');
  console.log(`$ ${shown}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: "${shown}" failed (exit ${r.status}).`);
    process.exit(r.status || 1);
  }
}

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  step('Installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
step('Building the CLI and the extension (npm run build)');
run('npm', ['run', '-s', 'build']);

fs.rmSync(store, { recursive: true, force: true });
const fixtures = path.join(root, 'test', 'fixtures', 'otlp');
const samples = ['openinference-openai-agent', 'traceloop-anthropic-chain', 'vercel-ai-openai-single', 'vercel-ai-anthropic-stream'];
step('Importing sample traces recorded from real instrumented apps into a fresh local store');
run(cli, ['import', ...samples.map(s => path.join(fixtures, `${s}.json`)), '--store', store]);

step('Listing the traces');
run(cli, ['traces', '--store', store]);

const list = JSON.parse(execFileSync(cli, ['traces', '--store', store, '--json'], { cwd: root, encoding: 'utf8' }));
const agent = list.find(t => t.spanCount >= 4 && t.models.some(m => m.startsWith('gpt'))) || list[0];
step(`The span tree of trace ${agent.id}`);
run(cli, ['trace', agent.id, '--store', store]);

// Real providers when a key is set; otherwise the clearly labelled offline stand-in.
const model = process.env.OPENAI_API_KEY ? 'openai:gpt-4o-mini' : process.env.ANTHROPIC_API_KEY ? 'anthropic:claude-haiku-4-5' : 'offline:echo';
if (model === 'offline:echo') {
  console.log('\nNo OPENAI_API_KEY or ANTHROPIC_API_KEY: replaying with the built-in OFFLINE STAND-IN (offline:echo),');
  console.log('a deterministic echo, not a real model. Set a key to replay against a real provider.');
}
step(`Replaying it with ${model} and temperature 0.2`);
const replayed = spawnSync(cli, ['replay', agent.id, '--model', model, '--param', 'temperature=0.2', '--store', store, '--json'], { cwd: root, encoding: 'utf8' });
process.stderr.write(replayed.stderr);
const job = JSON.parse(replayed.stdout);
console.log(`replay ${job.id}: ${job.status}${job.error ? ` (${job.error})` : ''}`);

step('The comparison: metric deltas, the aligned span trees, the input/output diffs, the scores');
const report = path.join(store, 'report.html');
run(cli, ['compare', job.id, '--store', store, '--html', report]);
console.log(`\nThe same comparison as a self-contained HTML page (the VS Code panel's renderer): ${path.relative(root, report)}`);

console.log(`\nThe demo store is ${path.relative(root, store)}/. Try: node dist/cli.js compare ${job.id} --store ${path.relative(root, store)} --format md`);
