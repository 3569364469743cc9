// What the security e2e needs beyond the harness: the workspace trust prompt, the extension host's
// process, a scan of folders for the key in every form it could have been written in, and the
// webview's own message bridge.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import assert from 'node:assert/strict';

/** Over scripts/e2e-env.mjs's quiet defaults: trust on, and the prompt at every start. */
export const UNTRUSTED_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'always',
  'security.workspace.trust.banner': 'always',
};

/** Waits for VS Code's "Do you trust the authors...?" dialog and answers it. */
export async function answerTrustPrompt(page: Page, answer: 'Yes' | 'No', timeoutMs = 30_000): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const label = answer === 'Yes' ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  await dialog.locator('.monaco-button', { hasText: label }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The trust prompt when it shows within `timeoutMs` (after a reload it may or may not). */
export async function answerTrustPromptIfShown(page: Page, answer: 'Yes' | 'No', timeoutMs = 8_000): Promise<boolean> {
  try {
    await answerTrustPrompt(page, answer, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the extension host processes code-server (process group `serverPid`) runs. */
export function extensionHostPids(serverPid: number): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, pgid, ...args]) => pid && Number(pgid) === serverPid && /--type=extensionHost/.test(args.join(' ')))
    .map(([pid]) => Number(pid));
}

/** The forms a key could be written in: as is, URL-encoded, JSON-escaped, base64 at each alignment, UTF-16. */
export function keyForms(key: string): Buffer[] {
  const forms = new Set([key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1), JSON.stringify(JSON.stringify(key)).slice(1, -1), key.replace(/\//g, '\\/')]);
  const raw = Buffer.from(key);
  for (const base of [Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url'))]) forms.add(base.toString().replace(/=+$/, ''));
  for (let pad = 1; pad <= 2; pad++) {
    // Inside a longer base64 text the key's bytes start at another offset: drop the partial edges.
    const b64 = Buffer.concat([Buffer.alloc(pad, 0x20), raw]).toString('base64');
    forms.add(b64.slice(4, -4));
  }
  const out = [...forms].filter((f) => f.length >= 8).map((f) => Buffer.from(f));
  out.push(Buffer.from(key, 'utf16le'));
  return out;
}

/** Every file below the folders whose bytes hold one of the key's forms, with the form's index. */
export function keyTraces(folders: string[], key: string, skip: (path: string) => boolean = () => false): string[] {
  const forms = keyForms(key);
  const found: string[] = [];
  const walk = (root: string, dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) walk(root, path);
      else if (stat.isFile() && !skip(path)) {
        const bytes = readFileSync(path);
        const hit = forms.findIndex((form) => bytes.includes(form));
        if (hit >= 0) found.push(`${relative(root, path) || path} (form ${hit})`);
      }
    }
  };
  for (const folder of folders) walk(folder, folder);
  return found;
}

/** The files below `dir` with their sizes, to compare before and after. */
export function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.isDirectory()) walk(p);
      else out[relative(dir, p)] = s.size;
    }
  };
  walk(dir);
  return out;
}

/** Runs in the webview (a string: this file is compiled without the DOM library). */
export const INJECTED = `(() => ({
  pwned: window.__pwned,
  imgs: [...document.querySelectorAll('img')].filter((i) => !i.closest('.gallery') || !/^https?:|^vscode-/.test(i.getAttribute('src') || '')).map((i) => i.outerHTML),
  scripts: [...document.querySelectorAll('script')].filter((s) => s.src || /__pwned/.test(s.textContent)).length,
  links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
  text: document.body.textContent,
}))()`;

/** Posts through the webview's own bridge (what acquireVsCodeApi().postMessage calls), from its outer frame. */
export async function postFromWebview(frame: Frame, messages: unknown[]): Promise<void> {
  const host = frame.parentFrame();
  assert.ok(host, 'the webview host frame');
  await host.evaluate(`(async (messages) => {
    for (let i = 0; i < messages.length; i++) {
      window.__vscode_post_message__('onmessage', { message: messages[i], transfer: [] });
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 20));
    }
  })(${JSON.stringify(messages)})`);
}
