// Loaded by VS Code's extension host as extensionTestsPath (see bench/activation-bench.ts): reads how
// long Trace Replay's activation took in this fresh extension host and writes it to the file named
// by TRACE_REPLAY_BENCH_RESULT. Plain CommonJS so it needs no bundling.
/* global require, exports, performance, process */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host require()s this file */
const fs = require('node:fs');
const vscode = require('vscode');

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('trace-replay.trace-replay');
  if (!ext) throw new Error('extension trace-replay.trace-replay is not loaded');
  // onStartupFinished may already have activated it; otherwise this call includes loading the bundle.
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const api = await ext.activate();
  const callMs = performance.now() - t0;
  const result = { activationMs: api.activationMs, wasActive, activateCallMs: wasActive ? undefined : callMs };
  fs.writeFileSync(process.env.TRACE_REPLAY_BENCH_RESULT, JSON.stringify(result) + '\n');
};
