// The untrusted-workspace suite: loaded by VS Code's extension host through extensionTestsPath when
// test/e2e/run-host-tests.mjs runs with --untrusted (workspace trust ON, the workspace a copy of
// test/integration-untrusted/workspace, not trusted). VS Code calls run(): resolve = pass, reject = fail.
// esbuild bundles mocha and the spec into dist/test/integration-untrusted/index.js.
import * as fs from 'node:fs';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  // Expose describe/it/before... as globals before the bundled spec file is evaluated.
  mocha.suite.emit('pre-require', globalThis, 'trace-replay-integration-untrusted', mocha);
  if (process.env.TRACE_REPLAY_TEST_GREP) mocha.grep(process.env.TRACE_REPLAY_TEST_GREP);
  // A dynamic import so it runs after pre-require (a static import would be hoisted above it).
  await import('./untrusted.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const total = runner.total;
      const line = `${total - failures} passed, ${failures} failed`;
      console.log(line);
      // The web workbench drops the extension host's exit code; leave the result for the runner.
      const out = process.env.TRACE_REPLAY_TEST_RESULT;
      if (out) fs.writeFileSync(out, JSON.stringify({ total, failures, line }) + '\n');
      if (failures) reject(new Error(line));
      else resolve();
    });
  });
}
