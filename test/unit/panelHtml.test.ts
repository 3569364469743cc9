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

test('every stylesheet the pages link is in media/, ships in the .vsix, and closes each of its blocks', () => {
  const root = join(__dirname, '..', '..', '..');
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  const html = panelHtml(webview as never, extensionUri, joinPath, 'en') + errorHtml(webview as never, extensionUri, joinPath, 'x');
  const sheets = [...new Set([...html.matchAll(/<link rel="stylesheet" href="[^"]*\/ext\/(media\/[^"]+)">/g)].map((m) => m[1]))];
  assert.deepEqual(sheets.sort(), ['media/gallery.css', 'media/panel.css']);
  for (const sheet of sheets) {
    assert.ok(shipped.includes(`!${sheet}`), `${sheet} is not in the .vsix`);
    // An unclosed rule swallows the next ones without a word from the browser.
    const css = readFileSync(join(root, sheet), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const open: boolean[] = [];
    let start = 0;
    for (const [i, c] of [...css].entries()) {
      const near = `near "${css.slice(Math.max(0, i - 60), i + 1).trim()}"`;
      if (c === '{') {
        // Only an at-rule (@media) holds rules; a rule opened inside a rule means a missing "}".
        assert.ok(open.length === 0 || open[open.length - 1], `${sheet}: a rule opened inside another ${near}`);
        open.push(css.slice(start, i).trim().startsWith('@'));
      }
      if (c === '}') assert.ok(open.pop() !== undefined, `${sheet}: a "}" closes nothing ${near}`);
      if (c === '{' || c === '}' || c === ';') start = i + 1;
    }
    assert.equal(open.length, 0, `${sheet}: a block is not closed`);
  }
});
