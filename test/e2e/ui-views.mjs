// UI test of the Traces and Replays views and the diff editor (issue 12, items 3, 9 and 10), in
// code-server's workbench (headless chromium, playwright-core), at 1000 px:
// - the receiver listening on an empty store: the view lists the endpoints; a row's inline copy
//   button puts its address on the clipboard (read back through the browser's clipboard);
// - traces POSTed to the receiver: trace rows lead with the model, LLM span rows read "#1 <model>";
// - a click on one trace and then another leaves ONE preview tab; a double click pins it;
// - a replay whose first call answers with another tool call: "Open in Diff Editor" on its output
//   opens a tab titled by the call ("#1 gpt-4o-mini... · output: original ↔ replay") whose two sides
//   show the recorded and the replayed tool call;
// - Replay from Here (issue 17) with the inline action of the LLM span row: the wizard's steps and
//   summary name the span ("from span ..."), the job reaches COMPLETED (its row says "from span"), its
//   comparison marks the fork point and its Tool calls section shows the replayed call that changed
//   (get_weather's city Paris -> Lyon).
// - the same with Live tools: .vscode/mcp.json names the weather MCP server (test/support/mcp); the Tool
//   results pick offers Live, the summary lists the tools that will really run, the server runs the call
//   the fake LLM asks, the comparison's Tool calls section says the result was live.
// - Replay Trace with 3 samples (issue 18): the summary's Samples row, 6 replays labelled "sample 1/3"
//   ... "A/A 3/3" in the Replays view, and the batch summary with a verdict and its A/A noise per row.
// Screenshots (dark and light): views-01-listening, views-02-traces, views-03-preview, views-04-diff,
// views-06-fork-point, views-07-tool-drift, views-09-live-drift, views-11-samples-batch;
// views-05-from-span-summary, views-08-live-summary and views-10-samples-summary (the wizard, one theme).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, PROJECT_ROOT } from './codeserver.mjs';
import { runStage } from './stage-harness.mjs';
import { escapeRegExp } from './workbench.mjs';

const fixtures = ['weather-agent.otlp.json', 'prompt-apps.otlp.json'].map((f) =>
  fs.readFileSync(path.join(PROJECT_ROOT, 'test/integration/fixtures', f), 'utf8'),
);

