// What a new user meets in the panel (issue 25): the card's More menu is never cut off by the next
// card (each item is the element at its own position, opening down and up, light and dark); the
// workspace cost follows every change; the panel opens at its top with the newest card first and
// a generation's pending card in view; a failed Generate leaves the scroll where it was.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { eventually, enterPrompt, pickStyleStep, waitForNoToasts } from './actions';
import { around, docsShot } from './docsShots';
import { clearNotifications, expectNoErrorDialog, findWebviewFrame, runCommand, waitForNotification } from './harness';
import { useE2ESession } from './session';

const KEY = 'e2e-new-user-panel-key';

/** The panel's frame once its composer is rendered and `minImages` images have loaded. */
function panel(page: Page, minImages = 0): Promise<Frame> {
  return findWebviewFrame(
    page,
    (frame) =>
      frame.evaluate<boolean>(`(() => {
        const imgs = [...document.querySelectorAll('.gallery img')];
        // Cards below the fold load lazily (a narrow window in VS Code 1.139): load them to count them.
        for (const img of imgs) if (img.loading === 'lazy') img.loading = 'eager';
        return !!document.querySelector('form.composer textarea') && imgs.length >= ${minImages} && imgs.every((img) => img.complete && img.naturalWidth > 0);
      })()`),
    60_000,
  );
}

const scrollY = (frame: Frame) => frame.evaluate<number>('window.scrollY');
const costText = (frame: Frame) => frame.evaluate<string>('document.querySelector(".toolbar .workspace-cost")?.hidden ? "" : document.querySelector(".toolbar .workspace-cost")?.textContent ?? ""');

/** Scrolls so the card's More button sits at `fraction` of the view's height, opens the menu with a click. */
async function openMenuAt(frame: Frame, index: number, fraction: number): Promise<void> {
  await frame.evaluate(`(() => {
    const toggle = document.querySelectorAll('.gallery .card:not(.pending) .more-toggle')[${index}];
    const r = toggle.getBoundingClientRect();
    window.scrollBy(0, r.top - innerHeight * ${fraction});
  })()`);
  await frame.locator('.gallery .card:not(.pending) .more-toggle').nth(index).click();
}

interface ItemHit {
  action: string;
  hit: boolean;
  inView: boolean;
}

/** For each item of the open menu: is it the element at its own centre (nothing covers or clips it)? */
function menuHits(frame: Frame): Promise<{ above: boolean; items: ItemHit[] }> {
  return frame.evaluate(`(() => {
    const menu = document.querySelector('.card .menu:not([hidden])');
    const items = [...menu.querySelectorAll('[role="menuitem"]')].map((item) => {
      const r = item.getBoundingClientRect();
      const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { action: item.dataset.action, hit: at === item || item.contains(at), inView: r.top >= 0 && r.bottom <= innerHeight };
    });
    return { above: menu.classList.contains('above'), items };
  })()`);
}

async function checkMenu(page: Page, frame: Frame, index: number, direction: 'down' | 'up', theme: string): Promise<void> {
  await openMenuAt(frame, index, direction === 'down' ? 0.25 : 1 - 60 / 800);
  const { above, items } = await menuHits(frame);
  assert.equal(above, direction === 'up', `the menu opened ${above ? 'up' : 'down'}`);
  assert.deepEqual(items.map((i) => i.action), ['open', 'reveal', 'copyLink', 'copyPrompt', 'useAsReference', 'describe', 'delete']);
  for (const item of items) assert.ok(item.hit && item.inView, `${direction}: "${item.action}" is covered or cut off (${JSON.stringify(item)})`);
  const card = frame.locator('.gallery .card:not(.pending)').nth(index);
  await waitForNoToasts(page);
  // The card's text and buttons with the open menu, as far as the panel shows them.
  const view = await (await frame.frameElement()).boundingBox();
  await docsShot(page, `panel-card-menu-${direction}-${theme}`, around([await card.locator('.details').boundingBox(), await card.locator('.menu').boundingBox()], view));
  await page.keyboard.press('Escape');
  assert.equal(await card.locator('.menu').isHidden(), true);
}

async function switchTheme(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await input.press('Enter');
  await new Promise((r) => setTimeout(r, 1500));
}

