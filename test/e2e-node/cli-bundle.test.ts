// The built CLI (dist/cli.js, what `trace-replay` runs after `npm run build` or an npm install):
// its version is package.json's, inlined at build time, and it starts without the sources.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBuiltDist, ROOT } from './built-dist';

const CLI = path.join(ROOT, 'dist/cli.js');

describe('the built CLI bundle (dist/cli.js)', () => {
  before(() => ensureBuiltDist());

  it('--version prints the version in package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = spawnSync(process.execPath, [CLI, '--version'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('carries the version only, not the rest of package.json', () => {
    const bundle = readFileSync(CLI, 'utf8');
    assert.ok(!bundle.includes('galleryBanner'), 'the manifest is not bundled');
  });
});
