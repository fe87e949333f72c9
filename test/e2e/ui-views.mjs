// UI test of the Traces and Replays views and the diff editor (issue 12, items 3, 9 and 10), in
// code-server's workbench (headless chromium, playwright-core), at 1000 px:
// - the receiver listening on an empty store: the view lists the endpoints; a row's inline copy
//   button puts its address on the clipboard (read back through the browser's clipboard);
// - traces POSTed to the receiver: trace rows lead with the model, LLM span rows read "#1 <model>";
// - a click on one trace and then another leaves ONE preview tab; a double click pins it;
// - a replay whose first call answers with another tool call: "Open in Diff Editor" on its output
//   opens a tab titled by the call ("#1 gpt-4o-mini... · output: original ↔ replay") whose two sides
//   show the recorded and the replayed tool call.
// Screenshots (dark and light): views-01-listening, views-02-traces, views-03-preview, views-04-diff.
import fs from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { startCodeServer, openWorkbench, launchBrowser, freePort, PROJECT_ROOT } from './codeserver.mjs';
import { driveWorkbench } from './workbench.mjs';

const { startFakeLlmServer } = await tsImport('../support/fake-llm/fake-llm-server.ts', import.meta.url);

const runDir = path.join(PROJECT_ROOT, '.vscode-test/run-ui-views');
const shots = path.resolve(process.env.SHOTS_DIR || path.join(PROJECT_ROOT, '.vscode-test/shots'));
const fixtures = ['weather-agent.otlp.json', 'prompt-apps.otlp.json'].map((f) =>
  fs.readFileSync(path.join(PROJECT_ROOT, 'test/integration/fixtures', f), 'utf8'),
);

const fakeLlm = await startFakeLlmServer();
const cs = await startCodeServer({ runDir, env: { OPENAI_API_KEY: 'sk-ui-views-env-fallback' } });
const receiverPort = await freePort();
fs.mkdirSync(path.join(cs.workspace, '.vscode'), { recursive: true });
const settings = {
  'traceReplay.receiver.port': receiverPort,
  'traceReplay.providers.openai.baseUrl': fakeLlm.openaiBaseUrl,
};
const writeSettings = (extra) =>
  fs.writeFileSync(
    path.join(cs.workspace, '.vscode/settings.json'),
    JSON.stringify({ ...settings, ...extra }, null, 2),
  );
writeSettings({});
const ctx = await launchBrowser(runDir, { viewport: { width: 1000, height: 800 } });
// The copy button writes through navigator.clipboard; the test reads it back the same way.
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(cs.url).origin });
const page = ctx.pages()[0] || (await ctx.newPage());
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
const { step, shot, runCommand, activityButton, tracesTree, counts, harnessFailed } = driveWorkbench(page, shots);
const treeRow = (level, name) =>
  tracesTree().locator(`.monaco-list-row[aria-level="${level}"]`, {
    has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
  });
const traceTabs = () => page.locator('.tabs-container .tab', { hasText: /^Trace: / });

/** Dark and light shots of what is on screen now (the workspace setting switches the theme live;
 *  written each time: a theme only set at startup is not applied by the web workbench). */
const shotBothThemes = async (name) => {
  await page.mouse.move(0, 0); // no hover tooltips in the shots
  for (const [theme, cls] of [
    ['Default Light Modern', 'vs'],
    ['Default Dark Modern', 'vs-dark'],
  ]) {
    writeSettings({ 'workbench.colorTheme': theme });
    await page.locator(`.monaco-workbench.${cls}`).waitFor({ timeout: 10000 });
    await shot(`${name}-${cls === 'vs' ? 'light' : 'dark'}`);
  }
};

