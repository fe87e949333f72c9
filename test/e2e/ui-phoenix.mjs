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
import fs from 'node:fs';
import path from 'node:path';
import { runStage } from './stage-harness.mjs';
import { platformViolations, startFakePlatformProcess } from './fake-platform-process.mjs';

const API_KEY = 'px-ui-test-system-key';
const TRACES = ['support-answer', 'workflow']; // what serve-fake-phoenix.ts holds in project "default"
// concise-assistant's second version (Phoenix GlobalID "PromptVersion:4": weather-system has 1 and 2).
const V2_RENDERED = 'You are a concise assistant. Answer in one line.';

await runStage({
  name: 'ui-phoenix',
  fakeLlm: true,
  async setup(t) {
    t.phoenix = await startFakePlatformProcess('serve-fake-phoenix.ts', { FAKE_PHOENIX_API_KEY: API_KEY });
  },
  codeServer: () => {
    // No PHOENIX_* variable reaches the extension host: the key can only come from the Connect flow.
    const hostEnv = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('PHOENIX_'))
        .map((k) => [k, '']),
    );
    return { env: { ...hostEnv, OPENAI_API_KEY: 'sk-ui-test', ANTHROPIC_API_KEY: 'sk-ant-ui-test' } };
  },
  workspaceSettings: (t) => ({
    'traceReplay.providers.openai.baseUrl': t.fakeLlm.openaiBaseUrl,
    'traceReplay.providers.anthropic.baseUrl': t.fakeLlm.anthropicBaseUrl,
  }),
  viewport: { width: 1000, height: 800 },
  // The key is pasted from the clipboard; the test puts it there through the browser's clipboard.
  clipboard: true,
  async tests(t) {
    const { page, step, shot, runCommand, tracesTree, treeRow, widget, input, listRow, title } = t;
    const baseUrl = t.phoenix.baseUrl;
    const host = new URL(baseUrl).host;

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

    await step('the "Trace Replay" container opens on the (empty) local Traces view', async () => {
      await t.openContainer();
      // A wider side bar so the shots show whole rows.
      await t.widenSideBar(440);
      await t.welcome().waitFor({ timeout: 30000 });
    });

    await step(
      'Command Palette "Trace Replay: Connect Arize Phoenix...": the base URL typed, the suggested name and project accepted, the API key pasted in a password box',
      async () => {
        await runCommand('Trace Replay: Connect Arize Phoenix...');
        await connectStep(1, 'http://localhost:6006');
        await input.press('ControlOrMeta+a');
        await input.press('Backspace');
        await input.pressSequentially(baseUrl);
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
        for (const name of TRACES) await treeRow(name, 1).waitFor({ timeout: 30000 });
        const names = (
          await tracesTree().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts()
        ).sort();
        if (JSON.stringify(names) !== JSON.stringify(TRACES))
          throw new Error(`trace rows ${JSON.stringify(names)}, expected ${JSON.stringify(TRACES)}`);
        // Listed after the save: the connection is in the user settings; the key is not (SecretStorage has it).
        const userSettings = fs.readFileSync(path.join(t.cs.base, 'user-data/User/settings.json'), 'utf8');
        const saved = JSON.parse(userSettings)['traceReplay.phoenix.connections'];
        const sorted = (saved || []).map((c) => Object.fromEntries(Object.entries(c).sort()));
        if (JSON.stringify(sorted) !== JSON.stringify([{ baseUrl, name: 'default', project: 'default' }]))
          throw new Error(`traceReplay.phoenix.connections is ${JSON.stringify(saved)}`);
        if (userSettings.includes(API_KEY)) throw new Error('the API key was written to the user settings');
        const want = `Arize Phoenix (${host} / default)`;
        const header = page.locator('.pane-header', { has: page.locator('.title', { hasText: /^Traces$/ }) });
        const description = (await header.locator('.description').innerText()).trim();
        if (!description.includes(want))
          throw new Error(`the Traces view's description is "${description}", expected it to name "${want}"`);
        const icon = await treeRow('workflow', 1).locator('.custom-view-tree-node-item-icon').getAttribute('class');
        if (!/codicon-cloud/.test(icon || ''))
          throw new Error(`Phoenix trace row icon is "${icon}", expected codicon-cloud`);
        await t.logRows('trace rows', tracesTree());
        await t.clearNotifications();
        await page.mouse.move(0, 0);
        await shot('phoenix-04-traces');
      },
    );

    await step(
      'a Phoenix trace expands to its span tree (LLM spans "#1 <model>") and opens its detail panel',
      async () => {
        await treeRow('workflow', 1).locator('.monaco-tl-twistie').click();
        const llmRows = ['#1 gpt-4o-mini\\S*', '#2 gpt-4o-mini\\S*'];
        for (const span of ['get_weather', ...llmRows]) await treeRow(span).waitFor({ timeout: 30000 });
        for (const label of llmRows) {
          const icon = await treeRow(label).locator('.custom-view-tree-node-item-icon').getAttribute('class');
          if (!/codicon-sparkle/.test(icon || ''))
            throw new Error(`LLM span "${label}" row icon is "${icon}", expected codicon-sparkle`);
          const desc = await treeRow(label).locator('.label-description').innerText();
          if (!/^\d+→\d+ tok/.test(desc)) throw new Error(`LLM span "${label}" row description is "${desc}"`);
        }
        await t.logRows('tree rows', tracesTree());
        const frame = await t.openTracePanel('workflow');
        await frame.locator('vscode-button[data-action="replay-trace"]').waitFor();
        await t.shotBothThemes('phoenix-traces');
      },
    );

    await step(
      '"Trace Replay: Replay Trace" on the linked trace offers concise-assistant\'s Phoenix tags and versions',
      async () => {
        await runCommand('View: Close All Editors');
        await t.replayWithPromptVersion('support-answer', {
          listed: 'workflow',
          versions: ['concise-assistant #production', 'concise-assistant #staging', 'concise-assistant v2'],
          pick: 'concise-assistant v2',
          shotName: 'phoenix-05-replay-prompt-version',
        });
      },
    );

    await step(
      'the replay reaches COMPLETED and sent the picked Phoenix version, rendered with the recorded variables',
      () =>
        t.expectReplayCompleted('support-answer', {
          fakeLlm: t.fakeLlm,
          systemPrompt: V2_RENDERED,
          shotName: 'phoenix-06-replay-completed',
        }),
    );
  },
  teardown: (t) => platformViolations(t.phoenix, 'Phoenix'),
});
