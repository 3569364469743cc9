// Generate Alt Text on a docs image (issue 25, item 2): the alt text was the image's prompt, so
// the prompt moves first into a gemini-image comment with the options the image was made with;
// then the new alt text leaves the image current (not "older than its prompt").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageMetadata } from '../../src/core/imageMetadata';
import { findImageLinks } from '../../src/docs/imageLinks';
import { imageSpecOf, isStale } from '../../src/docs/imageSpec';
import { imageLinkAtOffset, promptToKeep } from '../../src/docs/keepPrompt';

const META: ImageMetadata = { version: 1, prompt: 'Watercolor: a lighthouse at dawn', userPrompt: 'a lighthouse at dawn', style: 'Watercolor', model: 'gemini-3-pro-image', aspectRatio: '16:9', imageSize: '2K' };

/** The document after the insertion and the alt text replaced, as the command's one edit does. */
function accept(text: string, alt: string, meta: ImageMetadata | undefined = META): string {
  const link = imageLinkAtOffset(text, text.indexOf('![') + 3)!;
  const altStart = link.start + 2;
  const altEnd = altStart + link.rawAlt.length;
  const keep = promptToKeep(text, link, meta);
  let out = text.slice(0, altStart) + alt + text.slice(altEnd);
  if (keep?.keep) out = out.slice(0, keep.insertion.offset) + keep.insertion.text + out.slice(keep.insertion.offset);
  return out;
}

function specOfOnlyLink(text: string) {
  const [link] = findImageLinks(text);
  return { link, spec: imageSpecOf(link) };
}

test('the prompt and its options move into a comment above the link; the image stays current', () => {
  const before = '# Guide\n\n![a lighthouse at dawn](images/lighthouse.png)\n\nMore text.\n';
  const after = accept(before, 'A white lighthouse on a rock at sunrise');
  assert.equal(after, '# Guide\n\n<!-- gemini-image\na lighthouse at dawn\naspect-ratio: 16:9\nsize: 2K\nstyle: Watercolor\n-->\n![A white lighthouse on a rock at sunrise](images/lighthouse.png)\n\nMore text.\n');
  const { link, spec } = specOfOnlyLink(after);
  assert.equal(link.rawAlt, 'A white lighthouse on a rock at sunrise');
  assert.equal(spec.prompt, 'a lighthouse at dawn');
  assert.deepEqual(spec.options, { aspectRatio: '16:9', imageSize: '2K', style: 'watercolor' });
  assert.equal(isStale(META, spec, 'Watercolor'), false, 'the image would be flagged older than its prompt');
});

test('a comment with options only gets the prompt; a list item keeps its indentation', () => {
  const options = '<!-- gemini-image\nsize: 2K\n-->\n![a lighthouse at dawn](images/lighthouse.png)\n';
  const after = accept(options, 'new alt');
  const { spec } = specOfOnlyLink(after);
  assert.equal(spec.prompt, 'a lighthouse at dawn');
  assert.deepEqual(spec.options, { imageSize: '2K', aspectRatio: '16:9', style: 'watercolor' });
  const oneLine = accept('<!-- gemini-image size: 2K -->\n![a lighthouse at dawn](images/lighthouse.png)\n', 'new alt');
  assert.equal(specOfOnlyLink(oneLine).spec.prompt, 'a lighthouse at dawn');
  const nested = accept('- item\n\n  ![a lighthouse at dawn](images/lighthouse.png)\n', 'new alt');
  assert.match(nested, /\n {2}<!-- gemini-image\n {2}a lighthouse at dawn\n/);
  assert.equal(specOfOnlyLink(nested).spec.prompt, 'a lighthouse at dawn');
});

test('nothing to keep: not our image, a prompt already in a comment, a prompt that reads like an option', () => {
  const text = '![a lighthouse at dawn](images/lighthouse.png)\n';
  const link = findImageLinks(text)[0];
  assert.equal(promptToKeep(text, link, undefined), undefined, 'an image without our metadata');
  assert.equal(promptToKeep(text, link, { version: 1, prompt: 'a harbour at night' }), undefined, 'an image made from another prompt');
  const commented = '<!-- gemini-image\na lighthouse at dawn, long version\n-->\n![short alt](images/lighthouse.png)\n';
  assert.equal(promptToKeep(commented, findImageLinks(commented)[0], META), undefined);
  const inline = 'See ![a lighthouse at dawn](images/lighthouse.png) here.\n';
  assert.deepEqual(promptToKeep(inline, findImageLinks(inline)[0], META), { keep: false });
  const keyLike = accept('![size: tiny boats](images/boats.png)\n', 'Boats', { version: 1, prompt: 'size: tiny boats' });
  assert.equal(specOfOnlyLink(keyLike).spec.prompt, 'size: tiny boats');
});
