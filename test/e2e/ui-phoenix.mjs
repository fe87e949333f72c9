// UI test of Arize Phoenix as a trace source, in code-server's workbench (headless chromium,
// playwright-core, a 1000 px wide window). A fake Phoenix (test/e2e/serve-fake-phoenix.ts, its own
// process, authentication on) holds in its project "default" a recorded Python OpenAI agent trace
// ("workflow") and a trace linked to its prompt "concise-assistant" ("support-answer"). Steps:
// "Connect Arize Phoenix..." from the Command Palette, answered as a user does (the fake's URL typed,
// the suggested name and the project accepted, the API key pasted into a password box; no key in the
// environment, so every request the fake accepts carried the key from SecretStorage); the Traces view
// lists the project's traces under "Arize Phoenix (host / default)"; a trace expands to its span tree
// and opens its detail panel (shot in the light and the dark theme); "Replay Trace" replays the linked
// trace with the prompt's newest Phoenix version against the loopback fake LLM server.
// Screenshots: phoenix-00..03-connect-*, phoenix-04-traces, phoenix-traces-{light,dark},
// phoenix-05-replay-prompt-version, phoenix-06-replay-completed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { tsImport } from 'tsx/esm/api';
import { startCodeServer, openWorkbench, launchBrowser, PROJECT_ROOT } from './codeserver.mjs';
import { driveWorkbench } from './workbench.mjs';

const { startFakeLlmServer } = await tsImport('../support/fake-llm/fake-llm-server.ts', import.meta.url);

const runDir = path.join(PROJECT_ROOT, '.vscode-test/run-ui-phoenix');
const shots = path.resolve(process.env.SHOTS_DIR || path.join(PROJECT_ROOT, '.vscode-test/shots'));
const API_KEY = 'px-ui-test-system-key';
const TRACES = ['support-answer', 'workflow']; // what serve-fake-phoenix.ts holds in project "default"
// concise-assistant's second version (Phoenix GlobalID "PromptVersion:4": weather-system has 1 and 2).
const V2 = Buffer.from('PromptVersion:4').toString('base64');
const V2_RENDERED = 'You are a concise assistant. Answer in one line.';

/** The fake Phoenix in a tsx child: resolves { baseUrl, close() -> violations[] } once it prints READY. */
async function startFakePhoenixProcess() {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
  const child = spawn(tsx, [path.join(PROJECT_ROOT, 'test/e2e/serve-fake-phoenix.ts')], {
    env: { ...process.env, FAKE_PHOENIX_API_KEY: API_KEY },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const nextLine = (prefix) =>
    new Promise((resolve, reject) => {
      const onLine = (l) => {
        if (l.startsWith(prefix)) {
          done();
          resolve(l.slice(prefix.length));
        }
      };
      const onExit = (code) => {
        done();
        reject(new Error(`serve-fake-phoenix exited (code ${code}) before "${prefix.trim()}"`));
      };
      const done = () => {
        lines.off('line', onLine);
        child.off('exit', onExit);
      };
      lines.on('line', onLine);
      child.once('exit', onExit);
    });
  process.on('exit', () => child.kill('SIGKILL'));
  const baseUrl = (await nextLine('READY ')).trim();
  const close = async () => {
    const reported = nextLine('VIOLATIONS ');
    child.stdin.end();
    return JSON.parse(await reported);
  };
  return { baseUrl, close };
}

const fakeLlm = await startFakeLlmServer();
const phoenix = await startFakePhoenixProcess();
const host = new URL(phoenix.baseUrl).host;
// No PHOENIX_* variable reaches the extension host: the key can only come from the Connect flow.
const hostEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith('PHOENIX_'))
    .map((k) => [k, '']),
);
const cs = await startCodeServer({
  runDir,
  env: { ...hostEnv, OPENAI_API_KEY: 'sk-ui-test', ANTHROPIC_API_KEY: 'sk-ant-ui-test' },
});
fs.mkdirSync(path.join(cs.workspace, '.vscode'), { recursive: true });
const settings = {
  'traceReplay.providers.openai.baseUrl': fakeLlm.openaiBaseUrl,
  'traceReplay.providers.anthropic.baseUrl': fakeLlm.anthropicBaseUrl,
};
const writeSettings = (extra) =>
  fs.writeFileSync(
    path.join(cs.workspace, '.vscode/settings.json'),
    JSON.stringify({ ...settings, ...extra }, null, 2),
  );
writeSettings({});
const ctx = await launchBrowser(runDir, { viewport: { width: 1000, height: 800 } });
// The key is pasted from the clipboard; the test puts it there through the browser's clipboard.
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(cs.url).origin });
const page = ctx.pages()[0] || (await ctx.newPage());
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
const { step, shot, runCommand, activityButton, tracesTree, counts, harnessFailed } = driveWorkbench(page, shots);
const row = (text) =>
  tracesTree().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) });
