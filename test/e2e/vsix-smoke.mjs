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
import { freePort, PROJECT_ROOT } from './codeserver.mjs';
import { runStage } from './stage-harness.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
const vsix = path.resolve(
  process.argv[2] || path.join(PROJECT_ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`),
);
// One request body of a real instrumented app's run (Traceloop + OpenAI SDK, agent with a tool call).
const [otlpBody] = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/otlp/traceloop-openai-agent.json'), 'utf8'),
);

await runStage({
  name: 'vsix',
  async setup(t) {
    if (!fs.existsSync(vsix))
      throw new Error(`${path.relative(PROJECT_ROOT, vsix)} is missing; run \`npm run package\` first`);
    console.log(`  ${path.relative(PROJECT_ROOT, vsix)}: ${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB`);
    t.receiverPort = await freePort();
  },
  codeServer: { vsix },
  workspaceSettings: (t) => ({ 'traceReplay.receiver.port': t.receiverPort }),
  extensionDevelopmentPath: null, // the installed one
  async beforeOpen(t) {
    await t.step('the vsix is installed in the extensions folder, without node_modules', async () => {
      const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
      const dir = path.join(t.cs.base, 'extensions', id);
      for (const f of [manifest.main, 'package.json', 'dist/webview/main.js']) {
        if (!fs.existsSync(path.join(dir, f))) throw new Error(`${id}/${f} is not installed`);
      }
      if (fs.existsSync(path.join(dir, 'node_modules'))) throw new Error(`${id} has a node_modules folder`);
      if (fs.existsSync(path.join(dir, 'src'))) throw new Error(`${id} has its TypeScript sources`);
    });
  },
  async tests(t) {
    const { page, step, shot, runCommand, tracesTree, treeRow } = t;

    await step('the workbench shows the "Trace Replay" container, which opens on the Traces view', async () => {
      await t.openContainer();
      await tracesTree().or(t.welcome()).first().waitFor({ timeout: 30000 });
    });

    // The welcome view is declared in package.json and shows before activation; the receiver's
    // status bar item and the tree rows can only come from the activated extension.
    await step(
      'Command Palette "Trace Replay: Start OTLP Receiver" activates it and shows the receiver in the status bar',
      async () => {
        await runCommand('Trace Replay: Start OTLP Receiver');
        await page.locator('.statusbar-item', { hasText: `OTLP :${t.receiverPort}` }).waitFor({ timeout: 30000 });
      },
    );

    await step('an OTLP fixture POSTed to the receiver appears as a trace row with its spans', async () => {
      const res = await fetch(`http://127.0.0.1:${t.receiverPort}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpBody),
      });
      if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
      // The trace is named after its Traceloop workflow ("agent"), not its root span ("workflow").
      await treeRow('agent', 1).waitFor({ timeout: 20000 });
      await treeRow('agent', 1).locator('.monaco-tl-twistie').click();
      await treeRow('workflow', 2).waitFor({ timeout: 20000 });
      // LLM spans are labelled by step and model ("#1 gpt-4o-mini-2024-07-18").
      for (const span of ['#1 gpt-4o-mini\\S*', 'get_weather.tool'])
        await treeRow(span, 3).first().waitFor({ timeout: 20000 });
    });

    // The panels load dist/webview/* and the codicons copy from the installed folder.
    await step(
      'clicking the trace row opens the trace detail panel, painted, with the codicon font loaded',
      async () => {
        const frame = await t.openTracePanel('agent');
        await frame.locator('.codicon').first().waitFor();
        const fontLoaded = await frame.locator('body').evaluate(async () => {
          await document.fonts.ready;
          return [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'codicon' && f.status === 'loaded');
        });
        if (!fontLoaded) throw new Error('the codicon font did not load in the panel');
        await t.clearNotifications();
        await page.mouse.move(0, 0);
        await shot('vsix-01-installed-extension');
      },
    );
  },
});
