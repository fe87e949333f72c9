// Smoke test of the PACKAGED extension: the .vsix that `npm run package` wrote is installed into
// code-server's isolated extensions folder (no --extensionDevelopmentPath, no node_modules next
// to it), and the workbench must show it working: the Trace Replay container and its Traces view,
// "Trace Replay: Start OTLP Receiver" from the Command Palette, and a captured OTLP fixture POSTed
// to that receiver appearing as a trace row whose detail panel opens. This is what fails when the
// vsix misses a file the bundle or the panels need at runtime.
//
//   node test/e2e/vsix-smoke.mjs [path/to/extension.vsix]   (default: dist/<name>-<version>.vsix)
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer, openWorkbench, launchBrowser, freePort, PROJECT_ROOT } from './codeserver.mjs';
import { driveWorkbench } from './workbench.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
const vsix = path.resolve(
  process.argv[2] || path.join(PROJECT_ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`),
);
const runDir = path.join(PROJECT_ROOT, '.vscode-test/run-vsix');
const shots = path.resolve(process.env.SHOTS_DIR || path.join(PROJECT_ROOT, '.vscode-test/shots'));
// One request body of a real instrumented app's run (Traceloop + OpenAI SDK, agent with a tool call).
const [otlpBody] = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/otlp/traceloop-openai-agent.json'), 'utf8'),
);

let cs, ctx, wb;
const counts = { passed: 0, failed: 0 };
try {
  if (!fs.existsSync(vsix))
    throw new Error(`${path.relative(PROJECT_ROOT, vsix)} is missing; run \`npm run package\` first`);
  console.log(`  ${path.relative(PROJECT_ROOT, vsix)}: ${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB`);
  cs = await startCodeServer({ runDir, vsix });
  const receiverPort = await freePort();
  fs.mkdirSync(path.join(cs.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(cs.workspace, '.vscode/settings.json'),
    JSON.stringify({ 'traceReplay.receiver.port': receiverPort }, null, 2),
  );
  ctx = await launchBrowser(runDir);
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  wb = driveWorkbench(page, shots);
  const { step, shot, runCommand, activityButton, tracesTree } = wb;

  await step('the vsix is installed in the extensions folder, without node_modules', async () => {
    const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
    const dir = path.join(cs.base, 'extensions', id);
    for (const f of [manifest.main, 'package.json', 'dist/webview/main.js']) {
      if (!fs.existsSync(path.join(dir, f))) throw new Error(`${id}/${f} is not installed`);
    }
    if (fs.existsSync(path.join(dir, 'node_modules'))) throw new Error(`${id} has a node_modules folder`);
    if (fs.existsSync(path.join(dir, 'src'))) throw new Error(`${id} has its TypeScript sources`);
  });

  await openWorkbench(page, cs, { folder: cs.workspace });

  await step('the workbench shows the "Trace Replay" container, which opens on the Traces view', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await activityButton().waitFor({ timeout: 60000 });
    await activityButton().click();
    await tracesTree()
      .or(page.locator('.welcome-view-content', { hasText: 'No traces yet' }))
      .first()
      .waitFor({ timeout: 30000 });
  });

  // The welcome view is declared in package.json and shows before activation; the receiver's
  // status bar item and the tree rows can only come from the activated extension.
  await step(
    'Command Palette "Trace Replay: Start OTLP Receiver" activates it and shows the receiver in the status bar',
    async () => {
      await runCommand('Trace Replay: Start OTLP Receiver');
      await page.locator('.statusbar-item', { hasText: `OTLP :${receiverPort}` }).waitFor({ timeout: 30000 });
    },
  );

  await step('an OTLP fixture POSTed to the receiver appears as a trace row with its spans', async () => {
    const res = await fetch(`http://127.0.0.1:${receiverPort}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpBody),
    });
    if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
    const row = (level, name) =>
      tracesTree().locator(`.monaco-list-row[aria-level="${level}"]`, {
        has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
      });
    // The trace is named after its Traceloop workflow ("agent"), not its root span ("workflow").
    await row(1, 'agent').waitFor({ timeout: 20000 });
    await row(1, 'agent').locator('.monaco-tl-twistie').click();
    await row(2, 'workflow').waitFor({ timeout: 20000 });
    // LLM spans are labelled by step and model ("#1 gpt-4o-mini-2024-07-18").
    for (const span of ['#1 gpt-4o-mini\\S*', 'get_weather.tool'])
      await row(3, span).first().waitFor({ timeout: 20000 });
  });

  // The panels load dist/webview/* and the codicons copy from the installed folder.
  await step('clicking the trace row opens the trace detail panel, painted, with the codicon font loaded', async () => {
    await tracesTree().locator('.monaco-list-row[aria-level="1"]', { hasText: 'agent' }).locator('.label-name').click();
    await page.locator('.tab', { hasText: 'Trace: agent' }).waitFor({ timeout: 20000 });
    const frame = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    await frame.locator('body[data-panel="trace"][data-painted]').waitFor({ timeout: 30000 });
    await frame.locator('.codicon').first().waitFor();
    const fontLoaded = await frame.locator('body').evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'codicon' && f.status === 'loaded');
    });
    if (!fontLoaded) throw new Error('the codicon font did not load in the panel');
    await runCommand('Notifications: Clear All Notifications');
    await page.mouse.move(0, 0);
    await shot('vsix-01-installed-extension');
  });
} catch (e) {
  (wb
    ? wb.harnessFailed
    : (err) => {
        counts.failed++;
        console.log('FAIL - harness:', err.message);
      })(e);
} finally {
  await ctx?.close().catch(() => {});
  // The extension host's log (activation errors) lives in the profile that stop() deletes.
  if (cs && (counts.failed || wb?.counts.failed))
    fs.cpSync(path.join(cs.base, 'user-data/logs'), path.join(runDir, 'logs'), { recursive: true });
  await cs?.stop();
}
const passed = counts.passed + (wb?.counts.passed ?? 0),
  failed = counts.failed + (wb?.counts.failed ?? 0);
console.log(`vsix: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
