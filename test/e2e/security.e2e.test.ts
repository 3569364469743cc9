// A cloned repository opened with workspace trust on, the prompt answered "No" (Restricted Mode).
// Its .vscode/settings.json points at another server, allows writing outside, asks for 8 images
// of 4K Pro, and its `images` folder is a link out of the workspace. Then the panel is fed hostile
// text and 10,000 hostile messages, the extension host is killed mid-write of a 12 MB image, and
// finally every folder the session wrote is searched for the key in any encoding.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { setPngMetadata } from '../../src/core/pngMetadata';
import { parseFromWebview } from '../../src/shared/protocol';
import { isTempFileName } from '../../src/workspace/imageStore';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { hostileMessages } from '../support/hostileMessages';
import { listFiles } from '../support/tempWorkspace';
import { answerRelayQuestion, enterPrompt, eventually, panelWithLoadedImage, pickStyleStep } from './actions';
import { ROOT, VSIX_PATH, clearNotifications, expectNoErrorDialog, findWebviewFrame, openFile, runCommand, screenshot, startVSCode, waitForNotification, type E2ESession } from './harness';
import { answerTrustPromptIfShown, extensionHostPids, INJECTED, keyTraces, postFromWebview, snapshot } from './trust';

/** An image generation: the editor streams it (streamGenerateContent), a relay without streaming gets generateContent. */
const IMAGE_CALL = /:(streamGenerateContent|generateContent)$/;

// Characters that every encoding changes: '/', '+', '=', '"' and '&'.
const KEY = 'e2e-Sec/Key+9z="Q&w7';
const PAYLOADS = ['<img src=x onerror="window.__pwned=1">', '</script><script>window.__pwned=2</script>', 'javascript:window.__pwned=3', '[click me](javascript:window.__pwned=4)'];
const HOSTILE_PROMPT = `A lighthouse ${PAYLOADS.join(' ')}`;


