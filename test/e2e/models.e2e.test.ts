// Today's API in a real VS Code: with no model set, the model the endpoint's list recommends is
// used and named; a setting that names a retired model gets one offer of its replacement, and one
// click generates with it; a deprecated model still served generates and shows its retirement
// date; each card shows its tokens and estimated cost.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, waitForNoToasts } from './actions';
import { expectNoErrorDialog, leftoverProcesses, runCommand, screenshot, waitForNotification } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-key-m0d3';

/** The palette, once the extension host has registered our commands (a fresh window takes a while under load). */
async function runWhenReady(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runCommand(page, title, 10_000);
    } catch (e) {
      if (attempt >= 6) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

describe('models on today\'s API in a real VS Code', { timeout: 600_000 }, () => {
  // Pages of two: the extension must follow nextPageToken to find its model.
  const e2e = useE2ESession({ key: KEY, name: 'models', gemini: { maxModelsPageSize: 2 }, theme: 'dark' });

  test('a fresh install with no model set generates with the model the list recommends, and names it; the card shows tokens and cost', async () => {
    await runWhenReady(e2e.page, 'Gemini Image: Generate Image');
    const title = e2e.page.locator('.quick-input-widget .quick-input-title');
    await eventually(async () => ((await title.innerText().catch(() => '')).includes('gemini-nano-banana-2.1') ? true : undefined), 'the prompt box naming gemini-nano-banana-2.1');
    await enterPrompt(e2e.page, 'A red fox in the snow');
    await pickStyleStep(e2e.page);
    const file = join(e2e.workspace, 'images', 'a-red-fox-in-the-snow.png');
    await eventually(() => existsSync(file), file);
    const listing = e2e.gemini.requests.filter((r) => r.path === '/v1beta/models');
    assert.ok(listing.length >= 2, 'every page was read');
    assert.ok(listing.every((r) => r.query.pageSize === '1000'), JSON.stringify(listing.map((r) => r.query)));
    assert.ok(listing.slice(1).every((r) => r.query.pageToken), 'the next pages were asked for by token');
    assert.deepEqual(e2e.gemini.requests.filter((r) => r.method === 'POST').map((r) => r.path), ['/v1beta/models/gemini-nano-banana-2.1:generateContent']);

    const frame = await panelWithLoadedImage(e2e.page);
    const meta = await frame.locator('.card .meta').first().innerText();
    assert.match(meta, /gemini-nano-banana-2\.1/);
    assert.match(meta, /Tokens\s+\d[\d,.]*/);
    assert.match(meta, /Estimated cost\s+\$0\.0336/);
    assert.match(await frame.locator('.toolbar .workspace-cost').innerText(), /\$0\.0336/);
    await waitForNoToasts(e2e.page);
    await screenshot(e2e.page, 'models-card-tokens-cost');
    await expectNoErrorDialog(e2e.page);
  });

  test('settings naming gemini-3-pro-image-preview: one offer of gemini-3-pro-image, and one click generates with it', async () => {
    // A user who set the preview id months ago opens VS Code today.
    const left = await e2e.session.close().then(() => leftoverProcesses(e2e.session));
    assert.deepEqual(left, []);
    await e2e.start({ 'geminiImage.model': 'gemini-3-pro-image-preview' });
    const settingsFile = join(e2e.session.userDataDir, 'User', 'settings.json');
    const before = e2e.gemini.requests.length;
    await runWhenReady(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'A lighthouse at night');
    await pickStyleStep(e2e.page);
    const text = await waitForNotification(e2e.page, /gemini-3-pro-image-preview stopped on 2026-06-25; switch to gemini-3-pro-image\?/);
    assert.ok(text);
    assert.equal(e2e.gemini.requests.slice(before).filter((r) => r.method === 'POST').length, 0, 'nothing is sent to the retired id while the offer is open');
    await e2e.page.locator('.notification-toast .monaco-button', { hasText: 'Switch to gemini-3-pro-image' }).first().click();
    // Gemini 3 Pro answers JPEG.
    const file = join(e2e.workspace, 'images', 'a-lighthouse-at-night.jpg');
    await eventually(() => existsSync(file), file);
    assert.deepEqual(e2e.gemini.requests.slice(before).filter((r) => r.method === 'POST').map((r) => r.path), ['/v1beta/models/gemini-3-pro-image:generateContent']);
    const saved = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    assert.equal(saved['geminiImage.model'], 'gemini-3-pro-image', 'the switch is written where the setting was (user settings)');
    // A new window: its own workspace storage, so the gallery holds this image only.
    const frame = await panelWithLoadedImage(e2e.page);
    assert.match(await frame.locator('.card', { hasText: 'A lighthouse at night' }).locator('.meta').innerText(), /gemini-3-pro-image[\s\S]*Cost from usage\s+\$0\.13\d/);
    await expectNoErrorDialog(e2e.page);
  });

  test('settings naming gemini-2.5-flash-image: it generates with it and shows its retirement date, never "stopped"', async () => {
    // Google still serves 2.5 Flash Image to projects that used it; its replies say it retires 2027-03-15.
    const left = await e2e.session.close().then(() => leftoverProcesses(e2e.session));
    assert.deepEqual(left, []);
    await e2e.start({ 'geminiImage.model': 'gemini-2.5-flash-image' });
    const before = e2e.gemini.requests.length;
    await runWhenReady(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'An old harbour at dusk');
    await pickStyleStep(e2e.page);
    const notice = await waitForNotification(e2e.page, /gemini-2\.5-flash-image stops on 2027-03-15; switch to gemini-3\.1-flash-lite-image\?/);
    assert.ok(notice);
    const file = join(e2e.workspace, 'images', 'an-old-harbour-at-dusk.png');
    await eventually(() => existsSync(file), file);
    assert.deepEqual(e2e.gemini.requests.slice(before).filter((r) => r.method === 'POST').map((r) => r.path), ['/v1beta/models/gemini-2.5-flash-image:generateContent']);
    const frame = await panelWithLoadedImage(e2e.page);
    const meta = await frame.locator('.card', { hasText: 'An old harbour at dusk' }).locator('.meta').innerText();
    assert.match(meta, /gemini-2\.5-flash-image · retirement date 2027-03-15/);
    const toasts = await e2e.page.locator('.notification-toast').allInnerTexts();
    assert.ok(toasts.every((t) => !/stopped/i.test(t)), toasts.join(' | '));
    const saved = JSON.parse(readFileSync(join(e2e.session.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(saved['geminiImage.model'], 'gemini-2.5-flash-image', 'the saved id is never rewritten without a click');
    await screenshot(e2e.page, 'models-retiring-2-5-flash-image');
    await expectNoErrorDialog(e2e.page);
  });
});
