// The chat agent's tools in a real VS Code: a test-only extension (test/e2e/toolCaller) calls
// vscode.lm.invokeTool as an agent would. The user sees the confirmation with the model and the
// cost; the image appears at the given path with the stand-in's bytes; the returned link points at it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { automaticImageModel, formatDollars, pricePerImage } from '../../src/core/models';
import { withoutTextChunks } from '../support/pngChunks';
import { eventually } from './actions';
import { expectNoErrorDialog, runCommand, screenshot } from './harness';
import { useE2ESession } from './session';
import { packageTestExtension } from './testExtensions';

const KEY = 'e2e-tools-key-5c1d';
// Room for the two images the tests make, not a third.
const MODEL = automaticImageModel(undefined, new Date());
const PRICE = pricePerImage({ model: MODEL, imageSize: '1K' })!;
const BUDGET = Math.round(PRICE * 2.5 * 1000) / 1000;

interface ToolResult {
  ok: boolean;
  texts?: string[];
  images?: { mimeType: string; base64: string }[];
  error?: string;
  tools?: string[];
}

describe('language model tools in a real VS Code', { timeout: 600_000 }, () => {
  let packages: string;
  before(() => {
    packages = mkdtempSync(join(tmpdir(), 'gis-e2e-tool-caller-'));
  });
  after(() => rmSync(packages, { recursive: true, force: true }));

  const e2e = useE2ESession({ key: KEY, name: 'tools', extraVsixPaths: () => [packageTestExtension('toolCaller', packages)], theme: 'light', settings: { 'geminiImage.agentBudget': BUDGET } });

  /** Calls the tool through the test extension; `confirm` reads and accepts VS Code's confirmation. */
  async function invoke(name: string, input: object, confirm?: (text: string) => void): Promise<ToolResult> {
    const dir = join(e2e.workspace, '.e2e-tool');
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, 'result.json'), { force: true });
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ name, input }));
    await runCommand(e2e.page, 'E2E Tool Caller: Invoke Tool From Request File');
    if (confirm) {
      const dialog = e2e.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      confirm((await dialog.innerText()).replace(/\s+/g, ' '));
      // Outside a chat request VS Code asks with its standard confirm dialog: Yes / Cancel.
      await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Yes$/ }).click();
    }
    const file = join(dir, 'result.json');
    // Read once it is whole: the test extension's write is not atomic.
    return eventually(
      () => {
        try {
          return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ToolResult) : undefined;
        } catch {
          return undefined;
        }
      },
      'the tool result',
      60_000,
    );
  }

  test('generate image: the user confirms with model and cost in view; the PNG is at the path; the link points at it', async () => {
    let confirmation = '';
    const result = await invoke('geminiImage_generate_image', { prompt: 'A paper boat on a calm *blue* lake', file_path: 'docs/images/boat.png', aspect_ratio: '16:9', markdown_file_path: 'docs/guide.md' }, (text) => {
      confirmation = text;
    });
    // No model is set: the automatic choice, with the catalogue's price for it.
    const model = automaticImageModel(undefined, new Date());
    assert.ok(confirmation.includes(`Model: ${model}`), confirmation);
    assert.ok(confirmation.includes(formatDollars(pricePerImage({ model, imageSize: '1K' }) ?? NaN)), confirmation);
    assert.match(confirmation, /docs\/images\/boat\.png/, confirmation);
    assert.ok(confirmation.includes(`Chat tools budget: $0.00 of ${formatDollars(BUDGET)} spent in this window`), confirmation);
    assert.ok(result.ok, result.error);
    const file = join(e2e.workspace, 'docs', 'images', 'boat.png');
    assert.ok(existsSync(file), 'no image at the given path');
    assert.deepEqual(withoutTextChunks(readFileSync(file)), e2e.gemini.sentImages.at(-1));
    const body = e2e.gemini.requests.at(-1)?.body as { generationConfig?: { imageConfig?: { aspectRatio?: string } } };
    assert.equal(body.generationConfig?.imageConfig?.aspectRatio, '16:9');
    const data = JSON.parse(result.texts!.join('\n').split('\n').at(-1)!) as { path: string; markdownLink: string };
    assert.equal(data.path, 'docs/images/boat.png');
    const target = /\]\(([^)]+)\)$/.exec(data.markdownLink)?.[1];
    assert.equal(target, 'images/boat.png', data.markdownLink);
    assert.equal(resolve(dirname(join(e2e.workspace, 'docs', 'guide.md')), ...target!.split(posix.sep)), file, 'the link resolves to the image');
    assert.match(data.markdownLink, /^!\[A paper boat on a calm \\\*blue\\\* lake\]/);
    // Beside the path, a thumbnail the agent's model can look at: a PNG of at most 256 pixels a side, the image's shape.
    assert.equal(result.images?.length, 1, JSON.stringify(result.images?.map((i) => i.mimeType)));
    const [thumb] = result.images!;
    assert.equal(thumb.mimeType, 'image/png');
    const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
    const [w, h] = size(Buffer.from(thumb.base64, 'base64'));
    const [W, H] = size(readFileSync(file));
    assert.equal(Math.max(w, h), 256, `${w}x${h}`);
    assert.ok(Math.abs(w / h - W / H) < 0.02, `${w}x${h} for ${W}x${H}`);
    assert.ok(Buffer.from(thumb.base64, 'base64').length < readFileSync(file).length / 4);
    await screenshot(e2e.page, 'tool-generate');
    await expectNoErrorDialog(e2e.page);
  });

  test('generate image never overwrites: the same path again gives boat-1.png, and the result says so', async () => {
    const before = readFileSync(join(e2e.workspace, 'docs', 'images', 'boat.png'));
    const result = await invoke('geminiImage_generate_image', { prompt: 'A second boat', file_path: 'docs/images/boat.png' }, () => undefined);
    assert.ok(result.ok, result.error);
    assert.deepEqual(readFileSync(join(e2e.workspace, 'docs', 'images', 'boat.png')), before, 'the first image changed');
    assert.ok(existsSync(join(e2e.workspace, 'docs', 'images', 'boat-1.png')));
    assert.match(result.texts!.join('\n'), /docs\/images\/boat-1\.png/);
    assert.match(result.texts!.join('\n'), /nothing was overwritten/);
  });

  test('a path outside the workspace is refused with a message the agent can act on, and nothing is sent', async () => {
    const requests = e2e.gemini.requests.length;
    const result = await invoke('geminiImage_generate_image', { prompt: 'x', file_path: '../escape.png' });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /outside the workspace/);
    assert.equal(e2e.gemini.requests.length, requests);
    assert.ok(!existsSync(join(e2e.workspace, '..', 'escape.png')));
  });

  test('over geminiImage.agentBudget: refused with the figures before any confirmation, and nothing is sent', async () => {
    const requests = e2e.gemini.requests.length;
    const result = await invoke('geminiImage_generate_image', { prompt: 'A third boat', file_path: 'docs/images/third.png' });
    assert.equal(result.ok, false);
    // What was spent is the two images' cost from their replies' usage, near the estimates.
    assert.match(result.error ?? '', new RegExp(`^Refused: this image would cost about \\${formatDollars(PRICE)}, and the chat tools have spent \\$[\\d.]+ of their \\${formatDollars(BUDGET)} budget in this window \\(\\$[\\d.]+ left\\)\\. Nothing was sent\\.`));
    assert.equal(e2e.gemini.requests.length, requests);
    assert.ok(!existsSync(join(e2e.workspace, 'docs', 'images', 'third.png')));
    await expectNoErrorDialog(e2e.page);
  });

  test('describe image: the description of a workspace image comes back', async () => {
    let confirmation = '';
    const result = await invoke('geminiImage_describe_image', { file_path: 'docs/images/boat.png' }, (text) => {
      confirmation = text;
    });
    assert.match(confirmation, /docs\/images\/boat\.png/);
    assert.ok(result.ok, result.error);
    assert.match(result.texts!.join('\n'), /^Description of docs\/images\/boat\.png:\nA fake description of the image/);
    await expectNoErrorDialog(e2e.page);
  });
});
