// The README is the user's manual: it must name every setting and every CLI command that exists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../../src/cli/main';

const ROOT = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};

describe('README', () => {
  it('shows the two commands a newcomer needs', () => {
    assert.match(readme, /npm run demo/);
    assert.match(readme, /npm test/);
  });

  it('documents every setting the extension declares', () => {
    const missing = Object.keys(manifest.contributes.configuration.properties).filter(
      (key) => !readme.includes(`\`${key}\``),
    );
    assert.deepEqual(missing, []);
  });

  it('documents every CLI command', () => {
    const missing = buildProgram()
      .commands.map((c) => c.name())
      .filter((name) => !readme.includes(`trace-replay ${name}`));
    assert.deepEqual(missing, []);
  });
});