describe('an untrusted repository in a real VS Code (workspace trust on, Restricted Mode)', { timeout: 900_000 }, () => {
  let user: FakeGemini;
  let attacker: FakeGemini;
  let session: E2ESession | undefined;
  let page: Page;
  let root: string;
  let workspace: string;
  let outside: string;
  let linked: string;
  let invalidPosted = 0;

  const generateRequests = (s: FakeGemini) => s.requests.filter((r) => IMAGE_CALL.test(r.path));

  /** `askedAboutRelay`: the first generation of an extension host, asked about the folder's ignored relay settings. */
  async function generateFromPalette(prompt: string, askedAboutRelay = false): Promise<void> {
    await runCommand(page, 'Gemini Image: Generate Image');
    if (askedAboutRelay) await answerRelayQuestion(page, 'send');
    await enterPrompt(page, prompt);
    await pickStyleStep(page);
  }

  async function panelFrame(): Promise<Frame> {
    return findWebviewFrame(page, async (f) => f.evaluate<boolean>(`!!document.querySelector('#app .gallery')`));
  }

  before(async () => {
    user = await startFakeGemini({ apiKeys: [KEY] });
    attacker = await startFakeGemini({ apiKeys: [KEY] });
    root = mkdtempSync(join(tmpdir(), 'gis-e2e-sec-'));
    workspace = join(root, 'clones', 'repo');
    outside = join(root, 'outside');
    linked = join(root, 'linked');
    for (const d of [join(workspace, '.vscode'), join(workspace, 'docs'), outside, linked]) mkdirSync(d, { recursive: true });
    writeFileSync(join(workspace, 'README.md'), '# A repository someone else wrote\n');
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({
        'geminiImage.baseUrl': attacker.url,
        'geminiImage.authStyle': 'query',
        'geminiImage.allowOutsideWorkspace': true,
        'geminiImage.destination': '../../outside/${promptSlug}.${ext}',
        'geminiImage.count': 8,
        'geminiImage.model': 'gemini-3-pro-image',
        'geminiImage.imageSize': '4K',
      }),
    );
    symlinkSync(linked, join(workspace, 'images'));
    session = await startVSCode({ vsixPath: VSIX_PATH, workspaceDir: workspace, untrusted: true, env: { GEMINI_API_KEY: KEY }, userSettings: { 'geminiImage.baseUrl': user.url } });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await user?.close();
    await attacker?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('VS Code runs the folder in Restricted Mode', async () => {
    await eventually(async () => ((await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count()) > 0 ? true : undefined), 'the Restricted Mode indicator');
  });

  test('an images folder linked out of the workspace is refused before anything is sent', async () => {
    await runCommand(page, 'Gemini Image: Generate Image');
    // Before the key leaves: the folder's relay settings are named as not applied, the user's server as the one used.
    const question = await answerRelayQuestion(page, 'send');
    assert.ok(question.includes(new URL(user.url).host) && question.includes(new URL(attacker.url).host), question);
    await enterPrompt(page, 'A fox in the snow');
    await pickStyleStep(page);
    const error = await waitForNotification(page, 'outside the workspace');
    assert.ok(error.includes(linked), error);
    assert.equal(user.requests.length + attacker.requests.length, 0, 'nothing was sent');
    assert.deepEqual(listFiles(linked), []);
    assert.deepEqual(listFiles(outside), []);
    await expectNoErrorDialog(page, /outside the workspace/);
    await clearNotifications(page);
  });

  test('generating from the palette works, with the user\'s server, header, model, size and count; the folder\'s are ignored', async () => {
    unlinkSync(join(workspace, 'images'));
    user.enqueue({ kind: 'image', text: `Model says: ${PAYLOADS.join(' ')}` });
    await generateFromPalette(HOSTILE_PROMPT);
    await panelWithLoadedImage(page);
    const sent = generateRequests(user);
    assert.equal(sent.length, 1, 'one request (count 1), not 8');
    assert.equal(sent[0].model, 'gemini-nano-banana-2.1', 'the automatic model from the user\'s server, not 4K Pro');
    assert.equal((sent[0].body as { generationConfig?: { imageConfig?: { imageSize?: string } } }).generationConfig?.imageConfig?.imageSize, '1K', 'the default size, not the folder\'s 4K');
    assert.equal(sent[0].headers['x-goog-api-key'], KEY, 'the user\'s auth style');
    assert.equal(sent[0].query.key, undefined, 'not the folder\'s ?key=');
    assert.equal(attacker.requests.length, 0, 'the second server received nothing');
    const images = listFiles(join(workspace, 'images'));
    assert.equal(images.length, 1, images.join(', '));
    assert.deepEqual(listFiles(outside), []);
    assert.deepEqual(listFiles(linked), []);
  });

  test('a relay\'s error holding markdown links is shown as text: the notification has no link to click', async () => {
    user.enqueue({ kind: 'badRequest', message: 'Quota gone. [Renew your key](https://phish.example/renew) or [run this](command:workbench.action.terminal.new)' });
    await generateFromPalette('A harbour');
    const said = await waitForNotification(page, 'Gemini rejected the request');
    assert.ok(said.replace(/\u200B/g, '').includes('[Renew your key](https://phish.example/renew) or [run this](command:workbench.action.terminal.new)'), said);
    assert.equal(await page.locator('.notification-list-item-message a').count(), 0, 'a link was rendered');
    await clearNotifications(page);
  });

  test('the panel: a strict CSP read from the live page, and hostile prompt, model text and PNG prompt shown as text', async () => {
    const frame = await panelFrame();
    const csp = await frame.evaluate<string>(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')`);
    assert.match(csp, /^default-src 'none';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 32, csp);
    // Ours is the one script with a source, and it carries the nonce (VS Code adds its own bootstrap script).
    assert.deepEqual(await frame.evaluate<string[]>(`[...document.querySelectorAll('script[src]')].map((s) => s.nonce + ' ' + s.src.split('/').pop())`), [`${nonce} webview.js`]);

    // A PNG in the repository whose metadata prompt is hostile, dropped on the panel.
    const png = readFileSync(join(workspace, 'images', listFiles(join(workspace, 'images'))[0]));
    const evil = join(workspace, 'docs', 'evil.png');
    writeFileSync(evil, setPngMetadata(png, { version: 1, prompt: `PNG ${PAYLOADS.join(' ')}` }));
    await postFromWebview(frame, [{ type: 'remixDrop', uri: pathToFileURL(evil).href }]);
    await eventually(async () => ((await frame.evaluate<string>(`document.querySelector('textarea').value`)).startsWith('PNG <img') ? true : undefined), 'the PNG\'s prompt in the prompt box');

    const seen = await frame.evaluate<{ pwned: unknown; imgs: string[]; scripts: number; links: string[]; handlers: number; text: string }>(INJECTED);
    assert.equal(seen.pwned, undefined, 'a payload ran');
    assert.deepEqual(seen.imgs, [], 'an element was injected');
    assert.equal(seen.scripts, 1);
    assert.deepEqual(seen.links.filter((h) => /javascript:/i.test(h)), []);
    assert.equal(seen.handlers, 0, 'an inline handler exists');
    for (const p of PAYLOADS) {
      assert.ok(seen.text.includes(p), `the prompt shows ${p} as text`);
      assert.ok(seen.text.includes(`Model says: ${PAYLOADS[0]}`), 'the model text shows as text');
    }
    await screenshot(page, 'panel-hostile-text');
  });

  test('generating from the panel works too, with the user\'s model and count', async () => {
    const frame = await panelFrame();
    assert.equal(await frame.evaluate<string>(`document.querySelector('.composer-actions .model').textContent`), 'gemini-nano-banana-2.1');
    const before = generateRequests(user).length;
    await frame.locator('#prompt').fill('From the panel');
    await frame.locator('#prompt').press('Control+Enter');
    await eventually(() => (listFiles(join(workspace, 'images')).length === 2 ? true : undefined), 'the panel\'s image');
    const sent = generateRequests(user).slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].model, 'gemini-nano-banana-2.1');
    assert.equal(attacker.requests.length, 0);
    await panelWithLoadedImage(page, 2);
  });

  test('10,000 hostile messages from inside the webview: dropped, no dialog, nothing sent, opened or touched', async () => {
    const frame = await panelFrame();
    // Accepted generate/addReference are what a user's click sends (a request, a file picker): left out.
    const messages = hostileMessages(10_000).filter((m) => !['generate', 'addReference'].includes(parseFromWebview(m)?.type ?? ''));
    assert.ok(messages.length > 9_000, `${messages.length} messages`);
    invalidPosted = messages.filter((m) => !parseFromWebview(m)).length;
    const before = { ws: snapshot(workspace), outside: snapshot(root), requests: user.requests.length };
    const tabs = await page.locator('.tabs-container .tab').count();
    await postFromWebview(frame, messages);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.deepEqual(snapshot(workspace), before.ws, 'the workspace changed');
    assert.deepEqual(snapshot(root), before.outside, 'something changed outside the workspace');
    assert.equal(user.requests.length, before.requests, 'a message made the host send a request');
    assert.equal(attacker.requests.length, 0);
    assert.equal(await page.locator('.tabs-container .tab').count(), tabs, 'a message opened an editor');
    await expectNoErrorDialog(page);
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'a message opened a picker');
    // The panel and the host still answer.
    await panelWithLoadedImage(page);
  });

  test('the extension host killed mid-write of a 12 MB image: no partial image, the temp file swept next time, no broken card', async () => {
    const images = join(workspace, 'images');
    const finals = listFiles(images).filter((f) => !isTempFileName(f)).length;
    const hosts = extensionHostPids(session!.serverPid);
    assert.ok(hosts.length >= 1, 'an extension host process');
    user.enqueue({ kind: 'image', bytes: 12_000_000, chunkSize: 64 * 1024, chunkDelayMs: 40 });
    await generateFromPalette('A very large harbour');
    await eventually(() => listFiles(images).some((f) => isTempFileName(f)) || undefined, 'the temporary file', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const pid of hosts) process.kill(pid, 'SIGKILL');
    await eventually(() => (extensionHostPids(session!.serverPid).every((p) => !hosts.includes(p)) ? true : undefined), 'the host to be gone');
    const left = listFiles(images);
    assert.equal(left.filter((f) => !isTempFileName(f)).length, finals, `no new image has a final name: ${left.join(', ')}`);
    assert.equal(left.filter(isTempFileName).length, 1);

    await page.reload();
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await eventually(() => (extensionHostPids(session!.serverPid).length > 0 ? true : undefined), 'a new extension host', 60_000);
    // VS Code 1.139 asks again once the reloaded window is restored, which on a busy machine takes
    // longer than 1.100 did; a prompt left open would swallow the palette's keys.
    await answerTrustPromptIfShown(page, 'No', 20_000);
    await new Promise((r) => setTimeout(r, 3_000));
    await runCommand(page, 'Gemini Image: Show Images');
    await panelWithLoadedImage(page);
    const frame = await panelFrame();
    assert.equal(await frame.evaluate<number>(`document.querySelectorAll('.gallery img').length`), finals, 'a card per finished image, each loaded');

    // A new extension host asks again before the key leaves.
    await generateFromPalette('After the crash', true);
    await eventually(() => (listFiles(images).length === finals + 1 && !listFiles(images).some(isTempFileName) ? true : undefined), 'the new image, the temp file swept');
    await panelWithLoadedImage(page, finals + 1);
    await expectNoErrorDialog(page, /terminated unexpectedly/);
  });

  test('Generate Missing Images and batch runs refuse an untrusted folder and say why', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
    const titles: string[] = (manifest.contributes.commands as { title: string; category?: string }[])
      .map((c) => `${c.category ? `${c.category}: ` : ''}${c.title.replace(/^%(.+)%$/, (_m: string, k: string) => nls[k] ?? k)}`)
      .filter((title) => /Generate Missing Images|Batch/i.test(title));
    assert.deepEqual(titles.sort(), ['Gemini Image: Generate Missing Images...', 'Gemini Image: Show Batch Jobs']);
    writeFileSync(join(workspace, 'docs', 'guide.md'), '# Guide\n\n![a lighthouse](images/lighthouse.png)\n\n![hosts](../../../../etc/hosts.png)\n\n![abs](/etc/hosts.png)\n');
    await openFile(page, 'docs/guide.md');
    const before = { user: user.requests.length, ws: snapshot(workspace), root: snapshot(root) };
    for (const title of titles) {
      await clearNotifications(page);
      await runCommand(page, title);
      const said = await waitForNotification(page, /trust/i);
      assert.match(said, /trust/i, `${title} says why`);
      await page.keyboard.press('Escape');
    }
    assert.equal(user.requests.length, before.user, 'nothing was sent');
    assert.equal(attacker.requests.length, 0);
    assert.deepEqual(snapshot(workspace), before.ws);
    assert.deepEqual(snapshot(root), before.root);
  });

  test('after all that, the key is nowhere: user data (logs, settings, state databases), workspace, browser profile, the servers\' logs', async () => {
    const keep = process.env.E2E_KEEP_TMP;
    process.env.E2E_KEEP_TMP = '1';
    try {
      await session!.close();
    } finally {
      if (keep === undefined) delete process.env.E2E_KEEP_TMP;
      else process.env.E2E_KEEP_TMP = keep;
    }
    const data = session!.tempDir;
    try {
      const files = listFiles(data);
      // The scan looks where the traces would be: the output channel's log, the state databases, settings.
      assert.ok(files.some((f) => /logs\/.*Gemini Image.*\.log$/.test(f)), `the extension's log file: ${files.filter((f) => f.includes('logs/')).join(', ')}`);
      // In code-server the extension's workspaceState and globalState live in the browser's IndexedDB:
      // the gallery's prompts are found there, so the scan reaches the state the key could be in.
      const state = join(data, 'browser', 'Default', 'IndexedDB');
      assert.ok(keyTraces([state], 'After the crash').length > 0, `the gallery state in ${files.filter((f) => /IndexedDB/.test(f)).join(', ')}`);
      assert.ok(files.some((f) => f.endsWith('User/settings.json')));
      // Every invalid message reached the host and was dropped there (one log line each).
      const logs = files.filter((f) => f.endsWith('Gemini Image Studio.log')).map((f) => readFileSync(join(data, f), 'utf8')).join('\n');
      assert.equal(logs.split('Dropped an unexpected message from the panel').length - 1, invalidPosted);
      // The scan itself finds each encoding (a control), then finds nothing in what the session left.
      const control = join(root, 'control');
      mkdirSync(control);
      writeFileSync(join(control, 'a.json'), JSON.stringify({ k: KEY }));
      writeFileSync(join(control, 'b.txt'), `x${Buffer.from(`ab${KEY}`).toString('base64')}y`);
      writeFileSync(join(control, 'c.txt'), `?key=${encodeURIComponent(KEY)}`);
      assert.equal(keyTraces([control], KEY).length, 3);
      rmSync(control, { recursive: true });
      assert.deepEqual(keyTraces([data, root], KEY), []);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
    // The stand-ins' records, the auth header apart.
    const records = [...user.requests, ...attacker.requests].map(({ headers, ...rest }) => ({ ...rest, headers: { ...headers, 'x-goog-api-key': undefined } }));
    const text = JSON.stringify(records);
    assert.ok(!text.includes(KEY) && !text.includes(encodeURIComponent(KEY)) && !text.includes(JSON.stringify(KEY).slice(1, -1)), 'the key is in a request beyond its header');
    assert.ok(user.requests.length >= 3);
  });
});
