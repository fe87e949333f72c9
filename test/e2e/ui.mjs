// UI smoke test: what a person sees in code-server's workbench (headless chromium, playwright-core).
// A native file dialog cannot be driven, so traces arrive the way a running app sends them: the
// Command Palette starts the receiver (on a port this script chose through workspace settings),
// then this script POSTs the integration fixture to it, and the Traces view must show it. Then
// "Trace Replay: Replay Trace" replays it against the loopback fake LLM server (its URL in the
// workspace settings, the key through the OPENAI_API_KEY fallback) and the Replays view shows it done.
// Its row opens the comparison panel (metric cards, diffs, "Open in Diff Editor"); the trace row
// opens the trace detail panel. The wizard's model step (key states) and summary are shot at 1000 px,
// dark and light. Last, a prompt-template file in the Explorer is right-clicked and "Replay with This
// Prompt Version" asks for a model: a typed anthropic:... without a key queues nothing and the toast's
// "Set API Key..." opens the key box, after which the two traces that used that prompt replay.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, PROJECT_ROOT } from './codeserver.mjs';
import { runStage } from './stage-harness.mjs';

const fixture = fs.readFileSync(path.join(PROJECT_ROOT, 'test/integration/fixtures/weather-agent.otlp.json'), 'utf8');
// Two traces whose LLM span used the prompt "summarize" (and one that used none), for the template flow.
const promptFixture = fs.readFileSync(
  path.join(PROJECT_ROOT, 'test/integration/fixtures/prompt-apps.otlp.json'),
  'utf8',
);
const TEMPLATE_FILE = 'summarize.prompt.md'; // matches traceReplay.prompts.fileGlob and the prompt name

