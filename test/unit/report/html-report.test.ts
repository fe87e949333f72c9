// The self-contained HTML report: data embedded safely (no way out of its <script>), CSP with a
// nonce on every script and style, the right message for a comparison / batch, assets located or
// a clear error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import { aggregateBatch } from '../../../src/core/compare/aggregate-batch';
import { toBatchJson, toComparisonJson, type ComparisonJson } from '../../../src/core/compare/render-json';
import { diffSides } from '../../../src/core/report/diff-sides';
import { escapeHtml, renderHtmlReport, scriptSafeJson } from '../../../src/core/report/html-report';
import { inlineCodiconFont, loadReportAssets, ReportAssetsMissingError } from '../../../src/core/report/report-assets';
import { diffArgsOf } from '../../../src/extension/panels/diff-args';
import { EMBEDDED_DATA_ID } from '../../../src/protocol';
import { llmSpans, loadFixture, makeReplay } from '../compare/compare-test-helpers';

const HOSTILE = '</script><script>window.__xss=1</script><!-- <img src=x onerror="alert(1)">';
const assets = {
  script: 'console.log("renderer </script> inside a string");',
  css: 'body{}',
  themeCss: ':root{}',
  codiconCss: '.codicon{}',
};

function hostileComparison(): ComparisonJson {
  const original = loadFixture('traceloop-openai-agent');
  const [, second] = llmSpans(original);
  const { replay, job } = makeReplay(original, { edits: { [second.id]: { output: { text: HOSTILE } } } });
  original.name = `agent ${HOSTILE}`;
  return toComparisonJson(buildComparison({ original, replay, job }));
}

function embedded(html: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${EMBEDDED_DATA_ID}">([\\s\\S]*?)</script>`).exec(html);
  assert.ok(m, 'embedded data present');
  return JSON.parse(m[1]) as unknown;
}

describe('HTML report', () => {
  const comparison = hostileComparison();
  const html = renderHtmlReport(comparison, {
    assets,
    nonce: 'n0nce',
    history: [{ jobId: 'job-1', createdAt: '2026-01-01T00:00:00Z', status: 'COMPLETED' }],
  });

  it('embeds the comparison so that no </script> or <!-- of the data reaches the HTML', () => {
    const start = html.indexOf(`id="${EMBEDDED_DATA_ID}">`);
    const data = html.slice(start, html.indexOf('</script>', start));
    assert.doesNotMatch(data, /<\/script|<!--|<img/i);
    const message = embedded(html) as { method: string; params: { comparison: ComparisonJson; history: unknown[] } };
    assert.equal(message.method, 'comparison/show');
    assert.deepEqual(message.params.comparison, comparison, 'the data reads back unchanged');
    assert.equal(message.params.history.length, 1);
  });

  it("has exactly the scripts it means to: the JSON block and the nonce'd renderer", () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1].trim());
    assert.deepEqual(scripts, [`type="application/json" id="${EMBEDDED_DATA_ID}"`, 'nonce="n0nce"']);
    assert.match(html, /renderer <\\\/script> inside a string/, 'the inlined bundle cannot close its element');
  });

  it('CSP: nothing by default, scripts and styles only with the nonce, fonts and images from data:', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
    assert.equal(
      csp,
      `default-src 'none'; script-src 'nonce-n0nce'; style-src 'nonce-n0nce'; font-src data:; img-src data:`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    for (const m of html.matchAll(/<style\b([^>]*)>/g)) assert.equal(m[1].trim(), 'nonce="n0nce"');
  });

  it('escapes the title (trace names are trace content too)', () => {
    const title = /<title>([^<]*)<\/title>/.exec(html)![1];
    assert.equal(title, escapeHtml(`Replay comparison: agent ${HOSTILE}`));
  });

  it('a batch is shown with the batch panel', () => {
    const original = loadFixture('traceloop-openai-single');
    const { replay, job } = makeReplay(original);
    const batchHtml = renderHtmlReport(toBatchJson(aggregateBatch([buildComparison({ original, replay, job })])), {
      assets,
      title: 'Nightly',
    });
    assert.match(batchHtml, /<body data-panel="batch">/);
    assert.equal((embedded(batchHtml) as { method: string }).method, 'batch/show');
    assert.notEqual(
      /nonce="([^"]+)"/.exec(batchHtml)![1],
      /nonce="([^"]+)"/.exec(renderHtmlReport(comparison, { assets }))![1],
      'a fresh nonce per report',
    );
  });

  it('scriptSafeJson round-trips line separators and angle brackets', () => {
    const value = { s: '</script>\u2028\u2029<!--' };
    const text = scriptSafeJson(value);
    assert.doesNotMatch(text, /[<\u2028\u2029]/);
    assert.deepEqual(JSON.parse(text), value);
  });
});

describe('HTML report assets', () => {
  it('says to run the build when the webview bundle is missing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tr-report-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{"name":"trace-replay"}');
      mkdirSync(path.join(dir, 'media'));
      assert.throws(
        () => loadReportAssets(dir),
        (e: unknown) =>
          e instanceof ReportAssetsMissingError &&
          e.code === 'REPORT_ASSETS_MISSING' &&
          /npm run build/.test(e.message) &&
          /main\.js/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inlines the codicons font as a data: URL', () => {
    const css = '@font-face { src: url("./codicon.ttf?abc123") format("truetype"); }';
    assert.equal(
      inlineCodiconFont(css, Buffer.from('font')),
      `@font-face { src: url("data:font/ttf;base64,${Buffer.from('font').toString('base64')}") format("truetype"); }`,
    );
  });
});

describe('diff texts for the diff editor', () => {
  it('rebuilds both sides of a word diff and of a JSON diff', () => {
    assert.deepEqual(
      diffSides({
        chunks: [
          { op: 'equal', text: 'It is ' },
          { op: 'delete', text: 'sunny' },
          { op: 'insert', text: 'rainy' },
          { op: 'equal', text: '.' },
        ],
      }),
      { original: 'It is sunny.', replay: 'It is rainy.' },
    );
    const original = loadFixture('traceloop-openai-agent');
    const [, second] = llmSpans(original);
    const { replay, job } = makeReplay(original, { edits: { [second.id]: { output: { text: 'Rainy in Paris.' } } } });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const out = diffArgsOf(c, second.id, 'output')!;
    // The whole output as JSON (test/unit/extension/diff-args.test.ts covers tool calls).
    assert.equal((JSON.parse(out.original) as { text: string }).text, second.llm!.output.text);
    assert.equal((JSON.parse(out.replay) as { text: string }).text, 'Rainy in Paris.');
    assert.equal(out.language, 'json');
    assert.equal(
      diffArgsOf(c, second.id, 'input')!.original,
      diffArgsOf(c, second.id, 'input')!.replay,
      'unchanged input: same text on both sides',
    );
    assert.equal(diffArgsOf(c, 'nope', 'output'), undefined);
  });
});