try {
  await openWorkbench(page, cs, { folder: cs.workspace, extensionDevelopmentPath: PROJECT_ROOT });

  await step('workbench loads; the Traces view opens on its welcome text', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await activityButton().waitFor({ timeout: 60000 });
    await activityButton().click();
    // A wider side bar (its sash dragged, as a user would) so the shots show whole rows.
    const sash = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(sash.x + sash.width, 300);
    await page.mouse.down();
    await page.mouse.move(sash.x + 420, 300, { steps: 5 });
    await page.mouse.up();
    await page.locator('.welcome-view-content', { hasText: 'No traces yet' }).waitFor({ timeout: 30000 });
  });

  const endpoint = `http://127.0.0.1:${receiverPort}/v1/traces`;
  await step(
    'the receiver listening on an empty store: the view shows the endpoints, the copy button copies one',
    async () => {
      await runCommand('Trace Replay: Start OTLP Receiver');
      await runCommand('Notifications: Clear All Notifications');
      for (const text of [
        `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${receiverPort}`,
        endpoint,
        `http://127.0.0.1:${receiverPort}/v1/logs`,
      ]) {
        await treeRow(1, text.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')).waitFor({ timeout: 20000 });
      }
      await page.locator('.welcome-view-content', { hasText: 'No traces yet' }).waitFor({ state: 'hidden' });
      const row = treeRow(1, endpoint.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&'));
      await row.hover();
      const copy = row.locator('.actions .action-label.codicon-copy');
      await copy.waitFor({ state: 'visible', timeout: 10000 });
      await page.evaluate(() => navigator.clipboard.writeText('before'));
      await copy.click();
      await page.waitForFunction(async (want) => (await navigator.clipboard.readText()) === want, endpoint, {
        timeout: 10000,
      });
      console.log('  listening rows:', JSON.stringify(await tracesTree().locator('.monaco-list-row').allInnerTexts()));
      await runCommand('Notifications: Clear All Notifications');
      await shotBothThemes('views-01-listening');
    },
  );

  await step(
    'traces POSTed to the receiver: trace rows lead with the model, the LLM span row reads "#1 <model>"',
    async () => {
      for (const body of fixtures) {
        const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
      }
      const weather = treeRow(1, 'weather-agent');
      await weather.waitFor({ timeout: 20000 });
      await treeRow(1, 'summarize-news').waitFor({ timeout: 20000 });
      const description = await weather.locator('.label-description').innerText();
      if (!description.startsWith('gpt-4o-mini'))
        throw new Error(`the trace row's description starts "${description}", not with the model`);
      await weather.locator('.monaco-tl-twistie').click();
      const llm = treeRow(3, '#1 gpt-4o-mini\\S*'); // trace > agent span > LLM span
      await llm.waitFor({ timeout: 20000 });
      const text = `${await llm.locator('.label-name').innerText()} | ${await llm.locator('.label-description').innerText()}`;
      if (!/^#1 gpt-4o-mini\S* \| 42→7 tok/.test(text)) throw new Error(`the LLM span row reads "${text}"`);
      console.log('  tree rows:', JSON.stringify(await tracesTree().locator('.monaco-list-row').allInnerTexts()));
      await shotBothThemes('views-02-traces');
    },
  );

  await step('a click on one trace and then on another leaves one preview tab; a double click pins it', async () => {
    await treeRow(1, 'weather-agent').locator('.label-name').click();
    await page.locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' }).waitFor({ timeout: 20000 });
    await treeRow(1, 'summarize-news').locator('.label-name').click();
    await page.locator('.tabs-container .tab', { hasText: 'Trace: summarize-news' }).waitFor({ timeout: 20000 });
    await page
      .locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' })
      .waitFor({ state: 'detached', timeout: 10000 });
    const n = await traceTabs().count();
    if (n !== 1)
      throw new Error(`${n} trace tabs after two clicks: ${JSON.stringify(await traceTabs().allInnerTexts())}`);
    await shotBothThemes('views-03-preview');
    // A double click keeps the panel: the next click opens a second one.
    await treeRow(1, 'summarize-news').locator('.label-name').dblclick();
    await treeRow(1, 'weather-agent').locator('.label-name').click();
    await page.locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' }).waitFor({ timeout: 20000 });
    const tabs = await traceTabs().allInnerTexts();
    if (tabs.length !== 2 || !tabs.some((t) => t.includes('summarize-news')))
      throw new Error(`trace tabs after the double click: ${JSON.stringify(tabs)}`);
  });

  await step(
    'a replay whose first call answers with another tool call: Open in Diff Editor names the call and shows both tool calls',
    async () => {
      await runCommand('View: Close All Editors');
      fakeLlm.enqueue({ toolCalls: [{ id: 'call_f', name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } }] });
      const widget = page.locator('.quick-input-widget');
      await page.keyboard.press('F1');
      await widget.locator('.quick-input-box input').fill('>Trace Replay: Replay Trace');
      await widget
        .locator('.monaco-list-row', { hasText: 'Trace Replay: Replay Trace' })
        .first()
        .waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await widget
        .locator('.monaco-list-row', { hasText: 'weather-agent' })
        .first()
        .waitFor({ state: 'visible', timeout: 20000 });
      await widget.locator('.quick-input-box input').fill('weather-agent');
      await page.keyboard.press('Enter');
      // Every step's default (the recorded model, its parameters, independent), then Start replay.
      for (const title of ['1/3', '2/3', '3/3', 'summary']) {
        await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 20000 });
        await page.keyboard.press('Enter');
      }
      await widget.waitFor({ state: 'hidden' });
      const replaysTree = page.getByRole('tree', { name: 'Replays' });
      const job = replaysTree.locator('.monaco-list-row[aria-level="2"]', { has: page.locator('.codicon-pass') });
      await job.waitFor({ timeout: 30000 });
      console.log('  replays rows:', JSON.stringify(await replaysTree.locator('.monaco-list-row').allInnerTexts()));
      await runCommand('Notifications: Clear All Notifications');
      await job.click();
      await page.locator('.tabs-container .tab', { hasText: 'Replay: weather-agent' }).waitFor({ timeout: 20000 });
      const frame = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
      await frame.locator('body[data-panel="comparison"][data-painted]').waitFor({ timeout: 30000 });
      await frame.locator('vscode-button[data-action="open-diff-output"]').first().click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'original ↔ replay' });
      await tab.waitFor({ timeout: 20000 });
      const title = (await tab.innerText()).trim();
      if (!/^#1 gpt-4o-mini\S* · output: original ↔ replay/.test(title)) throw new Error(`diff tab title "${title}"`);
      const editor = page.locator('.monaco-diff-editor').first();
      await editor.waitFor({ timeout: 20000 });
      for (const text of ['get_weather', 'get_forecast'])
        await editor.locator('.view-lines', { hasText: text }).first().waitFor({ timeout: 10000 });
      await shotBothThemes('views-04-diff');
    },
  );
} catch (e) {
  harnessFailed(e);
} finally {
  await ctx.close().catch(() => {});
  await cs.stop();
  await fakeLlm.close();
}
console.log(`ui-views: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