const traceRow = (name) =>
  tracesTree().locator('.monaco-list-row[aria-level="1"]', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
  });
const widget = page.locator('.quick-input-widget');
const input = widget.locator('.quick-input-box input');
const listRow = (text) => widget.locator('.monaco-list-row', { hasText: text }).first();
const title = (text) => widget.locator('.quick-input-title', { hasText: text });
const webview = () => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

/** Dark and light shots of what is on screen now (the workspace setting switches the theme live). */
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

/** The connect step `n`/4 is shown, its input holds `value` (the prefilled suggestion). */
async function connectStep(n, value) {
  await page.mouse.move(0, 0); // no hover tooltip over the quick input in the shots
  await title(`Trace Replay: Connect Arize Phoenix (${n}/4)`).waitFor({ timeout: 20000 });
  await page
    .waitForFunction(
      ([sel, want]) => document.querySelector(sel)?.value === want,
      ['.quick-input-widget .quick-input-box input', value],
      { timeout: 10000 },
    )
    .catch(async () => {
      throw new Error(`step ${n}/4 input holds "${await input.inputValue()}", expected "${value}"`);
    });
}

try {
  await openWorkbench(page, cs, { folder: cs.workspace, extensionDevelopmentPath: PROJECT_ROOT });

  await step('the "Trace Replay" container opens on the (empty) local Traces view', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await activityButton().waitFor({ timeout: 60000 });
    await activityButton().click();
    // A wider side bar (its sash dragged, as a user would) so the shots show whole rows.
    const box = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(box.x + box.width + 1, 300);
    await page.mouse.down();
    await page.mouse.move(box.x + 440, 300, { steps: 5 });
    await page.mouse.up();
    await page.locator('.welcome-view-content', { hasText: 'No traces yet' }).waitFor({ timeout: 30000 });
  });

  await step(
    'Command Palette "Trace Replay: Connect Arize Phoenix...": the base URL typed, the suggested name and project accepted, the API key pasted in a password box',
    async () => {
      await runCommand('Trace Replay: Connect Arize Phoenix...');
      await connectStep(1, 'http://localhost:6006');
      await input.press('ControlOrMeta+a');
      await input.press('Backspace');
      await input.pressSequentially(phoenix.baseUrl);
      await shot('phoenix-00-connect-url');
      await input.press('Enter');
      await connectStep(2, 'default');
      await shot('phoenix-01-connect-name');
      await input.press('Enter');
      await connectStep(3, 'default');
      await shot('phoenix-02-connect-project');
      await input.press('Enter');
      await connectStep(4, '');
      const type = await input.getAttribute('type');
      if (type !== 'password') throw new Error(`the API key box is type="${type}", not a password box`);
      // Pasted: the key on the clipboard (copied from Phoenix's settings page), then Ctrl+V in the box.
      await page.evaluate((key) => navigator.clipboard.writeText(key), API_KEY);
      await input.press('ControlOrMeta+v');
      const pasted = await input.inputValue();
      if (pasted !== API_KEY)
        throw new Error(
          `the password box holds ${pasted.length} characters after the paste, expected the ${API_KEY.length} of the key`,
        );
      await shot('phoenix-03-connect-key');
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden', timeout: 20000 });
    },
  );

  await step(
    'the Traces view lists the project\'s traces under "Arize Phoenix (host / default)"; the connection is saved, its key is not in the settings',
    async () => {
      for (const name of TRACES) await traceRow(name).waitFor({ timeout: 30000 });
      const names = (await tracesTree().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts()).sort();
      if (JSON.stringify(names) !== JSON.stringify(TRACES))
        throw new Error(`trace rows ${JSON.stringify(names)}, expected ${JSON.stringify(TRACES)}`);
      // Listed after the save: the connection is in the user settings; the key is not (SecretStorage has it).
      const userSettings = fs.readFileSync(path.join(cs.base, 'user-data/User/settings.json'), 'utf8');
      const saved = JSON.parse(userSettings)['traceReplay.phoenix.connections'];
      const sorted = (saved || []).map((c) => Object.fromEntries(Object.entries(c).sort()));
      if (
        JSON.stringify(sorted) !== JSON.stringify([{ baseUrl: phoenix.baseUrl, name: 'default', project: 'default' }])
      )
        throw new Error(`traceReplay.phoenix.connections is ${JSON.stringify(saved)}`);
      if (userSettings.includes(API_KEY)) throw new Error('the API key was written to the user settings');
      const want = `Arize Phoenix (${host} / default)`;
      const header = page.locator('.pane-header', { has: page.locator('.title', { hasText: /^Traces$/ }) });
      const description = (await header.locator('.description').innerText()).trim();
      if (!description.includes(want))
        throw new Error(`the Traces view's description is "${description}", expected it to name "${want}"`);
      const icon = await traceRow('workflow').locator('.custom-view-tree-node-item-icon').getAttribute('class');
      if (!/codicon-cloud/.test(icon || ''))
        throw new Error(`Phoenix trace row icon is "${icon}", expected codicon-cloud`);
      console.log('  trace rows:', JSON.stringify(await tracesTree().locator('.monaco-list-row').allInnerTexts()));
      await runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(0, 0);
      await shot('phoenix-04-traces');
    },
  );

  await step(
    'a Phoenix trace expands to its span tree (LLM spans "#1 <model>") and opens its detail panel',
    async () => {
      await traceRow('workflow').locator('.monaco-tl-twistie').click();
      const llmRows = ['#1 gpt-4o-mini\\S*', '#2 gpt-4o-mini\\S*'];
      for (const span of ['get_weather', ...llmRows]) await row(span).waitFor({ timeout: 30000 });
      for (const label of llmRows) {
        const icon = await row(label).locator('.custom-view-tree-node-item-icon').getAttribute('class');
        if (!/codicon-sparkle/.test(icon || ''))
          throw new Error(`LLM span "${label}" row icon is "${icon}", expected codicon-sparkle`);
        const desc = await row(label).locator('.label-description').innerText();
        if (!/^\d+→\d+ tok/.test(desc)) throw new Error(`LLM span "${label}" row description is "${desc}"`);
      }
      console.log('  tree rows:', JSON.stringify(await tracesTree().locator('.monaco-list-row').allInnerTexts()));
      await traceRow('workflow').locator('.label-name').click();
      await page.locator('.tab', { hasText: 'Trace: workflow' }).waitFor({ timeout: 20000 });
      await webview().locator('body[data-panel="trace"][data-painted]').waitFor({ timeout: 30000 });
      await webview().locator('vscode-button[data-action="replay-trace"]').waitFor();
      await shotBothThemes('phoenix-traces');
    },
  );

  await step(
    '"Trace Replay: Replay Trace" on the linked trace offers concise-assistant\'s Phoenix tags and versions',
    async () => {
      await runCommand('View: Close All Editors');
      await page.locator('.part.sidebar .composite.title .title-label').first().click();
      await page.keyboard.press('F1');
      await input.fill('>Trace Replay: Replay Trace');
      await listRow('Trace Replay: Replay Trace').waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await listRow('workflow').waitFor({ state: 'visible', timeout: 20000 });
      await input.fill('support-answer');
      await listRow('support-answer').waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await listRow('Keep recorded model').waitFor({ state: 'visible', timeout: 20000 });
      await title('1/4').waitFor();
      // A click picks that row whatever is active (an Enter right after the step appeared was once lost on 1.139).
      await listRow('Keep recorded model').click();
      await title('2/4').waitFor({ timeout: 20000 });
      await listRow('Keep recorded prompt').waitFor({ state: 'visible' });
      for (const v of ['concise-assistant #production', 'concise-assistant #staging', `concise-assistant v2`])
        await listRow(v).waitFor({ state: 'visible', timeout: 20000 });
      console.log('  prompt rows:', JSON.stringify(await widget.locator('.monaco-list-row').allInnerTexts()));
      await shot('phoenix-05-replay-prompt-version');
      await listRow(`concise-assistant v2`).click();
      await title('3/4').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await title('4/4').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await title('summary').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    },
  );

  await step(
    'the replay reaches COMPLETED and sent the picked Phoenix version, rendered with the recorded variables',
    async () => {
      const replaysTree = page.getByRole('tree', { name: 'Replays' });
      const jobRow = replaysTree.locator('.monaco-list-row[aria-level="2"]', { has: page.locator('.codicon-pass') });
      await jobRow.first().waitFor({ timeout: 30000 });
      await replaysTree.locator('.monaco-list-row[aria-level="1"]', { hasText: 'support-answer' }).waitFor();
      const systemPrompts = fakeLlm.requests
        .filter((r) => r.api === 'chat.completions')
        .map((r) => r.body.messages[0]?.content);
      if (!systemPrompts.includes(V2_RENDERED))
        throw new Error(`the fake LLM server got system prompts ${JSON.stringify(systemPrompts)}`);
      console.log('  replays rows:', JSON.stringify(await replaysTree.locator('.monaco-list-row').allInnerTexts()));
      await page
        .locator('.notifications-toasts .notification-list-item', {
          hasText: 'Replay of support-answer',
          hasNotText: 'completed',
        })
        .waitFor({ state: 'detached', timeout: 10000 });
      await runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(0, 0);
      await shot('phoenix-06-replay-completed');
    },
  );
} catch (e) {
  harnessFailed(e);
} finally {
  await ctx.close().catch(() => {});
  await cs.stop();
  await fakeLlm.close();
  const violations = await phoenix.close().catch((e) => [`the fake Phoenix did not stop cleanly: ${e.message}`]);
  if (violations.length) {
    counts.failed++;
    console.log('FAIL - the fake Phoenix answered outside its OpenAPI document:', JSON.stringify(violations));
  }
}
console.log(`ui-phoenix: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
