// UI test of Langfuse as a trace source, in code-server's workbench (headless chromium,
// playwright-core). A fake Langfuse (test/e2e/serve-fake-langfuse.ts, its own process) holds two
// agent traces and two versions of the prompt they used; the user settings list it as the connection
// "default" and its keys come through the LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY fallback. Steps:
// "Switch Trace Source..." from the Command Palette picks the connection, the Traces view lists the
// Langfuse traces, one expands to its span tree (copied into the store), and "Replay Trace" replays
// it with prompt version 4 read from Langfuse against the loopback fake LLM server.
import { runStage } from './stage-harness.mjs';
import { platformViolations, startFakePlatformProcess } from './fake-platform-process.mjs';

const KEYS = { publicKey: 'pk-lf-ui-test', secretKey: 'sk-lf-ui-test' };
const TRACES = ['travel-agent', 'weather-agent']; // what serve-fake-langfuse.ts holds
const V4_RENDERED = 'You are a concise weather bot for Paris. Answer in one sentence.';

await runStage({
  name: 'ui-langfuse',
  fakeLlm: true,
  async setup(t) {
    t.langfuse = await startFakePlatformProcess('serve-fake-langfuse.ts', {
      FAKE_LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
      FAKE_LANGFUSE_SECRET_KEY: KEYS.secretKey,
    });
  },
  codeServer: (t) => ({
    // No key in SecretStorage: the extension falls back to the environment of its host.
    env: {
      LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
      LANGFUSE_SECRET_KEY: KEYS.secretKey,
      OPENAI_API_KEY: 'sk-ui-test',
      ANTHROPIC_API_KEY: 'sk-ant-ui-test',
    },
    settings: { 'traceReplay.langfuse.connections': [{ name: 'default', baseUrl: t.langfuse.baseUrl }] },
  }),
  workspaceSettings: (t) => ({
    'traceReplay.providers.openai.baseUrl': t.fakeLlm.openaiBaseUrl,
    'traceReplay.providers.anthropic.baseUrl': t.fakeLlm.anthropicBaseUrl,
  }),
  async tests(t) {
    const { page, step, shot, runCommand, tracesTree, treeRow, widget, listRow, title } = t;
    const host = new URL(t.langfuse.baseUrl).host;

    await step('the "Trace Replay" container opens on the (empty) local Traces view', async () => {
      await t.openContainer();
      await t.welcome().waitFor({ timeout: 30000 });
    });

    await step(
      'Command Palette "Trace Replay: Switch Trace Source..." lists the local store and the Langfuse connection',
      async () => {
        await runCommand('Trace Replay: Switch Trace Source...');
        await title('Trace Replay: Switch Trace Source').waitFor({ timeout: 20000 });
        await listRow('Local store').waitFor();
        await listRow(`Langfuse (${host})`).waitFor({ timeout: 20000 });
        await listRow('Connect Langfuse').waitFor();
        await shot('langfuse-00-switch-source');
      },
    );

    await step('picking the connection lists the Langfuse traces in the Traces view', async () => {
      await listRow(`Langfuse (${host})`).click();
      await widget.waitFor({ state: 'hidden' });
      for (const name of TRACES) await treeRow(name, 1).waitFor({ timeout: 30000 });
      const names = (await tracesTree().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts()).sort();
      if (JSON.stringify(names) !== JSON.stringify(TRACES))
        throw new Error(`trace rows ${JSON.stringify(names)}, expected ${JSON.stringify(TRACES)}`);
      const icon = await treeRow('weather-agent', 1).locator('.custom-view-tree-node-item-icon').getAttribute('class');
      if (!/codicon-cloud/.test(icon || ''))
        throw new Error(`Langfuse trace row icon is "${icon}", expected codicon-cloud`);
    });

    await step('a Langfuse trace expands to its span tree with the LLM spans (model, tokens)', async () => {
      await treeRow('weather-agent', 1).locator('.monaco-tl-twistie').click();
      // LLM spans are labelled by step and model (#1 gpt-4o-mini), tokens first in the description and
      // the span's own name last; other spans by their name.
      const llmRows = [
        ['#1 gpt-4o-mini\\S*', 'plan'],
        ['#2 claude-haiku-4-5\\S*', 'answer'],
      ];
      for (const span of ['agent', 'get_weather', ...llmRows.map(([label]) => label)])
        await treeRow(span).waitFor({ timeout: 30000 });
      for (const [label, name] of llmRows) {
        const icon = await treeRow(label).locator('.custom-view-tree-node-item-icon').getAttribute('class');
        if (!/codicon-sparkle/.test(icon || ''))
          throw new Error(`LLM span "${label}" row icon is "${icon}", expected codicon-sparkle`);
        const desc = await treeRow(label).locator('.label-description').innerText();
        if (!/^\d+→\d+ tok/.test(desc) || !desc.includes(name))
          throw new Error(`LLM span "${label}" row description is "${desc}"`);
      }
      await t.logRows('tree rows', tracesTree());
      await t.widenSideBar(560); // the rows' descriptions (model, tokens, cost) in full for the shot
      await page.mouse.move(0, 0); // no hover tooltip in the shot
      await shot('langfuse-01-traces');
    });

    await step('clicking the Langfuse trace opens its detail panel (from the store copy)', async () => {
      const frame = await t.openTracePanel('weather-agent');
      await frame.locator('vscode-button[data-action="replay-trace"]').waitFor();
      await page.mouse.move(0, 0);
      await shot('langfuse-02-trace-detail');
    });

    await step(
      '"Trace Replay: Replay Trace" lists the Langfuse traces, then the prompt versions Langfuse has',
      async () => {
        await t.replayWithPromptVersion('weather-agent', {
          listed: 'travel-agent',
          versions: ['weather-system v4', 'weather-system v3', 'weather-system #staging'],
          pick: 'weather-system v4',
          shotName: 'langfuse-03-replay-prompt-version',
        });
      },
    );

    await step('the replay reaches COMPLETED and sent prompt version 4, rendered with the recorded variables', () =>
      t.expectReplayCompleted('weather-agent', {
        fakeLlm: t.fakeLlm,
        systemPrompt: V4_RENDERED,
        shotName: 'langfuse-04-replay-completed',
      }),
    );
  },
  teardown: (t) => platformViolations(t.langfuse, 'Langfuse'),
});
