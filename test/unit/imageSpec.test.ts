// The prompt and options of a docs image (alt text, or the `gemini-image` comment above it), which
// links are ours to write, and when an image we made is stale.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { findImageLinks } from '../../src/docs/imageLinks';
import { imageSpecOf, isStale } from '../../src/docs/imageSpec';
import { collectImages, resolveLinkTarget } from '../../src/docs/targets';
import { planFill } from '../../src/docs/plan';
import { cataloguePrice, planPrices } from '../../src/docs/prices';
import { tempDir } from '../support/tempWorkspace';

const spec = (md: string) => imageSpecOf(findImageLinks(md)[0]);

test('the alt text is the prompt, escapes undone and whitespace collapsed', () => {
  assert.deepEqual(spec('![a  watercolor \\[lighthouse\\]\nat dawn](a.png)'), { prompt: 'a watercolor [lighthouse] at dawn', options: {}, problems: [] });
});

test('a gemini-image comment directly above gives a longer prompt and the options', () => {
  const md = ['<!-- gemini-image', 'A watercolor lighthouse at dawn,', '  fog over the water.', 'Aspect-Ratio: 16:9', 'size: 2k', 'model: models/gemini-3-pro-image', 'style: Watercolor', 'references: refs/a.png, refs/b.png', '-->', '![lighthouse](images/l.png)'].join('\n');
  const s = spec(md);
  assert.equal(s.prompt, 'A watercolor lighthouse at dawn, fog over the water.');
  assert.deepEqual(s.options, { aspectRatio: '16:9', imageSize: '2K', model: 'gemini-3-pro-image', style: 'watercolor', references: ['refs/a.png', 'refs/b.png'] });
  assert.deepEqual(s.problems, []);
});

test('options alone keep the alt text as the prompt; bad values are reported, not guessed', () => {
  const s = spec('<!-- gemini-image aspect-ratio: 7:5\nsize: huge\nstyle: nope -->\n![the alt](x.png)');
  assert.equal(s.prompt, 'the alt');
  assert.deepEqual(s.options, {});
  assert.equal(s.problems.length, 3);
});

test('another comment, or one separated by a blank line, is not ours', () => {
  assert.equal(spec('<!-- a note -->\n![alt](x.png)').prompt, 'alt');
  assert.equal(spec('<!-- gemini-image long -->\n\n![alt](x.png)').prompt, 'alt');
  assert.equal(spec('<!-- gemini-imagery long -->\n![alt](x.png)').prompt, 'alt');
});

test('only image paths inside the workspace are targets', () => {
  const root = path.resolve('/ws');
  const doc = path.join(root, 'docs', 'guide.md');
  assert.equal(resolveLinkTarget(doc, 'images/a b.png', root), path.join(root, 'docs', 'images', 'a b.png'));
  assert.equal(resolveLinkTarget(doc, '../shared/x.jpg?raw=1', root), path.join(root, 'shared', 'x.jpg'));
  for (const outside of ['../../../../etc/hosts.png', '/etc/x.png', 'https://example.com/a.png', 'data:image/png;base64,AAAA', 'file:///etc/a.png', 'C:\\x.png', 'notes.txt', '']) {
    assert.equal(resolveLinkTarget(doc, outside, root), undefined, outside);
  }
});

test('two links to one path are one image; a different prompt for it is a conflict, the first wins', async () => {
  const dir = tempDir();
  const root = dir.path;
  const a = { path: path.join(root, 'a.md'), text: '![one](img/x.png)\n\n![one](img/x.png)\n\n![two](img/x.png)\n' };
  const b = { path: path.join(root, 'sub', 'b.md'), text: '![one](../img/x.png)\n![remote](https://e.com/y.png)\n' };
  const images = collectImages([a, b], root);
  assert.equal(images.length, 1);
  assert.equal(images[0].sites.length, 3);
  assert.deepEqual(images[0].conflicts, [{ document: a.path, line: 4 }]);
  const plan = await planFill(images, root, { model: 'gemini-3.1-flash-image', imageSize: '1K' }, cataloguePrice);
  assert.equal(plan.conflicts.length, 1);
  assert.equal(plan.costNow, 0.067);
  assert.equal(plan.costBatch, 0.0335);
  assert.equal(plan.missing.length, 1);
  dir.cleanup();
});

test('stale: a changed prompt or a named option that differs; defaults never count', () => {
  const s = spec('<!-- gemini-image\nsize: 2K\n-->\n![a cat](c.png)');
  const meta = { version: 1, prompt: 'a cat', model: 'm1', imageSize: '2K' };
  assert.equal(isStale(meta, s), false);
  assert.equal(isStale({ ...meta, model: 'other' }, s), false, 'the model was not named');
  assert.equal(isStale({ ...meta, imageSize: '1K' }, s), true);
  assert.equal(isStale({ ...meta, prompt: 'a dog' }, s), true);
  assert.equal(isStale({ version: 1, prompt: 'Watercolor of a cat', userPrompt: 'a cat', style: 'Watercolor', imageSize: '2K' }, s), false, 'a style wraps the prompt; the typed prompt is compared');
});

test("the plan's prices: the catalogue's, or the user's own for a relay, with a batch at half", () => {
  const own = planPrices({ 'relay-image': 0.02, 'gemini-3.1-flash-image': { '2K': 0.05 } });
  assert.equal(own('relay-image', '1K', 'standard'), 0.02);
  assert.equal(own('relay-image', '1K', 'batch'), 0.01);
  assert.equal(own('models/gemini-3.1-flash-image', '2K', 'standard'), 0.05);
  assert.equal(own('gemini-3.1-flash-image', '2K', 'batch'), 0.025);
  // A size without an override of its own keeps the catalogue's prices.
  assert.equal(own('gemini-3.1-flash-image', '1K', 'standard'), cataloguePrice('gemini-3.1-flash-image', '1K', 'standard'));
  assert.equal(own('gemini-3.1-flash-image', '1K', 'batch'), 0.0335);
  assert.equal(planPrices()('relay-image', '1K', 'standard'), undefined);
});