await runStage({
  name: 'ui',
  fakeLlm: true,
  async setup(t) {
    t.receiverPort = await freePort();
  },
  // No key in SecretStorage: the extension falls back to the environment of its host.
  codeServer: { env: { OPENAI_API_KEY: 'sk-ui-test-env-fallback' } },
  // Anthropic points at the fake server too but has no key anywhere: the template flow meets the key check.
  workspaceSettings: (t) => ({
    'traceReplay.receiver.port': t.receiverPort,
    'traceReplay.providers.openai.baseUrl': t.fakeLlm.openaiBaseUrl,
    'traceReplay.providers.anthropic.baseUrl': t.fakeLlm.anthropicBaseUrl,
  }),
  async beforeOpen(t) {
    // Written before the workbench opens, so the extension's first template scan finds it.
    fs.writeFileSync(path.join(t.cs.workspace, TEMPLATE_FILE), 'Summarize in three words: {text}\n');
  },
  async tests(t) {
    const { page, step, shot, runCommand, tracesTree, treeRow, replaysTree, widget, input, listRow, title, toast } = t;
    const { fakeLlm, receiverPort } = t;
    const receiverItem = () => page.locator('.statusbar-item', { hasText: `OTLP :${receiverPort}` });

    await step('workbench loads with the "Trace Replay" activity-bar container', async () => {
      await t.waitForWorkbench();
      t.mark('workbenchReady');
      await shot('01-workbench');
    });

    await step('the container opens on the empty Traces view with its welcome links', async () => {
      await t.activityButton().click();
      await t.welcome().waitFor({ timeout: 30000 });
      for (const name of ['Start OTLP Receiver', 'Import Traces from File...'])
        await t.welcome().getByRole('button', { name }).waitFor();
      await shot('02-empty-traces-view');
    });

    await step(
      'Command Palette "Trace Replay: Start OTLP Receiver" shows the endpoint and the status bar item',
      async () => {
        await runCommand('Trace Replay: Start OTLP Receiver');
        const endpoint = `http://127.0.0.1:${receiverPort}/v1/traces`;
        await toast(endpoint).waitFor({ timeout: 20000 });
        await toast(endpoint).getByRole('button', { name: 'Copy Endpoint' }).waitFor();
        await receiverItem().waitFor({ timeout: 10000 });
        await shot('03-receiver-started');
      },
    );

    await step('a trace POSTed to the receiver appears in the tree and expands to its spans', async () => {
      const res = await fetch(`http://127.0.0.1:${receiverPort}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: fixture,
      });
      if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
      const traceRow = tracesTree().locator('.monaco-list-row[aria-level="1"]', { hasText: 'weather-agent' });
      await traceRow.waitFor({ timeout: 20000 });
      // The twistie expands the span tree; a click on the label opens the trace detail panel (below).
      await traceRow.locator('.monaco-tl-twistie').click();
      // An LLM span is labelled by its step and model (#12, item 3), its tokens first in the description.
      for (const span of ['#1 gpt-4o-mini\\S*', 'execute_tool get_weather'])
        await treeRow(span).waitFor({ timeout: 20000 });
      const llmRow = treeRow('#1 gpt-4o-mini\\S*');
      const icon = await llmRow.locator('.custom-view-tree-node-item-icon, .codicon').first().getAttribute('class');
      if (!/codicon-sparkle/.test(icon || ''))
        throw new Error(`LLM span row icon is "${icon}", expected codicon-sparkle`);
      const desc = await llmRow.locator('.label-description').innerText();
      if (!desc.includes('42→7 tok')) throw new Error(`LLM span row description is "${desc}"`);
      console.log(
        '  tree rows:',
        JSON.stringify(await tracesTree().locator('.monaco-list-row .label-name').allInnerTexts()),
      );
      await shot('04-trace-in-tree');
    });

    await step('Command Palette "Trace Replay: Stop OTLP Receiver" removes the status bar item', async () => {
      await runCommand('Trace Replay: Stop OTLP Receiver');
      await receiverItem().waitFor({ state: 'detached', timeout: 10000 });
      await shot('05-receiver-stopped');
    });

    // Light and dark shots of what is on screen now, then back to the default theme.
    const shotBothThemes = (name) => t.shotBothThemes(name, { restore: true });

    await step(
      'Command Palette "Trace Replay: Replay Trace": pick the trace, the model step shows key states, accept each step, the summary starts it',
      async () => {
        await page.setViewportSize({ width: 1000, height: 800 });
        await t.startCommand('Trace Replay: Replay Trace');
        await listRow('weather-agent').waitFor({ state: 'visible', timeout: 20000 });
        await shot('06-replay-pick-trace');
        await page.keyboard.press('Enter');
        await listRow('Keep recorded model').waitFor({ state: 'visible', timeout: 20000 });
        await title('1/3').waitFor();
        // Each provider under its separator, each row with its key state; offline:echo needs none.
        const modelRow = (name) =>
          widget.locator('.monaco-list-row', {
            has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
          });
        await modelRow('openai:gpt-4o-mini').locator('.label-description', { hasText: 'key set' }).waitFor();
        await input.fill('offline');
        await modelRow('offline:echo').locator('.label-description', { hasText: 'no key needed' }).waitFor();
        await input.fill('anthropic');
        await modelRow('anthropic:claude-haiku-4-5')
          .locator('.label-description', { hasText: 'no key — Set API Key...' })
          .waitFor();
        await input.fill('');
        await listRow('Keep recorded model').waitFor({ state: 'visible' });
        // The rows of the typed texts go once the extension has seen the empty input (a shot may come first).
        await modelRow('(offline|anthropic)').first().waitFor({ state: 'detached', timeout: 10000 });
        await page.keyboard.press('Home');
        await shotBothThemes('07-replay-step-model');
        await page.keyboard.press('Enter');
        await title('2/3').waitFor({ timeout: 20000 });
        const params = await input.inputValue();
        if (params !== 'temperature=0.2')
          throw new Error(`parameters step prefilled with "${params}", expected the recorded "temperature=0.2"`);
        await shot('08-replay-step-parameters');
        await page.keyboard.press('Enter');
        await title('3/3').waitFor({ timeout: 20000 });
        await listRow('Chained').waitFor();
        await shot('09-replay-step-mode');
        await page.keyboard.press('Enter');
        // The summary: one row per fact, the estimate as a range, an explicit Start replay.
        await title('summary').waitFor({ timeout: 20000 });
        for (const text of [
          'Start replay',
          'weather-agent',
          'recorded: openai:gpt-4o-mini',
          'as recorded: temperature=0.2',
          'Independent',
          'Estimated cost',
        ])
          await listRow(text).waitFor();
        const heading = await widget.locator('.quick-input-title').innerText();
        if (heading.includes('(')) throw new Error(`the summary title has parentheses: "${heading}"`);
        await t.logRows('summary rows', widget);
        await shotBothThemes('09b-replay-summary');
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden' });
        await page.setViewportSize({ width: 1400, height: 900 });
      },
    );

    await step(
      'the replay reaches COMPLETED in the Replays view and a notification offers "Open Comparison"',
      async () => {
        const jobRow = replaysTree().locator('.monaco-list-row[aria-level="2"]', { hasText: 'recorded model' });
        await jobRow.locator('.codicon-pass').waitFor({ timeout: 30000 });
        await replaysTree().locator('.monaco-list-row[aria-level="1"]', { hasText: 'weather-agent' }).waitFor();
        const completed = toast('Replay of weather-agent completed');
        await completed.waitFor({ timeout: 20000 });
        await completed.getByRole('button', { name: 'Open Comparison' }).waitFor();
        // The job's progress notification closes when it ends.
        await t.progressClosed('weather-agent');
        if (fakeLlm.requests.length !== 1)
          throw new Error(`the fake LLM server saw ${fakeLlm.requests.length} requests, expected 1`);
        if (fakeLlm.requests[0].body.model !== 'gpt-4o-mini')
          throw new Error(`replayed with ${fakeLlm.requests[0].body.model}`);
        await t.logRows('replays rows', replaysTree());
        await shot('10-replay-completed');
      },
    );

    await step(
      'clicking the replay row opens the comparison panel: metric cards with deltas and arrows, span diffs',
      async () => {
        await t.clearNotifications();
        await replaysTree().locator('.monaco-list-row[aria-level="2"]', { hasText: 'recorded model' }).click();
        await page.locator('.tab', { hasText: 'Replay: weather-agent' }).waitFor({ timeout: 20000 });
        const frame = t.webview();
        await frame.locator('body[data-panel="comparison"][data-painted]').waitFor({ timeout: 30000 });
        const cards = frame.locator('.metric-card');
        await cards.first().waitFor();
        const n = await cards.count();
        if (n < 3) throw new Error(`${n} metric cards`);
        const deltas = await frame.locator('.metric-card .trend').evaluateAll((els) =>
          els.map((e) => ({
            dir: e.dataset.direction,
            text: e.textContent.trim(),
            arrow: [...(e.querySelector('.codicon')?.classList ?? [])].find(
              (c) => c.startsWith('codicon-arrow') || c === 'codicon-dash',
            ),
          })),
        );
        if (!deltas.some((d) => d.arrow === 'codicon-arrow-up' || d.arrow === 'codicon-arrow-down'))
          throw new Error(`no trend arrow: ${JSON.stringify(deltas)}`);
        if (!deltas.some((d) => /[+−-]\d/.test(d.text))) throw new Error(`no signed delta: ${JSON.stringify(deltas)}`);
        // The first visible diff: an unchanged input is collapsed, the changed output is open.
        const diffs = frame.locator('.span-detail .diff:visible');
        await diffs.first().waitFor({ timeout: 10000 });
        if (!(await frame.locator('.span-detail .diff ins, .span-detail .diff del').count()))
          throw new Error('the span diff marks no change');
        console.log('  metric deltas:', JSON.stringify(deltas.map((d) => `${d.dir} ${d.text}`)));
        await page.mouse.move(0, 0); // no hover tooltips in the README shot
        await shot('11-comparison');
      },
    );

    await step('"Open in Diff Editor" opens VS Code\'s diff editor on the span output', async () => {
      await t.webview().locator('vscode-button[data-action="open-diff-output"]').click();
      await page.locator('.tab', { hasText: 'original ↔ replay' }).waitFor({ timeout: 20000 });
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 20000 });
      // Both sides painted (the editor frame comes first, its text later): a shot of an empty diff proves nothing.
      for (const side of ['original', 'modified']) {
        await page
          .locator(`.monaco-diff-editor .editor.${side} .view-line`, { hasText: /\S/ })
          .first()
          .waitFor({ timeout: 20000 });
      }
      await shot('12-diff-editor');
    });

    await step(
      'clicking the trace row opens the trace detail panel with its replay history and a Replay button',
      async () => {
        const frame = await t.openTracePanel('weather-agent');
        await frame.locator('vscode-button[data-action="replay-trace"]').waitFor();
        const history = await frame.locator('.history-item').count();
        if (history < 1) throw new Error('the trace panel lists no replay');
        await page.mouse.move(0, 0);
        await shot('13-trace-detail');
      },
    );

    await step(
      'right-click a prompt-template file in the Explorer, "Replay with This Prompt Version": both traces replay to COMPLETED',
      async () => {
        await t.clearNotifications();
        await runCommand('Trace Replay: Start OTLP Receiver');
        await receiverItem().waitFor({ timeout: 10000 });
        const res = await fetch(`http://127.0.0.1:${receiverPort}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: promptFixture,
        });
        if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
        for (const name of ['summarize-news', 'summarize-email'])
          await tracesTree().locator('.monaco-list-row[aria-level="1"]', { hasText: name }).waitFor({ timeout: 20000 });
        const sentBefore = fakeLlm.requests.length;

        await runCommand('View: Show Explorer');
        const fileRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: TEMPLATE_FILE });
        await fileRow.waitFor({ timeout: 20000 });
        await fileRow.click({ button: 'right' });
        const item = page.locator('.monaco-menu .action-item', { hasText: 'Replay with This Prompt Version' });
        await item.waitFor({ timeout: 10000 });
        await shot('14-template-context-menu');
        await item.click();

        await title(`Replay with ${TEMPLATE_FILE}`).waitFor({ timeout: 20000 });
        for (const name of ['summarize-news', 'summarize-email'])
          await widget.locator('.monaco-list-row', { hasText: name }).waitFor();
        if (await widget.locator('.monaco-list-row', { hasText: 'free-chat' }).count())
          throw new Error('the pick offers a trace that did not use the prompt');
        await shot('15-template-pick-traces');
        await page.keyboard.press('Enter'); // both are picked already

        // The model step: a model typed as provider:model and Enter (Anthropic: no key anywhere).
        const TYPED = 'anthropic:claude-opus-4-1';
        await title(`Replay with ${TEMPLATE_FILE}: model`).waitFor({ timeout: 20000 });
        await input.fill(TYPED);
        await listRow('use the typed model').waitFor();
        await shot('15a-template-model-typed');
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden' });

        // No key: nothing is queued, the toast names the provider and carries the fix as its button.
        const noKey = toast('needs an API key for Anthropic');
        await noKey.waitFor({ timeout: 20000 });
        const setKey = noKey.getByRole('button', { name: 'Set API Key...' });
        await setKey.waitFor();
        await t.activityButton().click();
        const templateRows = replaysTree().locator('.monaco-list-row[aria-level="2"]', { hasText: TEMPLATE_FILE });
        if (await templateRows.count()) throw new Error('a template replay was queued without a key');
        if (fakeLlm.requests.length !== sentBefore) throw new Error('a request was sent without a key');
        await page.mouse.move(0, 0);
        await shot('15b-template-no-key-toast');

        // "Set API Key..." opens Anthropic's key box; once the key is stored the replays start.
        await setKey.click();
        await title('Anthropic').waitFor({ timeout: 20000 });
        await input.fill('sk-ant-ui-test');
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden' });

        await t.passedJobs({ hasText: TEMPLATE_FILE }).nth(1).waitFor({ timeout: 30000 });
        const text = (c) => (typeof c === 'string' ? c : c.map((b) => b.text ?? '').join(''));
        const calls = fakeLlm.requests.slice(sentBefore).filter((r) => r.api !== 'count_tokens');
        const sent = calls.map((r) => text(r.body.messages.at(-1).content)).sort();
        if (sent.length !== 2 || !sent.every((c) => c.startsWith('Summarize in three words: ')))
          throw new Error(`the fake LLM server got ${JSON.stringify(sent)}`);
        const models = calls.map((r) => `${r.api} ${r.body.model}`);
        if (!models.every((m) => m === 'anthropic.messages claude-opus-4-1'))
          throw new Error(`sent ${JSON.stringify(models)}`);
        // Each job's progress notification closes when it ends.
        await t.progressClosed(/Replay of summarize-(news|email)/);
        await t.logRows('replays rows', replaysTree());
        await t.clearNotifications();
        await page.mouse.move(0, 0);
        await shot('16-template-replays-completed');
        // The key box took the focus last: give it back to the Traces view (its title actions show then).
        await tracesTree().focus();
      },
    );

    await step(
      'the Traces view\'s "Filter Traces..." button narrows the tree and shows the filter; "Clear Filter" restores it',
      async () => {
        const button = (name) => page.getByRole('button', { name }).filter({ visible: true });
        const traceRows = () => tracesTree().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts();
        await button('Filter Traces...').click();
        await input.waitFor({ state: 'visible' });
        await input.fill('summarize prompt:summarize');
        await page.keyboard.press('Enter');
        await page
          .locator('.pane-header .description', { hasText: 'Filter: prompt:summarize summarize' })
          .waitFor({ timeout: 10000 });
        await tracesTree()
          .locator('.monaco-list-row[aria-level="1"]', { hasText: 'weather-agent' })
          .waitFor({ state: 'detached', timeout: 10000 });
        const shown = (await traceRows()).sort();
        if (JSON.stringify(shown) !== JSON.stringify(['summarize-email', 'summarize-news']))
          throw new Error(`filtered rows ${JSON.stringify(shown)}`);
        await page.mouse.move(0, 0);
        await shot('17-traces-filtered');
        await button('Clear Filter').click();
        await tracesTree()
          .locator('.monaco-list-row[aria-level="1"]', { hasText: 'weather-agent' })
          .waitFor({ timeout: 10000 });
        await page
          .locator('.pane-header .description', { hasText: 'Filter:' })
          .waitFor({ state: 'detached', timeout: 10000 });
      },
    );
  },
});
