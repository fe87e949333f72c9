// A self-contained HTML report of a comparison or a batch: one file with the webview bundle, its
// CSS, a fallback theme and the codicons font inlined, and the data embedded as JSON. It renders
// with the same renderer as the VS Code panels (which notices it runs outside VS Code). Pure string
// building; reading the assets is report-assets.ts.
import type { TemplateRef } from '../prompts/template-ref';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchJson, ComparisonJson } from '../compare/render-json';
import {
  EMBEDDED_DATA_ID,
  envelope,
  ShowBatchMessage,
  ShowComparisonMessage,
  type Envelope,
  type PanelKind,
  type ReplayHistoryEntry,
} from '../../protocol';
import { loadReportAssets, type ReportAssets } from './report-assets';

export type ReportData = ComparisonJson | BatchJson | Envelope;

export interface HtmlReportOptions {
  title?: string;
  /** For a comparison: the trace's replays, listed at the bottom (text only in a report). */
  history?: ReplayHistoryEntry[];
  /** Defaults to the built files of this package (loadReportAssets). */
  assets?: ReportAssets;
  /** Fixed nonce, for byte-identical output in tests; random by default. */
  nonce?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element: no `<` at all (so no `</script>` or `<!--`), and no
 *  U+2028/2029 line separators. JSON.parse reads the escapes back to the same text. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline JS must not close its own <script> element or open an HTML comment. */
function scriptSafeJs(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function isComparisonJson(d: ReportData): d is ComparisonJson {
  return 'replayId' in d && 'spans' in d && 'metrics' in d;
}

function isBatchJson(d: ReportData): d is BatchJson {
  return 'bootstrap' in d && 'evaluators' in d && 'replayIds' in d;
}

function messageOf(data: ReportData, o: HtmlReportOptions): { message: Envelope; panel: PanelKind; title: string } {
  if (isComparisonJson(data)) {
    const params = { comparison: data, history: o.history ?? [] } as {
      comparison: ComparisonJson;
      history: ReplayHistoryEntry[];
      template?: TemplateRef;
    };
    if (data.overrides.template !== undefined) params.template = data.overrides.template;
    return {
      message: envelope(ShowComparisonMessage, params),
      panel: 'comparison',
      title: o.title ?? `Replay comparison: ${data.traceName}`,
    };
  }
  if (isBatchJson(data)) {
    const params = o.title !== undefined ? { batch: data, title: o.title } : { batch: data };
    return {
      message: envelope(ShowBatchMessage, params),
      panel: 'batch',
      title: o.title ?? `Batch replay (${data.count} traces)`,
    };
  }
  const panel: PanelKind = data.method.startsWith('trace/')
    ? 'trace'
    : data.method.startsWith('batch/')
      ? 'batch'
      : 'comparison';
  return { message: data, panel, title: o.title ?? 'Trace Replay report' };
}

export function renderHtmlReport(data: ReportData, options: HtmlReportOptions = {}): string {
  const assets = options.assets ?? loadReportAssets();
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const { message, panel, title } = messageOf(data, options);
  // No network, no inline handlers: only the nonce'd script and styles run; fonts and images only
  // from data: URLs (the codicons font is inlined).
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `font-src data:`,
    `img-src data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trace-replay">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
${assets.themeCss}
</style>
<style nonce="${nonce}">
${assets.codiconCss}
</style>
<style nonce="${nonce}">
${assets.css}
</style>
</head>
<body data-panel="${panel}">
<div id="root"></div>
<script type="application/json" id="${EMBEDDED_DATA_ID}">${scriptSafeJson(message)}</script>
<script nonce="${nonce}">
${scriptSafeJs(assets.script)}
</script>
</body>
</html>
`;
}

/** Writes the report (creating the folder) and returns its absolute path. */
export async function writeHtmlReport(
  file: string,
  data: ReportData,
  options: HtmlReportOptions = {},
): Promise<string> {
  const html = renderHtmlReport(data, options);
  const out = path.resolve(file);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html, 'utf8');
  return out;
}
