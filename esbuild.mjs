// Two kinds of bundles: node/cjs (extension, CLI, the in-VS-Code test suite) and browser (webview).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
// Required lazily (see the CLI build below); every package is also a dependency in package.json.
const CLI_LAZY_EXTERNALS = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/genai',
  '@aws-sdk/client-bedrock-runtime',
  '@smithy/fetch-http-handler',
  'gpt-tokenizer',
  'gpt-tokenizer/*',
  '@pydantic/genai-prices',
  'ajv',
  'ajv/*',
  'protobufjs',
  '@modelcontextprotocol/sdk',
  '@modelcontextprotocol/sdk/*',
];
// BullMQ 6 can also run on Valkey GLIDE or PostgreSQL, which it loads lazily with require() when that
// backend is chosen. Trace Replay runs it on Redis (ioredis) only, so those two resolve to a module that
// says so if ever reached, and the bundles require nothing that is not shipped.
const bullmqUnusedBackends = {
  name: 'bullmq-unused-backends',
  setup(build) {
    build.onResolve({ filter: /^(@valkey\/valkey-glide|pg)$/ }, (args) => ({
      path: args.path,
      namespace: 'unused-backend',
    }));
    build.onLoad({ filter: /.*/, namespace: 'unused-backend' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled: Trace Replay runs BullMQ on Redis (ioredis) only.`)});`,
      loader: 'js',
    }));
  },
};
const node = {
  bundle: true,
  platform: 'node',
  plugins: [bullmqUnusedBackends],
  // jsonc-parser's `main` is a UMD build whose inner require()s esbuild cannot follow: its ES module build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  logLevel: 'warning',
};
const builds = [
  // Minified (names kept, source map beside it): half the size to load at activation and to ship.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', minify: true, keepNames: true },
  // The CLI runs from a checkout or an npm install, next to node_modules: the heavy libraries it
  // loads only on first use (src/core/**/*-sdk.ts, ajv-modules.ts, ...) stay outside the bundle, and
  // the rest is minified (names kept, source map beside it), so `trace-replay --help` reads and
  // compiles ~0.5 MB instead of ~10 MB.
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    minify: true,
    keepNames: true,
    banner: { js: '#!/usr/bin/env node' },
    external: [...node.external, ...CLI_LAZY_EXTERNALS],
  },
  // mocha is bundled into the suite so the extension host needs no node_modules lookups.
  {
    ...node,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'dist/test/integration/index.js',
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
  // The untrusted-workspace suite (run-host-tests.mjs --untrusted), bundled the same way.
  {
    ...node,
    entryPoints: ['test/integration-untrusted/index.ts'],
    outfile: 'dist/test/integration-untrusted/index.js',
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
  },
].filter((b) => b.entryPoints.every((e) => fs.existsSync(e)));

// The panels (and the HTML report) look for codicons in dist/webview/codicons first: the vsix
// ships no node_modules, and a webview may only read its localResourceRoots.
function copyCodicons() {
  const from = 'node_modules/@vscode/codicons/dist';
  fs.mkdirSync('dist/webview/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`${from}/${f}`, `dist/webview/codicons/${f}`);
}
copyCodicons();

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
