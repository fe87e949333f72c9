// The panels' HTML shell: strict CSP, nonce'd script, no inline script or style.
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, makeNonce } from '../../../src/extension/panels/webview-html';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/node_modules/@vscode/codicons/dist/codicon.css',
  panel: 'comparison' as const,
  title: 'Replay: <b>agent</b>',
};

describe('webview HTML shell', () => {
  const html = buildWebviewHtml(parts);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];

  it('has a strict CSP: nothing by default, scripts only with the nonce, styles/fonts/images from the webview', () => {
    assert.equal(
      csp,
      `default-src 'none'; script-src 'nonce-abc123'; style-src ${parts.cspSource}; img-src ${parts.cspSource} data:; font-src ${parts.cspSource}`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('every script carries the nonce and loads the bundle; there is no inline script or style', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], /nonce="abc123"/);
    assert.match(scripts[0][1], /src="[^"]*\/dist\/webview\/main\.js"/);
    assert.equal(scripts[0][2].trim(), '', 'no inline code');
    assert.doesNotMatch(html, /<style|style="/);
    assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]*codicon\.css">/);
  });

  it('escapes the title and names the panel kind', () => {
    assert.match(html, /<title>Replay: &lt;b&gt;agent&lt;\/b&gt;<\/title>/);
    assert.match(html, /<body data-panel="comparison">/);
  });

  it('nonces are fresh and long enough', () => {
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.ok(a.length >= 24);
    assert.match(contentSecurityPolicy('x', a), new RegExp(`'nonce-${a.replace(/[+/]/g, '\\$&')}'`));
  });
});
