// One Playwright stage (ui.mjs, ui-*.mjs, vsix-smoke.mjs) from start to exit: the fake LLM server if the
// stage wants it, the stage's own setup (fake platforms...), code-server with an isolated profile and the
// workspace settings, headless chromium, the workbench, the stage's steps (workbench.mjs: a failure
// screenshot, the rest skipped), then everything closed whatever failed, the extension host's logs kept
// when something failed, and the line run-all.sh counts: "<name>: N passed, M failed" (exit 1 on a failure).
import fs from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { startCodeServer, openWorkbench, launchBrowser, PROJECT_ROOT } from './codeserver.mjs';
import { driveWorkbench } from './workbench.mjs';

/**
 * Runs one stage and exits the process. `t`, the stage's context, is passed to each hook; setup may add
 * to it (t.langfuse = ...). After code-server is up it holds cs, writeSettings(extra), fakeLlm (with
 * `fakeLlm: true`), mark(key) for the timings line, and, once the browser is up, page, ctx and every
 * helper of driveWorkbench (step, shot, runCommand...).
 *
 * @param {object} o
 * @param {string} o.name  the count line's label; code-server's log goes to .vscode-test/run-<name>
 * @param {boolean} [o.fakeLlm]  start the loopback fake LLM server first (t.fakeLlm), closed last
 * @param {(t) => Promise<void>} [o.setup]  before code-server starts (fake servers, free ports, checks)
 * @param {object | ((t) => object)} [o.codeServer]  more options of startCodeServer (env, settings, vsix)
 * @param {(t) => object} [o.workspaceSettings]  the workspace's .vscode/settings.json (t.writeSettings adds to it)
 * @param {{ width: number, height: number }} [o.viewport]  the browser window (launchBrowser's default: 1400x900)
 * @param {boolean} [o.clipboard]  let the workbench read and write the browser's clipboard
 * @param {string | null} [o.extensionDevelopmentPath]  the extension under development (null: an installed one)
 * @param {(t) => Promise<void>} [o.beforeOpen]  steps before the workbench page opens
 * @param {(t) => Promise<void>} o.tests  the steps (t.step(name, fn))
 * @param {(t) => Promise<string[] | void>} [o.teardown]  after the browser and code-server closed; what it
 *   returns are failures (each printed as "FAIL - ..." and counted)
 */
export async function runStage({
  name,
  fakeLlm = false,
  setup,
  codeServer = {},
  workspaceSettings = () => ({}),
  viewport,
  clipboard = false,
  extensionDevelopmentPath = PROJECT_ROOT,
  beforeOpen,
  tests,
  teardown,
}) {
  const runDir = path.join(PROJECT_ROOT, '.vscode-test', `run-${name}`);
  const shots = path.resolve(process.env.SHOTS_DIR || path.join(PROJECT_ROOT, '.vscode-test/shots'));
  const counts = { passed: 0, failed: 0 };
  const fail = (what, e) => {
    counts.failed++;
    console.log(`FAIL - ${what}:`, e instanceof Error ? e.message : String(e));
  };
  const t0 = Date.now();
  const timings = {};
  const failedRequests = new Set();
  const t = {
    mark: (key) => {
      timings[key] = Date.now() - t0;
    },
  };
  try {
    if (fakeLlm) {
      const { startFakeLlmServer } = await tsImport('../support/fake-llm/fake-llm-server.ts', import.meta.url);
      t.fakeLlm = await startFakeLlmServer();
    }
    if (setup) await setup(t);
    const options = typeof codeServer === 'function' ? codeServer(t) : codeServer;
    t.cs = await startCodeServer({ runDir, ...options });
    t.mark('codeServerUp');
    const settings = workspaceSettings(t);
    fs.mkdirSync(path.join(t.cs.workspace, '.vscode'), { recursive: true });
    t.writeSettings = (extra = {}) =>
      fs.writeFileSync(
        path.join(t.cs.workspace, '.vscode/settings.json'),
        JSON.stringify({ ...settings, ...extra }, null, 2),
      );
    t.writeSettings();
    t.ctx = await launchBrowser(runDir, viewport ? { viewport } : {});
    t.mark('browserUp');
    if (clipboard)
      await t.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(t.cs.url).origin });
    const page = t.ctx.pages()[0] || (await t.ctx.newPage());
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    page.on('requestfailed', (r) => failedRequests.add(`${r.failure()?.errorText} ${r.url().slice(0, 120)}`));
    Object.assign(t, { page }, driveWorkbench(page, shots, { counts, writeSettings: t.writeSettings }));
    if (beforeOpen) await beforeOpen(t);
    await openWorkbench(page, t.cs, {
      folder: t.cs.workspace,
      ...(extensionDevelopmentPath ? { extensionDevelopmentPath } : {}),
    });
    await tests(t);
  } catch (e) {
    fail('harness', e); // outside any step: the workbench did not open, the browser died...
  } finally {
    t.mark('done');
    await t.ctx?.close().catch(() => {});
    // The extension host's log (activation errors) lives in the profile that stop() deletes.
    if (t.cs && counts.failed)
      try {
        fs.cpSync(path.join(t.cs.base, 'user-data/logs'), path.join(runDir, 'logs'), { recursive: true });
      } catch (e) {
        console.log('  (the extension host logs could not be kept:', e.message + ')');
      }
    await t.cs?.stop();
    if (teardown) {
      try {
        for (const failure of (await teardown(t)) || []) {
          counts.failed++;
          console.log(`FAIL - ${failure}`);
        }
      } catch (e) {
        fail('teardown', e);
      }
    }
    await t.fakeLlm?.close();
  }
  console.log('timings (ms since start):', JSON.stringify(timings));
  if (failedRequests.size) console.log('failed browser requests:', JSON.stringify([...failedRequests], null, 1));
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed ? 1 : 0);
}
