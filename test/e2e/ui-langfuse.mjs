// UI test of Langfuse as a trace source, in code-server's workbench (headless chromium,
// playwright-core). A fake Langfuse (test/e2e/serve-fake-langfuse.ts, its own process) holds two
// agent traces and two versions of the prompt they used; the user settings list it as the connection
// "default" and its keys come through the LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY fallback. Steps:
// "Switch Trace Source..." from the Command Palette picks the connection, the Traces view lists the
// Langfuse traces, one expands to its span tree (copied into the store), and "Replay Trace" replays
// it with prompt version 4 read from Langfuse against the loopback fake LLM server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { tsImport } from 'tsx/esm/api';
import { startCodeServer, openWorkbench, launchBrowser, PROJECT_ROOT } from './codeserver.mjs';
import { driveWorkbench } from './workbench.mjs';

const { startFakeLlmServer } = await tsImport('../support/fake-llm/fake-llm-server.ts', import.meta.url);

const runDir = path.join(PROJECT_ROOT, '.vscode-test/run-ui-langfuse');
const shots = path.resolve(process.env.SHOTS_DIR || path.join(PROJECT_ROOT, '.vscode-test/shots'));
const KEYS = { publicKey: 'pk-lf-ui-test', secretKey: 'sk-lf-ui-test' };
const TRACES = ['travel-agent', 'weather-agent']; // what serve-fake-langfuse.ts holds
const V4_RENDERED = 'You are a concise weather bot for Paris. Answer in one sentence.';

