// The e2e-node tier runs what a user runs: the built bundles in dist/. A run on its own may find
// them missing or older than the sources; then it builds them first (`npm run build`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Newest modification time of the files below `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  const built = ['dist/cli.js', 'dist/webview/main.js'].map((f) => path.join(ROOT, f));
  if (!built.every(existsSync)) return false;
  const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const inputs = ['esbuild.mjs', 'package.json'].map((f) => statSync(path.join(ROOT, f)).mtimeMs);
  const newestSource = Math.max(
    newestMtime(path.join(ROOT, 'src')),
    newestMtime(path.join(ROOT, 'webview')),
    ...inputs,
  );
  return oldestBuilt >= newestSource;
}

/** Builds dist/ unless it is newer than every source (package.json too: the CLI bundles its version). */
export function ensureBuiltDist(): void {
  if (distIsFresh()) return;
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stderr}`);
}
