// The HTML shell of every Trace Replay panel: a strict CSP (no inline script or style; the one
// script carries a fresh nonce), the bundle's CSS and the codicons stylesheet, a #root the renderer
// fills, and the panel kind on <body>. Pure string building, testable in plain Node.
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../../protocol';

export interface WebviewHtmlParts {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** asWebviewUri of dist/webview/main.js, main.css and codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  panel: PanelKind;
  title: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

// Attributes are double-quoted, so `'` (all over a CSP) stays as is.
const escapeAttr = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function buildWebviewHtml(p: WebviewHtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttr(p.codiconsUri)}">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">
<title>${escapeAttr(p.title)}</title>
</head>
<body data-panel="${p.panel}">
<div id="root"></div>
<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>
`;
}
