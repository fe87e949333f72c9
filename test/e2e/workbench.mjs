// What the Playwright tests (ui.mjs, vsix-smoke.mjs) share to drive code-server's workbench:
// steps that build on each other (a screenshot when one fails, the rest skipped), screenshots,
// the Command Palette and the Trace Replay views.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Helpers bound to one page. Returns { step, shot, runCommand, activityButton, tracesTree, counts,
 * harnessFailed }; `counts` is { passed, failed }, for the "N passed, M failed" line.
 */
export function driveWorkbench(page, shotsDir) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const counts = { passed: 0, failed: 0 };
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

  /** Runs a command by its exact palette label ("View: Close All Editors", not "... in Group"). The
   *  row is clicked, not Enter pressed: Enter runs whichever row is focused, and the palette's ranking
   *  (recently used first, "similar commands") differs between VS Code versions. */
  async function runCommand(title) {
    // Keys pressed while a webview panel has focus reach its iframe first and may never open the
    // palette: give the focus back to the workbench (the side bar's title is inert) before F1.
    await page
      .locator('.part.sidebar .composite.title .title-label')
      .first()
      .click({ timeout: 2000 })
      .catch(() => {});
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page
      .locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) })
      .first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  const activityButton = () => page.locator('.activitybar a.action-label[aria-label^="Trace Replay"]');
  const tracesTree = () => page.getByRole('tree', { name: 'Traces' });

  return { step, shot, runCommand, activityButton, tracesTree, counts, harnessFailed };
}