await runStage({
  name: 'ui-views',
  fakeLlm: true,
  async setup(t) {
    t.receiverPort = await freePort();
    t.mcpCallLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tr-views-mcp-')), 'calls.jsonl');
  },
  codeServer: { env: { OPENAI_API_KEY: 'sk-ui-views-env-fallback' } },
  workspaceSettings: (t) => ({
    'traceReplay.receiver.port': t.receiverPort,
    'traceReplay.providers.openai.baseUrl': t.fakeLlm.openaiBaseUrl,
  }),
  viewport: { width: 1000, height: 800 },
  // The copy button writes through navigator.clipboard; the test reads it back the same way.
  clipboard: true,
  async tests(t) {
    const { page, step, shotBothThemes, runCommand, clearNotifications, tracesTree, treeRow, webview } = t;
    const traceTabs = () => page.locator('.tabs-container .tab', { hasText: /^Trace: / });

    await step('workbench loads; the Traces view opens on its welcome text', async () => {
      await t.openContainer();
      // A wider side bar so the shots show whole rows.
      await t.widenSideBar(420);
      await t.welcome().waitFor({ timeout: 30000 });
    });

    const endpoint = `http://127.0.0.1:${t.receiverPort}/v1/traces`;
    await step(
      'the receiver listening on an empty store: the view shows the endpoints, the copy button copies one',
      async () => {
        await runCommand('Trace Replay: Start OTLP Receiver');
        await clearNotifications();
        for (const text of [
          `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${t.receiverPort}`,
          endpoint,
          `http://127.0.0.1:${t.receiverPort}/v1/logs`,
        ]) {
          await treeRow(escapeRegExp(text), 1).waitFor({ timeout: 20000 });
        }
        await t.welcome().waitFor({ state: 'hidden' });
        const row = treeRow(escapeRegExp(endpoint), 1);
        await row.hover();
        const copy = row.locator('.actions .action-label.codicon-copy');
        await copy.waitFor({ state: 'visible', timeout: 10000 });
        await page.evaluate(() => navigator.clipboard.writeText('before'));
        await copy.click();
        await page.waitForFunction(async (want) => (await navigator.clipboard.readText()) === want, endpoint, {
          timeout: 10000,
        });
        await t.logRows('listening rows', tracesTree());
        await clearNotifications();
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
        const weather = treeRow('weather-agent', 1);
        await weather.waitFor({ timeout: 20000 });
        await treeRow('summarize-news', 1).waitFor({ timeout: 20000 });
        const description = await weather.locator('.label-description').innerText();
        if (!description.startsWith('gpt-4o-mini'))
          throw new Error(`the trace row's description starts "${description}", not with the model`);
        await weather.locator('.monaco-tl-twistie').click();
        const llm = treeRow('#1 gpt-4o-mini\\S*', 3); // trace > agent span > LLM span
        await llm.waitFor({ timeout: 20000 });
        const text = `${await llm.locator('.label-name').innerText()} | ${await llm.locator('.label-description').innerText()}`;
        if (!/^#1 gpt-4o-mini\S* \| 42→7 tok/.test(text)) throw new Error(`the LLM span row reads "${text}"`);
        await t.logRows('tree rows', tracesTree());
        await shotBothThemes('views-02-traces');
      },
    );

    await step('a click on one trace and then on another leaves one preview tab; a double click pins it', async () => {
      await treeRow('weather-agent', 1).locator('.label-name').click();
      await page.locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' }).waitFor({ timeout: 20000 });
      await treeRow('summarize-news', 1).locator('.label-name').click();
      await page.locator('.tabs-container .tab', { hasText: 'Trace: summarize-news' }).waitFor({ timeout: 20000 });
      await page
        .locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' })
        .waitFor({ state: 'detached', timeout: 10000 });
      const n = await traceTabs().count();
      if (n !== 1)
        throw new Error(`${n} trace tabs after two clicks: ${JSON.stringify(await traceTabs().allInnerTexts())}`);
      await shotBothThemes('views-03-preview');
      // A double click keeps the panel: the next click opens a second one.
      await treeRow('summarize-news', 1).locator('.label-name').dblclick();
      await treeRow('weather-agent', 1).locator('.label-name').click();
      await page.locator('.tabs-container .tab', { hasText: 'Trace: weather-agent' }).waitFor({ timeout: 20000 });
      const tabs = await traceTabs().allInnerTexts();
      if (tabs.length !== 2 || !tabs.some((tab) => tab.includes('summarize-news')))
        throw new Error(`trace tabs after the double click: ${JSON.stringify(tabs)}`);
    });

    await step(
      'a replay whose first call answers with another tool call: Open in Diff Editor names the call and shows both tool calls',
      async () => {
        await runCommand('View: Close All Editors');
        t.fakeLlm.enqueue({
          toolCalls: [{ id: 'call_f', name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } }],
        });
        await t.pickTraceToReplay('weather-agent');
        // Every step's default (the recorded model, its parameters, independent), then Start replay.
        await t.acceptSteps(['1/3', '2/3', '3/3', 'summary']);
        await t.widget.waitFor({ state: 'hidden' });
        const job = t.passedJobs();
        await job.waitFor({ timeout: 30000 });
        await t.logRows('replays rows', t.replaysTree());
        await clearNotifications();
        await job.click();
        await page.locator('.tabs-container .tab', { hasText: 'Replay: weather-agent' }).waitFor({ timeout: 20000 });
        await webview().locator('body[data-panel="comparison"][data-painted]').waitFor({ timeout: 30000 });
        await webview().locator('vscode-button[data-action="open-diff-output"]').first().click();
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

    await step(
      'Replay from Here on the LLM span row: the wizard "from span ...", COMPLETED; the comparison marks the fork point and shows the tool-call drift',
      async () => {
        await runCommand('View: Close All Editors');
        await clearNotifications();
        // The replayed model asks the same tool with another city: a "changed" row in the drift section.
        t.fakeLlm.enqueue({ toolCalls: [{ id: 'call_l', name: 'get_weather', arguments: { city: 'Lyon' } }] });
        // weather-agent's LLM span row (summarize-news, expanded by now, has one at the same level).
        const llm = treeRow('#1 gpt-4o-mini\\S*', 3).filter({ hasText: '42→7 tok' });
        const n = await llm.count();
        if (n !== 1) throw new Error(`${n} LLM span rows read "42→7 tok"`);
        await llm.hover();
        const action = llm.locator('.actions .action-label.codicon-debug-step-into');
        await action.waitFor({ state: 'visible', timeout: 10000 });
        await action.click();
        // No mode step (a replay from a span is chained): model, parameters, then the summary.
        await t.title('from span chat gpt-4o-mini').first().waitFor({ timeout: 20000 });
        await t.acceptSteps(['1/2', '2/2']);
        await t.title('summary').waitFor({ timeout: 20000 });
        await t.listRow('From span').waitFor({ state: 'visible' });
        await t.logRows('summary rows', t.widget);
        await page.mouse.move(0, 0);
        await t.shot('views-05-from-span-summary');
        await page.keyboard.press('Enter'); // Start replay, the first row
        await t.widget.waitFor({ state: 'hidden' });
        const job = t.passedJobs({ hasText: 'from span' });
        await job.waitFor({ timeout: 30000 });
        await t.logRows('replays rows', t.replaysTree());
        await t.progressClosed('weather-agent');
        await clearNotifications();
        await job.click();
        await page.locator('.tabs-container .tab', { hasText: 'Replay: weather-agent' }).waitFor({ timeout: 20000 });
        const panel = webview();
        await panel.locator('body[data-panel="comparison"][data-painted]').waitFor({ timeout: 30000 });
        const fork = panel.locator('.fork-point').first();
        await fork.waitFor({ timeout: 10000 });
        await fork.scrollIntoViewIfNeeded();
        await shotBothThemes('views-06-fork-point');
        const drift = panel.locator('section[aria-labelledby="tool-calls-title"]');
        await drift.locator('[data-status="changed"]').first().waitFor({ timeout: 10000 });
        const driftText = await drift.innerText();
        if (!/Paris/.test(driftText) || !/Lyon/.test(driftText))
          throw new Error(`the Tool calls section reads ${JSON.stringify(driftText.slice(0, 400))}`);
        await drift.locator('h2').scrollIntoViewIfNeeded();
        await shotBothThemes('views-07-tool-drift');
      },
    );

    await step(
      'Replay from Here with Live tools: the Tool results pick offers Live (.vscode/mcp.json), the summary lists the tools that will really run, the MCP server runs the call',
      async () => {
        await runCommand('View: Close All Editors');
        await clearNotifications();
        fs.writeFileSync(
          path.join(t.cs.workspace, '.vscode', 'mcp.json'),
          JSON.stringify({
            servers: {
              weather: {
                type: 'stdio',
                command: process.execPath,
                args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/mcp/weather-mcp-server.ts')],
                cwd: PROJECT_ROOT,
                env: { MCP_CALL_LOG: t.mcpCallLog },
              },
            },
          }),
        );
        t.fakeLlm.enqueue([
          { toolCalls: [{ id: 'call_v', name: 'get_weather', arguments: { city: 'Lyon' } }] },
          { text: 'Lyon is sunny.' },
        ]);
        const llm = treeRow('#1 gpt-4o-mini\\S*', 3).filter({ hasText: '42→7 tok' });
        await llm.hover();
        await llm.locator('.actions .action-label.codicon-debug-step-into').click();
        await t.title('from span chat gpt-4o-mini').first().waitFor({ timeout: 20000 });
        await t.acceptSteps(['1/2', '2/2']);
        await t.title('summary').waitFor({ timeout: 20000 });
        await t.listRow('Tool results').click();
        await t.title('tool results').waitFor({ timeout: 20000 });
        await t.listRow('Live').click();
        // The servers start, then the summary again: Live, with the tools that will really run.
        await t.listRow(/Will really run: /).waitFor({ state: 'visible', timeout: 30000 });
        const tools = await t.listRow(/Will really run: /).innerText();
        if (!/Will really run: fail_tool, get_time, get_weather\b.* \(weather\)/.test(tools))
          throw new Error(`the summary's Tool results row reads ${JSON.stringify(tools)}`);
        await page.mouse.move(0, 0);
        await t.shot('views-08-live-summary');
        await t.listRow('Start replay').click();
        await t.widget.waitFor({ state: 'hidden' });
        const job = t.passedJobs({ hasText: 'live tools' });
        await job.waitFor({ timeout: 30000 });
        const served = fs.readFileSync(t.mcpCallLog, 'utf8');
        if (!served.includes('{"tool":"get_weather","args":{"city":"Lyon"}}'))
          throw new Error(`the MCP server served ${JSON.stringify(served)}`);
        await t.progressClosed('weather-agent');
        await clearNotifications();
        await job.click();
        await page.locator('.tabs-container .tab', { hasText: 'Replay: weather-agent' }).waitFor({ timeout: 20000 });
        const panel = webview();
        await panel.locator('body[data-panel="comparison"][data-painted]').waitFor({ timeout: 30000 });
        const drift = panel.locator('section[aria-labelledby="tool-calls-title"]');
        await drift.locator('.drift-result-live').first().waitFor({ timeout: 10000 });
        await drift.locator('h2').scrollIntoViewIfNeeded();
        await shotBothThemes('views-09-live-drift');
      },
    );

    await step(
      "Replay Trace with 3 samples (the summary's Samples row): 3 with the typed model and 3 A/A, labelled in the Replays view; the batch summary shows each verdict with its A/A noise",
      async () => {
        await runCommand('View: Close All Editors');
        await clearNotifications();
        fs.rmSync(path.join(t.cs.workspace, '.vscode', 'mcp.json'), { force: true });
        let release;
        const gate = new Promise((resolve) => (release = resolve));
        t.fakeLlm.enqueue(Array.from({ length: 6 }, () => ({ hold: gate })));
        await t.pickTraceToReplay('weather-agent');
        await t.title('1/3').waitFor({ timeout: 20000 });
        await t.input.fill('openai:gpt-5-nano');
        await t.listRow('use the typed model').click();
        await t.acceptSteps(['2/3', '3/3']);
        await t.title('summary').waitFor({ timeout: 20000 });
        await t.listRow('Samples').click();
        await t.title('samples').waitFor({ timeout: 20000 });
        await t.widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^3$/ }) }).click();
        await t.listRow('3 with your changes + 3 without').waitFor({ state: 'visible', timeout: 20000 });
        const start = await t.listRow('Start replay').innerText();
        if (!/6 replays/.test(start)) throw new Error(`the Start replay row reads ${JSON.stringify(start)}`);
        await t.logRows('summary rows', t.widget);
        await page.mouse.move(0, 0);
        await t.shot('views-10-samples-summary');
        await t.listRow('Start replay').click();
        await t.widget.waitFor({ state: 'hidden' });
        // The six calls wait at the fake server until the run's one progress notification has been seen.
        // VS Code shows no toast for a notification added within 800 ms of three others (its spam
        // protection, notificationsToasts.ts): at real LLM speed the batch's toast comes later than that.
        const progress = t.toast('Repeated samples of weather-agent');
        await progress.waitFor({ timeout: 20000 });
        await page
          .locator('.notification-toast.notification-fade-in-done', { hasText: 'Repeated samples of weather-agent' })
          .waitFor({ timeout: 10000 });
        await t.shot('views-10b-samples-progress');
        await page.waitForTimeout(900);
        release();
        const finished = t.toast('The batch of 6 replays finished: 6 completed');
        await finished.waitFor({ timeout: 60000 });
        await t.logRows('replays rows', t.replaysTree());
        for (const label of ['sample 1/3', 'A/A 3/3']) await t.passedJobs({ hasText: label }).first().waitFor();
        await finished.locator('.monaco-button', { hasText: 'Open Batch Summary' }).click();
        const panel = webview();
        await panel.locator('body[data-panel="batch"][data-painted]').waitFor({ timeout: 30000 });
        await panel.locator('.verdict-cell .verdict-noise').first().waitFor({ timeout: 10000 });
        const header = await panel.locator('.panel-header').innerText();
        if (!/3 samples/.test(header)) throw new Error(`the batch header reads ${JSON.stringify(header)}`);
        await shotBothThemes('views-11-samples-batch');
      },
    );
  },
  async teardown(t) {
    if (t.mcpCallLog) fs.rmSync(path.dirname(t.mcpCallLog), { recursive: true, force: true });
  },
});
