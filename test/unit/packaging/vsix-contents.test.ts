// What `npm run package` puts into the vsix: what the installed extension reads, nothing else.
// vsce lists the files of a mirror of this checkout (same paths, empty files; package.json and
// .vscodeignore copied) plus every file the build writes, so the check needs no build and sees the
// same stray folders (a demo store, bench output) a working copy has.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
// Contents matter only for these; every other mirrored file is empty.
const COPIED = ['package.json', '.vscodeignore', 'README.md'];
// Written by `npm run build` (esbuild.mjs), listed whether or not this checkout is built.
const BUILD_OUTPUTS = [
  'dist/extension.js',
  'dist/extension.js.map',
  'dist/cli.js',
  'dist/cli.js.map',
  'dist/test/integration/index.js',
  'dist/test/integration/index.js.map',
  'dist/webview/main.js',
  'dist/webview/main.js.map',
  'dist/webview/main.css',
  'dist/webview/main.css.map',
  'dist/webview/codicons/codicon.css',
  'dist/webview/codicons/codicon.ttf',
];
// Too big to mirror and never wanted in the vsix: one stand-in file each.
const STAND_INS: Record<string, string> = {
  '.git': 'HEAD',
  node_modules: 'openai/index.js',
  '.vscode-test': 'cs/package.json',
};

function mirrorTree(from: string, to: string, rel = ''): void {
  for (const name of readdirSync(path.join(from, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(from, r));
    if (st.isSymbolicLink()) continue;
    if (!rel && name in STAND_INS) touch(to, `${name}/${STAND_INS[name]}`);
    else if (st.isDirectory()) mirrorTree(from, to, r);
    else if (COPIED.includes(r)) copyFileSync(path.join(from, r), path.join(to, r));
    else touch(to, r);
  }
}

function touch(root: string, rel: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  if (!existsSync(path.join(root, rel))) writeFileSync(path.join(root, rel), '');
}

/** Paths (relative, forward slashes) the manifest points at: main, icon, contributed icons. */
function manifestFiles(manifest: { main: string; icon: string; contributes: unknown }): string[] {
  const found = new Set([manifest.main, manifest.icon].map((p) => path.posix.normalize(p)));
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^(\.\/)?(media|dist)\/[\w./-]+\.\w+$/.test(v)) found.add(path.posix.normalize(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(manifest.contributes);
  return [...found];
}

/** Optional packages the bundled libraries try to load inside try/catch and do without: esbuild
 *  leaves those require calls in place, and the extension runs without them. */
const OPTIONAL_REQUIRES: Record<string, string> = {
  bufferutil: 'ws (under @google/genai) uses it to mask frames faster when it is installed',
  'utf-8-validate': 'ws (under @google/genai) uses it to validate frames faster when it is installed',
  '@aws-sdk/signature-v4-crt': 'not a call: the AWS SDK names it in the text of its SigV4a error message',
};

describe('vsix contents (.vscodeignore)', () => {
  let dir: string;
  let files: string[];

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vsix-ls-'));
    mirrorTree(ROOT, dir);
    for (const f of BUILD_OUTPUTS) touch(dir, f);
    // A stray folder a later change might add at the top level: the allowlist must keep it out.
    touch(dir, 'examples/sample-app/app.ts');
    const out = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: dir, encoding: 'utf8' });
    files = out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the extension bundle, the webview bundle and codicons, the icons, package.json, README and LICENSE', () => {
    const required = [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/extension.js',
      'dist/webview/main.js',
      'dist/webview/main.css',
      'dist/webview/codicons/codicon.css',
      'dist/webview/codicons/codicon.ttf',
      'media/icon.png',
      'media/trace-replay.svg',
    ];
    assert.deepEqual(
      required.filter((f) => !files.includes(f)),
      [],
    );
  });

  it('has every file package.json points at (main, icon, contributed icons)', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Parameters<
      typeof manifestFiles
    >[0];
    const referenced = manifestFiles(manifest);
    assert.ok(
      referenced.includes('dist/extension.js') && referenced.includes('media/trace-replay.svg'),
      `found ${referenced.join(', ')}`,
    );
    assert.deepEqual(
      referenced.filter((f) => !files.includes(f)),
      [],
    );
  });

  it('has no sources, tests, tooling, node_modules, source maps, CLI bundle or local stores', () => {
    const unwanted = files.filter(
      (f) =>
        /^(src|test|webview|bench|scripts|examples|docs|node_modules|\.vscode-test|\.vscode|\.git|\.ci|dist\/test)\//.test(
          f,
        ) ||
        /^\.trace-replay/.test(f) ||
        /\.(ts|map|mjs|cjs|vsix)$/.test(f) ||
        [
          'dist/cli.js',
          'package-lock.json',
          'tsconfig.json',
          'esbuild.mjs',
          'eslint.config.mjs',
          '.mocharc.json',
          '.gitignore',
        ].includes(f),
    );
    assert.deepEqual(unwanted, []);
  });

  it('the built extension bundle requires nothing but Node built-ins and vscode (so --no-dependencies is safe)', function () {
    const bundle = path.join(ROOT, 'dist/extension.js');
    if (!existsSync(bundle)) this.skip(); // unbuilt checkout; `npm test` in CI runs after the build
    const builtins = new Set(builtinModules);
    // A require call esbuild left in place, not one inside generated-code strings (ajv's standalone
    // templates contain the text `require("ajv/dist/runtime/...")`, preceded by a quote or backtick).
    const external = [...readFileSync(bundle, 'utf8').matchAll(/(?<![`'"])\brequire\("([^"]+)"\)/g)]
      .map((m) => m[1])
      .filter(
        (name) =>
          name !== 'vscode' && !builtins.has(name.replace(/^node:/, '').split('/')[0]) && !(name in OPTIONAL_REQUIRES),
      );
    assert.deepEqual([...new Set(external)], []);
  });
});
