import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { altTextFromPrompt, encodeLinkPath, imageLinkFor, relativeLinkTarget } from '../../src/core/markdownLink';

const ws = path.resolve('/w');

test('link is relative to the document, posix', () => {
  assert.equal(relativeLinkTarget(path.join(ws, 'docs', 'a.md'), path.join(ws, 'docs', 'images', 'x.png')), 'images/x.png');
  assert.equal(relativeLinkTarget(path.join(ws, 'docs', 'a.md'), path.join(ws, 'img', 'x.png')), '../img/x.png');
});

test('spaces and parentheses are encoded', () => {
  assert.equal(encodeLinkPath('my images/a (1).png'), 'my%20images/a%20%281%29.png');
  assert.equal(encodeLinkPath('50%/a#b.png'), '50%25/a%23b.png');
});

test('Chinese paths stay readable', () => {
  assert.equal(encodeLinkPath('图片/海报.png'), '图片/海报.png');
});

test('alt text is one line, escaped and short', () => {
  assert.equal(altTextFromPrompt('a [bold]\nfox \\ here'), 'a \\[bold\\] fox \\\\ here');
  const long = altTextFromPrompt('word '.repeat(60));
  assert.ok(Array.from(long).length <= 81, long);
  assert.ok(long.endsWith('…'));
});

test('the whole link', () => {
  assert.equal(imageLinkFor('A fox (red)', path.join(ws, 'a.md'), path.join(ws, 'images', 'a fox.png')), '![A fox (red)](images/a%20fox.png)');
});
