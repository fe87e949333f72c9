// Loaded by VS Code's extension host through extensionTestsPath (code-server: the workbench URL
// payload, see test/e2e/run-host-tests.mjs). VS Code calls run(): resolve = pass, reject = fail.
// esbuild bundles mocha and the spec files into dist/test/integration/index.js.
import * as fs from 'node:fs';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  // Expose describe/it/before... as globals before the bundled spec files are evaluated.
  mocha.suite.emit('pre-require', globalThis, 'trace-replay-integration', mocha);
  // TRACE_REPLAY_TEST_GREP=<title part> (set for the runner, inherited by the extension host) runs only those tests;
  // it is a regular expression, so a title's ( ) . ? need a backslash.
  if (process.env.TRACE_REPLAY_TEST_GREP) mocha.grep(process.env.TRACE_REPLAY_TEST_GREP);
  // Dynamic imports so they run after pre-require (static imports would be hoisted above it).
  await import('./activation.test');
  await import('./listening.test'); // needs the empty store: before any import
  await import('./import.test');
  await import('./other-process.test');
  await import('./receiver.test');
  await import('./replay-manifest.test');
  await import('./replay.test');
  await import('./notifications.test');
  await import('./template-replay.test');
  await import('./replay-wizard.test');
  await import('./replay-samples.test');
  await import('./replay-from-span.test');
  await import('./live-tools.test'); // writes .vscode/mcp.json of the test workspace, deleted at its end
  await import('./panels.test');
  await import('./views.test');
  await import('./traces-filter.test');
  await import('./langfuse-source.test'); // switches back to the local store when done
  await import('./langfuse-prompt-connections.test'); // likewise
  await import('./langfuse-replay-pick.test'); // likewise
  await import('./langfuse-scores.test'); // likewise
  await import('./phoenix-source.test'); // likewise
  await import('./replay-refusals.test');
  await import('./queue-workers.test'); // a real redis-server and a worker in this process
  await import('./tree-paging.test'); // last: it fills the store past one page
  // TRACE_REPLAY_TEST_REVERSE=1 runs the tests of each suite in reverse order (suites keep theirs), to
  // find a test that relies on an earlier one; meant with a grep for one suite.
  if (process.env.TRACE_REPLAY_TEST_REVERSE) reverseTests(mocha.suite);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const total = runner.total; // the tests that ran (only the matching ones with a grep)
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

function reverseTests(suite: Mocha.Suite): void {
  suite.tests.reverse();
  for (const child of suite.suites) reverseTests(child);
}