/** The fake Langfuse in a tsx child: resolves { baseUrl, close() -> violations[] } once it prints READY. */
async function startFakeLangfuseProcess() {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
  const child = spawn(tsx, [path.join(PROJECT_ROOT, 'test/e2e/serve-fake-langfuse.ts')], {
    env: { ...process.env, FAKE_LANGFUSE_PUBLIC_KEY: KEYS.publicKey, FAKE_LANGFUSE_SECRET_KEY: KEYS.secretKey },
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
        reject(new Error(`serve-fake-langfuse exited (code ${code}) before "${prefix.trim()}"`));
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
const langfuse = await startFakeLangfuseProcess();
const host = new URL(langfuse.baseUrl).host;
const cs = await startCodeServer({
  runDir,
  // No key in SecretStorage: the extension falls back to the environment of its host.
  env: {
    LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
    LANGFUSE_SECRET_KEY: KEYS.secretKey,
    OPENAI_API_KEY: 'sk-ui-test',
    ANTHROPIC_API_KEY: 'sk-ant-ui-test',
  },
  settings: { 'traceReplay.langfuse.connections': [{ name: 'default', baseUrl: langfuse.baseUrl }] },
});
fs.mkdirSync(path.join(cs.workspace, '.vscode'), { recursive: true });
fs.writeFileSync(
  path.join(cs.workspace, '.vscode/settings.json'),
  JSON.stringify(
    {
      'traceReplay.providers.openai.baseUrl': fakeLlm.openaiBaseUrl,
      'traceReplay.providers.anthropic.baseUrl': fakeLlm.anthropicBaseUrl,
    },
    null,
    2,
  ),
);
const ctx = await launchBrowser(runDir);
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
const listRow = (text) => widget.locator('.monaco-list-row', { hasText: text }).first();
const title = (text) => widget.locator('.quick-input-title', { hasText: text });
// The visible webview's content frame (VS Code nests the page in #active-frame).
const webview = () => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

/** Drags the sash on the side bar's right edge to `width` px. */
async function widenSideBar(width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  const now = (await page.locator('.part.sidebar').boundingBox()).width;
  if (Math.abs(now - width) > 4) throw new Error(`the side bar is ${now} px wide after the drag, expected ${width}`);
}

try {
  await openWorkbench(page, cs, { folder: cs.workspace, extensionDevelopmentPath: PROJECT_ROOT });

  await step('the "Trace Replay" container opens on the (empty) local Traces view', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await activityButton().waitFor({ timeout: 60000 });
    await activityButton().click();
    await page.locator('.welcome-view-content', { hasText: 'No traces yet' }).waitFor({ timeout: 30000 });
  });

  await step(
    'Command Palette "Trace Replay: Switch Trace Source..." lists the local store and the Langfuse connection',
    async () => {
      await runCommand('Trace Replay: Switch Trace Source...');
      await widget
        .locator('.quick-input-title', { hasText: 'Trace Replay: Switch Trace Source' })
        .waitFor({ timeout: 20000 });
      await listRow('Local store').waitFor();
      await listRow(`Langfuse (${host})`).waitFor({ timeout: 20000 });
      await listRow('Connect Langfuse').waitFor();
      await shot('langfuse-00-switch-source');
    },
  );

  await step('picking the connection lists the Langfuse traces in the Traces view', async () => {
    await listRow(`Langfuse (${host})`).click();
    await widget.waitFor({ state: 'hidden' });
    for (const name of TRACES) await traceRow(name).waitFor({ timeout: 30000 });
    const names = (await tracesTree().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts()).sort();
    if (JSON.stringify(names) !== JSON.stringify(TRACES))
      throw new Error(`trace rows ${JSON.stringify(names)}, expected ${JSON.stringify(TRACES)}`);
    const icon = await traceRow('weather-agent').locator('.custom-view-tree-node-item-icon').getAttribute('class');
    if (!/codicon-cloud/.test(icon || ''))
      throw new Error(`Langfuse trace row icon is "${icon}", expected codicon-cloud`);
  });

  await step('a Langfuse trace expands to its span tree with the LLM spans (model, tokens)', async () => {
    await traceRow('weather-agent').locator('.monaco-tl-twistie').click();
    // LLM spans are labelled by step and model (#1 gpt-4o-mini), tokens first in the description and
    // the span's own name last; other spans by their name.
    const llmRows = [
      ['#1 gpt-4o-mini\\S*', 'plan'],
      ['#2 claude-haiku-4-5\\S*', 'answer'],
    ];
    for (const span of ['agent', 'get_weather', ...llmRows.map(([label]) => label)])
      await row(span).waitFor({ timeout: 30000 });
    for (const [label, name] of llmRows) {
      const icon = await row(label).locator('.custom-view-tree-node-item-icon').getAttribute('class');
      if (!/codicon-sparkle/.test(icon || ''))
        throw new Error(`LLM span "${label}" row icon is "${icon}", expected codicon-sparkle`);
      const desc = await row(label).locator('.label-description').innerText();
      if (!/^\d+→\d+ tok/.test(desc) || !desc.includes(name))
        throw new Error(`LLM span "${label}" row description is "${desc}"`);
    }
    console.log('  tree rows:', JSON.stringify(await tracesTree().locator('.monaco-list-row').allInnerTexts()));
    await widenSideBar(560); // the rows' descriptions (model, tokens, cost) in full for the shot
    await page.mouse.move(0, 0); // no hover tooltip in the shot
    await shot('langfuse-01-traces');
  });

  await step('clicking the Langfuse trace opens its detail panel (from the store copy)', async () => {
    await traceRow('weather-agent').locator('.label-name').click();
    await page.locator('.tab', { hasText: 'Trace: weather-agent' }).waitFor({ timeout: 20000 });
    await webview().locator('body[data-panel="trace"][data-painted]').waitFor({ timeout: 30000 });
    await webview().locator('vscode-button[data-action="replay-trace"]').waitFor();
    await page.mouse.move(0, 0);
    await shot('langfuse-02-trace-detail');
  });

  await step(
    '"Trace Replay: Replay Trace" lists the Langfuse traces, then the prompt versions Langfuse has',
    async () => {
      await page.keyboard.press('F1');
      await widget.locator('.quick-input-box input').fill('>Trace Replay: Replay Trace');
      await listRow('Trace Replay: Replay Trace').waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await listRow('travel-agent').waitFor({ state: 'visible', timeout: 20000 });
      await widget.locator('.quick-input-box input').fill('weather-agent');
      await listRow('weather-agent').waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await listRow('Keep recorded model').waitFor({ state: 'visible', timeout: 20000 });
      await title('1/4').waitFor();
      // A click picks that row whatever is active (an Enter right after the step appeared was once lost on 1.139).
      await listRow('Keep recorded model').click();
      await title('2/4').waitFor({ timeout: 20000 });
      await listRow('Keep recorded prompt').waitFor({ state: 'visible' });
      for (const v of ['weather-system v4', 'weather-system v3', 'weather-system #staging'])
        await listRow(v).waitFor({ state: 'visible', timeout: 20000 });
      await shot('langfuse-03-replay-prompt-version');
      await listRow('weather-system v4').click();
      await title('3/4').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await title('4/4').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      // The last step is the summary, with Start replay first.
      await title('summary').waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    },
  );

  await step(
    'the replay reaches COMPLETED and sent prompt version 4, rendered with the recorded variables',
    async () => {
      const replaysTree = page.getByRole('tree', { name: 'Replays' });
      const jobRow = replaysTree.locator('.monaco-list-row[aria-level="2"]', { has: page.locator('.codicon-pass') });
      await jobRow.first().waitFor({ timeout: 30000 });
      await replaysTree.locator('.monaco-list-row[aria-level="1"]', { hasText: 'weather-agent' }).waitFor();
      const systemPrompts = fakeLlm.requests
        .filter((r) => r.api === 'chat.completions')
        .map((r) => r.body.messages[0]?.content);
      if (!systemPrompts.includes(V4_RENDERED))
        throw new Error(`the fake LLM server got system prompts ${JSON.stringify(systemPrompts)}`);
      console.log('  replays rows:', JSON.stringify(await replaysTree.locator('.monaco-list-row').allInnerTexts()));
      await page
        .locator('.notifications-toasts .notification-list-item', {
          hasText: 'Replay of weather-agent',
          hasNotText: 'completed',
        })
        .waitFor({ state: 'detached', timeout: 10000 });
      await runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(0, 0);
      await shot('langfuse-04-replay-completed');
    },
  );
} catch (e) {
  harnessFailed(e);
} finally {
  await ctx.close().catch(() => {});
  await cs.stop();
  await fakeLlm.close();
  const violations = await langfuse.close().catch((e) => [`the fake Langfuse did not stop cleanly: ${e.message}`]);
  if (violations.length) {
    counts.failed++;
    console.log('FAIL - the fake Langfuse answered outside its OpenAPI document:', JSON.stringify(violations));
  }
}
console.log(`ui-langfuse: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
