// Reference images, refine, image understanding and the prompt writer in a real VS Code, against
// the stand-in server: what the server was sent, what lands on disk and in the document.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { FakeGemini } from '../support/fakeGemini';
import { listFiles } from '../support/tempWorkspace';
import { chooseMenuItem, enterPrompt, eventually, panelWithLoadedImage, pickStyleStep, saveEditor, waitForNoToasts } from './actions';
import { clearNotifications, expectNoErrorDialog, openFile, runCommand, screenshot } from './harness';
import { PLAIN_EDITOR, useE2ESession } from './session';

/** An image generation: the editor streams it (streamGenerateContent), a relay without streaming gets generateContent. */
const IMAGE_CALL = /:(streamGenerateContent|generateContent)$/;

const KEY = 'e2e-key-feat-55';

interface Body {
  contents: { role?: string; parts: Record<string, unknown>[] }[];
  generationConfig?: { responseModalities?: string[] };
}

function bodyOf(server: FakeGemini, index: number): Body {
  return server.requests.filter((r) => IMAGE_CALL.test(r.path))[index]?.body as Body;
}

function generateRequests(server: FakeGemini) {
  return server.requests.filter((r) => IMAGE_CALL.test(r.path));
}

async function explorerContextMenu(page: Page, fileName: string, item: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible' });
  await row.click({ button: 'right' });
  await chooseMenuItem(page, item);
}

