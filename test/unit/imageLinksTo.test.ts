// Which links of a markdown document show a given image: Use as Alt Text replaces their alt only.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { imageLinksTo } from '../../src/core/markdownImageAt';

const doc = path.resolve('/w/docs/guide.md');
const image = path.resolve('/w/docs/images/boat.png');
const resolve = (from: string, to: string) => path.resolve(path.dirname(from), to);

test('links to the image are found by their resolved destination, with the alt text range', () => {
  const lines = ['# Guide', 'Text ![old alt](images/boat.png) and ![other](images/car.png)', '', '![](./images/boat%20.png)', '![Boat \\[1\\]](<images/boat.png> "title")', '![remote](https://x.y/images/boat.png)'];
  const links = imageLinksTo(lines, doc, image, resolve);
  assert.deepEqual(
    links.map((l) => [l.line, lines[l.line].slice(l.altStart, l.altEnd)]),
    [
      [1, 'old alt'],
      [4, 'Boat \\[1\\]'],
    ],
  );
});

test('a document that does not link the image has none', () => {
  assert.deepEqual(imageLinksTo(['![x](../boat.png)'], doc, image, resolve), []);
});
