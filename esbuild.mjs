// Two kinds of bundles: node/cjs (extension, CLI, the in-VS-Code test suite) and browser (webview).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], sourcemap: true, logLevel: 'warning' };
const builds = [
  // Minified (names kept, source map beside it): half the size to load at activation and to ship.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', minify: true, keepNames: true },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // mocha is bundled into the suite so the extension host needs no node_modules lookups.
  { ...node, entryPoints: ['test/integration/index.ts'], outfile: 'dist/test/integration/index.js', logOverride: { 'require-resolve-not-external': 'silent' } },
  { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, logLevel: 'warning', entryPoints: ['webview/main.ts'], outfile: 'dist/webview/main.js' },
].filter(b => b.entryPoints.every(e => fs.existsSync(e)));

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
  await Promise.all(builds.map(b => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