describe('a new user in the panel (issue 25)', { timeout: 900_000 }, () => {
  const e2e = useE2ESession({ key: KEY, name: 'newpanel', theme: 'light', fill: () => undefined });

  test('the workspace cost follows new images; the pending card shows first, in view', async () => {
    await runCommand(e2e.page, 'Gemini Image: Show Images');
    let frame = await panel(e2e.page);
    await frame.locator('textarea#prompt').fill('A lighthouse on a rock');
    await frame.locator('form.composer button[type="submit"]').click();
    frame = await panel(e2e.page, 1);
    const first = await eventually(async () => (await costText(frame)) || undefined, 'the workspace cost');
    e2e.gemini.enqueue(...Array.from({ length: 6 }, () => ({ kind: 'image' as const, delayMs: 2_500 })));
    await frame.locator('textarea#prompt').fill('Boats in a harbour');
    await frame.locator('select#count').selectOption('6');
    await frame.locator('form.composer button[type="submit"]').click();
    const pending = frame.locator('.gallery > .card').first();
    await eventually(async () => ((await pending.getAttribute('class'))?.includes('pending') ? true : undefined), 'the pending card first in the gallery');
    const box = await frame.evaluate<{ top: number; bottom: number; height: number }>('(() => { const r = document.querySelector(".card.pending").getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: innerHeight }; })()');
    assert.ok(box.top >= 0 && box.top < box.height - 40, `the pending card is out of view: ${JSON.stringify(box)}`);
    frame = await panel(e2e.page, 7);
    const second = await eventually(async () => ((await costText(frame)) !== first ? costText(frame) : undefined), 'the total to follow the new images');
    assert.notEqual(second, first);
    await frame.locator('select#count').selectOption('1');
  });

  test('the More menu: every item is the element at its place, opening down and up (light)', async () => {
    const frame = await panel(e2e.page, 7);
    await checkMenu(e2e.page, frame, 0, 'down', 'light');
    await checkMenu(e2e.page, frame, 1, 'up', 'light');
    await expectNoErrorDialog(e2e.page);
  });

  test('a failed Generate leaves the scroll at the prompt box', async () => {
    const frame = await panel(e2e.page, 7);
    // The user worked with a card further down (it is marked), then went back to the prompt box.
    await openMenuAt(frame, 5, 0.25);
    await frame.locator('.card .menu:not([hidden]) [data-action="copyPrompt"]').click();
    await frame.evaluate('window.scrollTo(0, 0)');
    e2e.gemini.enqueue({ kind: 'permission' });
    await frame.locator('textarea#prompt').fill('Something that fails');
    await frame.locator('form.composer button[type="submit"]').click();
    await waitForNotification(e2e.page, /permission|denied|refused|403/i);
    await eventually(async () => ((await frame.locator('.card.pending').count()) === 0 ? true : undefined), 'the pending card gone');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await scrollY(frame), 0, 'the panel scrolled away from the prompt box');
    await clearNotifications(e2e.page);
  });

  test('the workspace cost follows a delete', async () => {
    const frame = await panel(e2e.page, 7);
    const before = await costText(frame);
    await openMenuAt(frame, 0, 0.25);
    await frame.locator('.card .menu:not([hidden]) [data-action="delete"]').click();
    const dialog = e2e.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.monaco-button', { hasText: 'Move to Trash' }).click();
    await eventually(async () => ((await dialog.isVisible()) || (await frame.locator('.gallery img').count()) === 6 ? true : undefined), 'the image gone or a second question');
    if (await dialog.isVisible()) await dialog.locator('.monaco-button', { hasText: 'Delete Permanently' }).click();
    await eventually(async () => ((await costText(frame)) !== before ? true : undefined), 'the total to follow the delete');
  });

  test('the panel opens at its top, newest first, the pending card in view, nothing marked (screenshots light and dark)', async () => {
    for (const theme of ['light', 'dark']) {
      await runCommand(e2e.page, 'View: Close All Editors');
      await clearNotifications(e2e.page);
      // A generation from the palette opens the closed panel with its pending card.
      e2e.gemini.enqueue({ kind: 'image', delayMs: 15_000 });
      await runCommand(e2e.page, 'Gemini Image: Generate Image');
      const prompt = `A red kite over the dunes (${theme})`;
      await enterPrompt(e2e.page, prompt);
      await pickStyleStep(e2e.page);
      const frame = await findWebviewFrame(e2e.page, (f) => f.evaluate<boolean>('!!document.querySelector(".gallery > .card.pending")'), 60_000);
      assert.equal(await scrollY(frame), 0);
      assert.equal(await frame.locator('.gallery > .card').first().getAttribute('aria-busy'), 'true', 'the pending card comes first');
      await eventually(async () => ((await frame.locator('.card.pending').count()) === 0 ? true : undefined), 'the image to arrive');
      const loaded = await panel(e2e.page, 1);
      // The pending card goes a moment before the image is added.
      await eventually(async () => ((await loaded.locator('.gallery .card .prompt').first().innerText()) === prompt ? true : undefined), 'the newest card first');
      assert.equal(await scrollY(loaded), 0);
      // Reopened: at the top, no card marked.
      await runCommand(e2e.page, 'View: Close All Editors');
      await runCommand(e2e.page, 'Gemini Image: Show Images');
      const reopened = await panel(e2e.page, 1);
      assert.equal(await scrollY(reopened), 0, 'opened scrolled down');
      assert.equal(await reopened.locator('.card.focused').count(), 0, 'a card has the focus ring on opening');
      assert.equal(await reopened.locator('.gallery .card .prompt').first().innerText(), prompt);
      await waitForNoToasts(e2e.page);
      await docsShot(e2e.page, `panel-first-open-${theme}`);
      if (theme === 'light') {
        await switchTheme(e2e.page, 'Dark Modern');
        const dark = await panel(e2e.page, 6);
        await checkMenu(e2e.page, dark, 0, 'down', 'dark');
        await checkMenu(e2e.page, dark, 1, 'up', 'dark');
      }
    }
    await expectNoErrorDialog(e2e.page);
  });
});