describe('references, refine, understanding and the prompt writer', { timeout: 600_000 }, () => {
  const e2e = useE2ESession({ key: KEY, name: 'feat', settings: PLAIN_EDITOR, theme: 'hc', checkLeftovers: false });

  before(async () => {
    // A first image to work with.
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'Harbour at night');
    await pickStyleStep(e2e.page);
    await eventually(() => existsSync(join(e2e.workspace, 'images', 'harbour-at-night.png')) || undefined, 'the first image');
    await panelWithLoadedImage(e2e.page);
    await waitForNoToasts(e2e.page);
    await screenshot(e2e.page, 'panel-high-contrast');
  });

  test('Edit Image with Prompt... from the explorer sends the image as a reference and saves the result', async () => {
    const before = generateRequests(e2e.gemini).length;
    await clearNotifications(e2e.page);
    await e2e.page.keyboard.press('Control+Shift+E');
    const folder = e2e.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' }).first();
    await folder.click();
    await explorerContextMenu(e2e.page, 'harbour-at-night.png', 'Edit Image with Prompt...');
    // The box names the source and asks what should change; one image, in the source's shape.
    const input = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => ((await input.getAttribute('placeholder')) === 'What should change?' ? true : undefined), 'the edit box');
    // An edit makes one image: no count in the title (issue 25).
    const title = await e2e.page.locator('.quick-input-widget .quick-input-title').innerText();
    assert.match(title, /^Edit harbour-at-night\.png \(.*\)$/);
    assert.doesNotMatch(title, /image\)$|images\)$/);
    await input.fill('Add a red boat');
    await input.press('Enter');
    await pickStyleStep(e2e.page);
    // Named after its source, not after the edit's words (issue 25).
    await eventually(() => existsSync(join(e2e.workspace, 'images', 'harbour-at-night-edit.png')) || undefined, 'the edited image');
    const body = bodyOf(e2e.gemini, before);
    assert.equal(body.contents[0].parts[0].text, 'Add a red boat');
    const reference = body.contents[0].parts[1] as { inlineData?: { data: string }; fileData?: unknown };
    assert.ok(reference.inlineData || reference.fileData, 'the reference image was not sent');
    if (reference.inlineData) {
      // The reference is the file on disk, byte for byte (metadata included).
      assert.deepEqual(Buffer.from(reference.inlineData.data, 'base64'), readFileSync(join(e2e.workspace, 'images', 'harbour-at-night.png')));
    }
    await expectNoErrorDialog(e2e.page);
  });

  test('Refine... in the panel continues the conversation: the earlier model turn goes back with its signature', async () => {
    const before = generateRequests(e2e.gemini).length;
    const frame = await panelWithLoadedImage(e2e.page, 2);
    await frame.locator('.card', { hasText: 'Harbour at night' }).locator('button[data-action="refine"]').click();
    const input = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => /make the sky orange/.test((await input.getAttribute('placeholder')) ?? '') || undefined, 'the refine box');
    await input.fill('Make the sky orange');
    await input.press('Enter');
    await eventually(() => generateRequests(e2e.gemini).length > before || undefined, 'the refine request');
    const body = bodyOf(e2e.gemini, before);
    assert.deepEqual(body.contents.map((c) => c.role), ['user', 'model', 'user']);
    assert.equal(body.contents[2].parts[0].text, 'Make the sky orange');
    assert.ok(body.contents[1].parts.some((p) => typeof p.thoughtSignature === 'string'), 'the signature was not sent back');
    await eventually(async () => ((await frame.locator('.chain .badge', { hasText: 'v2' }).count()) > 0 ? true : undefined), 'version 2 in the panel');
    assert.equal(generateRequests(e2e.gemini).at(-1)?.status, 200, 'the server refused the refine');
    await panelWithLoadedImage(e2e.page, 3);
    await waitForNoToasts(e2e.page);
    await screenshot(e2e.page, 'panel-refine-chain');
    await expectNoErrorDialog(e2e.page);
  });

  test('an image file dropped on the panel reopens its prompt (Remix); a file outside the workspace is refused', async () => {
    const frame = await panelWithLoadedImage(e2e.page);
    const drop = (uri: string) =>
      frame.evaluate(`(() => {
        const data = new DataTransfer();
        data.setData('text/uri-list', ${JSON.stringify(uri)});
        document.querySelector('.gallery').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      })()`);
    await drop(pathToFileURL(join(e2e.workspace, 'images', 'harbour-at-night.png')).href);
    await eventually(async () => ((await frame.locator('#prompt').inputValue()) === 'Harbour at night' ? true : undefined), 'the prompt box to hold the image\'s prompt');
    await frame.locator('#prompt').fill('');
    await drop('file:///etc/hostname');
    await eventually(async () => ((await frame.locator('.notice.error').count()) > 0 ? true : undefined), 'the refusal');
    assert.match(await frame.locator('.notice.error').first().innerText(), /Only images in the workspace can be dropped here/);
    assert.equal(await frame.locator('#prompt').inputValue(), '');
  });

  test('Generate Alt Text replaces only the alt text of the link under the cursor', async () => {
    await openFile(e2e.page, 'docs/guide.md');
    await e2e.page.locator('.monaco-editor .view-lines').first().click();
    await e2e.page.keyboard.press('Control+End');
    await e2e.page.keyboard.press('Enter');
    await e2e.page.keyboard.type('![old words](../images/harbour-at-night.png)');
    await e2e.page.keyboard.press('ArrowLeft');
    await e2e.page.keyboard.press('ArrowLeft');
    const before = await eventually(async () => {
      await saveEditor(e2e.page);
      const now = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
      return now.includes('![old words](../images/harbour-at-night.png)') ? now : undefined;
    }, 'the typed link on disk');
    await runCommand(e2e.page, 'Gemini Image: Generate Alt Text');
    // The proposal is shown in an editable box first; Enter accepts it.
    const box = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => (/^A fake description/.test(await box.inputValue().catch(() => '')) ? true : undefined), 'the proposed alt text in a box');
    assert.match(await e2e.page.locator('.quick-input-widget .quick-input-title').innerText(), /Alt text for harbour-at-night\.png/);
    await box.press('Enter');
    const after = await eventually(async () => {
      await saveEditor(e2e.page);
      const now = readFileSync(join(e2e.workspace, 'docs', 'guide.md'), 'utf8');
      return now.includes('old words') ? undefined : now;
    }, 'the alt text');
    const last = after.trimEnd().split('\n').at(-1) ?? '';
    assert.match(last, /^!\[A fake description of the image: a soft gradient sky over two hills, with a round sun\. \(The stand-in received 1 image\.\)\]\(\.\.\/images\/harbour-at-night\.png\)$/);
    assert.equal(after.trimEnd().split('\n').slice(0, -1).join('\n'), before.trimEnd().split('\n').slice(0, -1).join('\n'), 'other lines changed');
    const question = bodyOf(e2e.gemini, generateRequests(e2e.gemini).length - 1);
    assert.equal(question.generationConfig?.responseModalities, undefined, 'an understanding call asked for images');
    assert.equal(listFiles(join(e2e.workspace, 'docs')).filter((f) => f.endsWith('.png')).length, 0, 'an understanding call wrote a file');
  });

  test('Write Image Prompt from Selection on a markdown section: the text model gets the section, the prompt is editable, then sent', async () => {
    await openFile(e2e.page, 'docs/guide.md');
    await e2e.page.locator('.monaco-editor .view-lines').first().click();
    await e2e.page.keyboard.press('Control+Home');
    for (let i = 0; i < 12; i++) await e2e.page.keyboard.press('ArrowDown');
    const before = generateRequests(e2e.gemini).length;
    await runCommand(e2e.page, 'Gemini Image: Write Image Prompt from Selection');
    const input = e2e.page.locator('.quick-input-widget input');
    await eventually(async () => (/^An editorial illustration of /.test(await input.inputValue()) ? true : undefined), 'the written prompt in the box');
    await input.fill('A chalkboard menu by a barrel, with a sleeping ginger cat');
    await input.press('Enter');
    // The style comes after the prompt, as in Generate Image (issue 25).
    await pickStyleStep(e2e.page, 'Flat illustration');
    await eventually(() => (generateRequests(e2e.gemini).length >= before + 2 ? true : undefined), 'the image request');
    const writer = generateRequests(e2e.gemini)[before];
    assert.match(writer.path, /gemini-3\.5-flash-lite:generateContent$/);
    const writerBody = writer.body as Body;
    assert.ok(!JSON.stringify(writerBody.generationConfig ?? {}).includes('IMAGE'), 'the prompt writer asked for images');
    assert.match(JSON.stringify(writerBody.contents), /chalkboard menu leaning against a wooden barrel/);
    assert.ok(!JSON.stringify(writerBody.contents).includes('A small white lighthouse'), 'the whole document was sent, not the section');
    const image = bodyOf(e2e.gemini, before + 1);
    assert.match(String(image.contents[0].parts[0].text), /A chalkboard menu by a barrel, with a sleeping ginger cat/);
    await expectNoErrorDialog(e2e.page);
  });
});
