#!/usr/bin/env node
// `npm run package`: build, then pack the extension into dist/trace-replay-<version>.vsix with
// @vscode/vsce, and print its size and what is inside.
//
//   node scripts/package.cjs [--skip-build] [--out <file.vsix>]
//
// The vsce flags, and why:
//   --no-dependencies            esbuild bundles every runtime dependency into dist/extension.js,
//                                so no node_modules go in (.vscodeignore is an allowlist too).
//   --allow-missing-repository   the project has no public repository yet; without the flag vsce
//                                stops at a y/N prompt.
//   --no-rewrite-relative-links  README images are relative (docs/images/...). vsce can only make
//                                them absolute with a repository or a --baseImagesUrl, and there is
//                                no public URL to point at; the links stay as they are (VS Code's
//                                extension page shows their alt text) instead of pointing nowhere.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function parseArgs(argv) {
  const opts = { build: true, out: path.join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--skip-build') opts.build = false;
    else if (argv[i] === '--out' && argv[i + 1]) opts.out = path.resolve(argv[++i]);
    else {
      console.error(
        `package: unknown argument "${argv[i]}" (usage: node scripts/package.cjs [--skip-build] [--out <file.vsix>])`,
      );
      process.exit(2);
    }
  }
  return opts;
}

function run(cmd, args, shown) {
  console.log(`$ ${shown}`);
  // stdin closed: a vsce y/N prompt (missing LICENSE, repository...) aborts instead of hanging CI.
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`package: "${shown}" failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

const opts = parseArgs(process.argv.slice(2));
if (opts.build) run('npm', ['run', '-s', 'build'], 'npm run -s build');
fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.rmSync(opts.out, { force: true });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const flags = [
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
  '--out',
  opts.out,
];
run(
  process.execPath,
  [vsce, ...flags],
  `vsce ${flags.map((f) => (f === opts.out ? path.relative(root, f) : f)).join(' ')}`,
);

// What went in, as vsce itself lists it (the same file selection as `package`).
const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (listed.status !== 0) process.exit(listed.status || 1);
const files = listed.stdout
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const bytes = fs.statSync(opts.out).size;
console.log(
  `\n${path.relative(root, opts.out)}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes), ${files.length} files:`,
);
for (const f of files.sort()) console.log(`  ${f}`);
console.log(`Install it with: code --install-extension ${path.relative(root, opts.out)}`);
