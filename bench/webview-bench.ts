// First render of a 1,000-span comparison in Chromium, as the webview does it: the page is loaded
// with a stub VS Code API, then receives `comparison/show` by postMessage (structured clone, as
// from the extension host). Measured from the message being handled to the next frame (DOM build,
// style and layout). One warm-up load, then the median of the runs. Goal: < 300 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { toComparisonJson } from '../src/core/compare/render-json';
import { writeHtmlReport } from '../src/core/report/html-report';
import { envelope, ShowComparisonMessage } from '../src/protocol';
import { largeComparison } from '../test/e2e/webview-fixtures';
import type { BenchResult } from './bench-result';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const RUNS = 5;
const SPANS = 1000;

const STUB_VSCODE_API = `window.acquireVsCodeApi = () => ({
  postMessage: m => { if (m.method === 'webview/ready') window.__ready = true; },
  setState: () => undefined,
  getState: () => undefined,
});`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchWebview(): Promise<BenchResult[]> {
  // A short TMPDIR: chromium's socket paths must stay under 108 characters.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trwb-'));
  const comparison = toComparisonJson(largeComparison(SPANS));
  const file = await writeHtmlReport(path.join(dir, 'large.html'), comparison);
  const message = envelope(ShowComparisonMessage, { comparison, history: [] });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    env: { ...process.env, TMPDIR: dir },
  });
  try {
    const firstRender: number[] = [];
    const build: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // A string, not a function: tsx's transform would add helpers the page does not have.
      await page.addInitScript(STUB_VSCODE_API);
      await page.goto(`file://${file}`);
      await page.waitForFunction('window.__ready === true');
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      await page.waitForSelector('body[data-painted]');
      const m = (await page.evaluate(`({
        first: performance.getEntriesByName('trace-replay:first-render')[0].duration,
        build: performance.getEntriesByName('trace-replay:render')[0].duration,
        rows: document.querySelectorAll('.tree-row').length,
      })`)) as { first: number; build: number; rows: number };
      if (m.rows !== comparison.spans.length) throw new Error(`rendered ${m.rows} rows of ${comparison.spans.length}`);
      await page.close();
      if (i === 0) continue; // warm-up: first use of the browser process
      firstRender.push(m.first);
      build.push(m.build);
    }
    return [
      {
        name: `webview first render, ${SPANS}-span comparison (median of ${RUNS})`,
        value: median(firstRender),
        unit: 'ms',
        goal: '< 300',
      },
      { name: `  of which DOM build + insert`, value: median(build), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchWebview().then(
    (rs) =>
      rs.forEach((r) =>
        console.log(
          `${r.name.padEnd(60)} ${r.value.toFixed(1).padStart(8)} ${r.unit}${r.goal ? `   (goal ${r.goal})` : ''}`,
        ),
      ),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
