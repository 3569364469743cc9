// The panel's two pages (the panel and the one shown when it cannot be revived) under one strict
// policy: default-src 'none', our own origin for styles and images, a script only by nonce.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy, errorHtml, panelHtml } from '../../src/panel/panelHtml';

const cspSource = 'https://webview.test';
const uri = (p: string) => ({ path: p, toString: () => `${cspSource}${p}` });
const webview = { cspSource, asWebviewUri: (u: { path: string }) => uri(u.path) };
const joinPath = ((base: { path: string }, ...parts: string[]) => uri([base.path, ...parts].join('/'))) as never;
const extensionUri = uri('/ext') as never;

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1];
}

function assertStrict(csp: string): void {
  const directives = csp.split(';').map((d) => d.trim());
  assert.equal(directives[0], "default-src 'none'");
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*|https?:\/\/(?!webview\.test)/);
}

test('the panel: default-src none, the script by a fresh long nonce, no unsafe-*', () => {
  const html = panelHtml(webview as never, extensionUri, joinPath, 'en');
  const csp = cspOf(html);
  assertStrict(csp);
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce && nonce.length >= 32, csp);
  assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}" src="${cspSource}/ext/dist/webview.js"></script>`));
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.notEqual(cspOf(panelHtml(webview as never, extensionUri, joinPath, 'en')), csp, 'a new nonce each time');
  assert.doesNotMatch(html, / on[a-z]+=| style=/, 'no inline handlers or styles');
});

test('the revive error page follows the same policy, without any script, and shows its text as text', () => {
  const html = errorHtml(webview as never, extensionUri, joinPath, 'Could not restore <img src=x onerror=alert(1)> "quoted" & more');
  const csp = cspOf(html);
  assertStrict(csp);
  assert.equal(csp, contentSecurityPolicy(cspSource));
  assert.doesNotMatch(csp, /script-src/);
  assert.doesNotMatch(html, /<script|<img|<[^>]* (style|on[a-z]+)=/);
  assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62; &#34;quoted&#34; &#38; more/);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${cspSource}/ext/media/panel.css">`));
});

test('the language attribute cannot break out of its quotes', () => {
  assert.match(panelHtml(webview as never, extensionUri, joinPath, 'en"><script>x</script>'), /<html lang="en&#34;&#62;&#60;script&#62;x&#60;\/script&#62;">/);
});

test('the webview builds its DOM from text only: no HTML parsing, no eval, no javascript: URLs', () => {
  const dir = join(__dirname, '..', '..', '..', 'webview');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 3, files.join(', '));
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser|srcdoc|javascript:/, file);
  }
});
