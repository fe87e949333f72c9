// What the Playwright stages (ui*.mjs and vsix-smoke.mjs, through stage-harness.mjs) use to drive
// code-server's workbench: steps that build on each other (a screenshot when one fails, the rest
// skipped), screenshots (one, or light and dark), the Command Palette and the quick input,
// notifications, the Trace Replay views, the side bar and the visible webview panel.
import fs from 'node:fs';
import path from 'node:path';

/** `text` as a regular expression source that matches it literally. */
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const THEMES = [
  ['Default Light Modern', 'vs', 'light'],
  ['Default Dark Modern', 'vs-dark', 'dark'],
];

/**
 * Helpers bound to one page. `counts` ({ passed, failed }, for the "N passed, M failed" line) is the
 * stage's; `writeSettings(extra)` rewrites the workspace settings (the theme shots switch through it).
 */
export function driveWorkbench(page, shotsDir, { counts = { passed: 0, failed: 0 }, writeSettings } = {}) {
  fs.mkdirSync(shotsDir, { recursive: true });
  let aborted = false;

  const shot = async (name) => {
    await page.screenshot({ path: path.join(shotsDir, name + '.png') });
    console.log(`  screenshot ${name}.png`);
  };

  async function step(name, fn) {
    if (aborted) {
      counts.failed++;
      console.log(`SKIP - ${name} (an earlier step failed)`);
      return;
    }
    const s = Date.now();
    try {
      await fn();
      counts.passed++;
      console.log(`ok   - ${name} (${Date.now() - s} ms)`);
    } catch (e) {
      counts.failed++;
      aborted = true; // the steps build on each other
      console.log(`FAIL - ${name}: ${e.message.split('\n')[0]}`);
      await shot('FAIL-' + name.replace(/\W+/g, '_')).catch(() => {});
    }
  }

  /** A failure outside any step (the workbench did not open, the browser died...). */
  const harnessFailed = (e) => {
    counts.failed++;
    console.log('FAIL - harness:', e.message);
  };

  /** Dark and light shots `<name>-light`, `<name>-dark` of what is on screen now. The workspace setting
   *  switches the theme live (written each time: a theme only set at startup is not applied by the web
   *  workbench). `restore`: back to the workspace's own settings (the default theme) afterwards. */
  async function shotBothThemes(name, { restore = false } = {}) {
    if (!writeSettings) throw new Error('shotBothThemes needs the stage to write the workspace settings');
    await page.mouse.move(0, 0); // no hover tooltips in the shots
    for (const [theme, cls, suffix] of THEMES) {
      writeSettings({ 'workbench.colorTheme': theme });
      await page.locator(`.monaco-workbench.${cls}`).waitFor({ timeout: 10000 });
      await shot(`${name}-${suffix}`);
    }
    if (restore) {
      writeSettings({});
      await page.locator('.monaco-workbench.vs').waitFor({ timeout: 10000 });
    }
  }

  // ---- the quick input (Command Palette and the extension's own picks)
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  /** The first row of the open quick input that contains `text`. */
  const listRow = (text) => widget.locator('.monaco-list-row', { hasText: text }).first();
  const title = (text) => widget.locator('.quick-input-title', { hasText: text });

  /** Keys pressed while a webview panel has focus reach its iframe first and may never open the
   *  palette: gives the focus back to the workbench (the side bar's title is inert). */
  const focusWorkbench = () =>
    page
      .locator('.part.sidebar .composite.title .title-label')
      .first()
      .click({ timeout: 2000 })
      .catch(() => {});

  /** Runs a command by its exact palette label ("View: Close All Editors", not "... in Group"). The
   *  row is clicked, not Enter pressed: Enter runs whichever row is focused, and the palette's ranking
   *  (recently used first, "similar commands") differs between VS Code versions. */
  async function runCommand(label) {
    await focusWorkbench();
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + label);
    const exact = new RegExp(`^${escapeRegExp(label)}$`);
    const row = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    // The palette has closed: hidden, or already showing the command's own pick or input box (a command
    // that opens one at once may reuse the widget before a poll ever sees it hidden).
    await page.waitForFunction(
      ([sel, typed]) => {
        const w = document.querySelector(sel);
        const box = w?.querySelector('.quick-input-box input');
        return !w || w.offsetParent === null || getComputedStyle(w).display === 'none' || box?.value !== typed;
      },
      ['.quick-input-widget', '>' + label],
      { timeout: 30000 },
    );
  }

  /** Starts a command that goes on in the same quick input (a pick of its own: the widget never
   *  hides in between), with Enter on the palette's first row once a row naming it shows. */
  async function startCommand(label) {
    await focusWorkbench();
    await page.keyboard.press('F1');
    await input.fill('>' + label);
    await listRow(label).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
  }

  /** Waits for each titled step of a quick-input flow in turn and accepts its default with Enter. */
  async function acceptSteps(titles) {
    for (const text of titles) {
      await title(text).waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
    }
  }

  /** "Trace Replay: Replay Trace" from the palette, up to its trace pick (which lists `listed`), then
   *  `trace` typed into the filter and picked. */
  async function pickTraceToReplay(trace, listed = trace) {
    await startCommand('Trace Replay: Replay Trace');
    await listRow(listed).waitFor({ state: 'visible', timeout: 20000 });
    await input.fill(trace);
    await listRow(trace).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
  }

  /** "Replay Trace" on `trace` (its pick lists `listed` first) with the recorded model and the prompt
   *  version `pick`, once the prompt step (2/4) offers each of `versions`; `shotName`: the prompt step. */
  async function replayWithPromptVersion(trace, { listed, versions, pick, shotName }) {
    await pickTraceToReplay(trace, listed);
    await listRow('Keep recorded model').waitFor({ state: 'visible', timeout: 20000 });
    await title('1/4').waitFor();
    // A click picks that row whatever is active (an Enter right after the step appeared was once lost on 1.139).
    await listRow('Keep recorded model').click();
    await title('2/4').waitFor({ timeout: 20000 });
    await listRow('Keep recorded prompt').waitFor({ state: 'visible' });
    for (const v of versions) await listRow(v).waitFor({ state: 'visible', timeout: 20000 });
    await logRows('prompt rows', widget);
    await shot(shotName);
    await listRow(pick).click();
    // The model's parameters, the mode, then the summary, with Start replay first.
    await acceptSteps(['3/4', '4/4', 'summary']);
    await widget.waitFor({ state: 'hidden' });
  }

  // ---- notifications
  /** The toasts that contain `text` (more filters, e.g. hasNotText, in `more`). */
  const toast = (text, more = {}) =>
    page.locator('.notifications-toasts .notification-list-item', { hasText: text, ...more });
  const clearNotifications = () => runCommand('Notifications: Clear All Notifications');
  /** The progress notification of the replay of `trace` has closed (it closes when the job ends). */
  const progressClosed = (trace) =>
    toast(trace instanceof RegExp ? trace : `Replay of ${trace}`, { hasNotText: 'completed' })
      .first()
      .waitFor({ state: 'detached', timeout: 10000 });

  // ---- the Trace Replay container and its views
  const activityButton = () => page.locator('.activitybar a.action-label[aria-label^="Trace Replay"]');
  const tracesTree = () => page.getByRole('tree', { name: 'Traces' });
  const replaysTree = () => page.getByRole('tree', { name: 'Replays' });
  const welcome = () => page.locator('.welcome-view-content', { hasText: 'No traces yet' });
  /** A Traces row whose label is all of `name` (a regular expression source), at `level` if given. */
  const treeRow = (name, level) =>
    tracesTree().locator(level ? `.monaco-list-row[aria-level="${level}"]` : '.monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
    });
  /** The Replays view's job rows (level 2) with the passed icon. */
  const passedJobs = (more = {}) =>
    replaysTree().locator('.monaco-list-row[aria-level="2"]', { has: page.locator('.codicon-pass'), ...more });
  const logRows = async (label, tree) =>
    console.log(`  ${label}:`, JSON.stringify(await tree.locator('.monaco-list-row').allInnerTexts()));

  /** The replay of `trace` reached COMPLETED (a passed job in the Replays view, under the trace's row)
   *  and the fake LLM server got `systemPrompt` as a Chat Completions system message; its progress
   *  notification closed. Then the notifications are cleared for the shot `shotName`. */
  async function expectReplayCompleted(trace, { fakeLlm, systemPrompt, shotName }) {
    await passedJobs().first().waitFor({ timeout: 30000 });
    await replaysTree().locator('.monaco-list-row[aria-level="1"]', { hasText: trace }).waitFor();
    const systemPrompts = fakeLlm.requests
      .filter((r) => r.api === 'chat.completions')
      .map((r) => r.body.messages[0]?.content);
    if (!systemPrompts.includes(systemPrompt))
      throw new Error(`the fake LLM server got system prompts ${JSON.stringify(systemPrompts)}`);
    await logRows('replays rows', replaysTree());
    await progressClosed(trace);
    await clearNotifications();
    await page.mouse.move(0, 0);
    await shot(shotName);
  }

  /** The workbench is up with the "Trace Replay" activity-bar button. */
  async function waitForWorkbench() {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await activityButton().waitFor({ timeout: 60000 });
  }
  /** The workbench is up and the "Trace Replay" container is opened from the activity bar. */
  async function openContainer() {
    await waitForWorkbench();
    await activityButton().click();
  }

  /** Drags the sash on the side bar's right edge (as a user would) until the side bar is `width` px. */
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

  /** The visible webview's content frame (VS Code nests the page in #active-frame). */
  const webview = () => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

  /** A click on the label of the trace row `name` (level 1) opens its tab "Trace: <name>", whose detail
   *  panel is painted. Returns the panel's frame. */
  async function openTracePanel(name) {
    await treeRow(escapeRegExp(name), 1).locator('.label-name').click();
    await page.locator('.tab', { hasText: `Trace: ${name}` }).waitFor({ timeout: 20000 });
    const frame = webview();
    await frame.locator('body[data-panel="trace"][data-painted]').waitFor({ timeout: 30000 });
    return frame;
  }

  return {
    step,
    shot,
    shotBothThemes,
    widget,
    input,
    listRow,
    title,
    runCommand,
    startCommand,
    acceptSteps,
    pickTraceToReplay,
    replayWithPromptVersion,
    toast,
    clearNotifications,
    progressClosed,
    activityButton,
    tracesTree,
    replaysTree,
    welcome,
    treeRow,
    passedJobs,
    logRows,
    expectReplayCompleted,
    waitForWorkbench,
    openContainer,
    widenSideBar,
    webview,
    openTracePanel,
    counts,
    harnessFailed,
  };
}
