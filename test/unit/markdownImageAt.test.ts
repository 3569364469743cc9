import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageLinkAt, isRemoteTarget } from '../../src/core/markdownImageAt';

test('finds the link under the cursor and the alt range', () => {
  const line = 'Text ![old alt](images/a%20b.png) and ![two](c.png "title")';
  const first = imageLinkAt(line, 10);
  assert.ok(first);
  assert.equal(line.slice(first.altStart, first.altEnd), 'old alt');
  assert.equal(first.path, 'images/a b.png');
  const second = imageLinkAt(line, line.length - 3);
  assert.equal(second?.path, 'c.png');
  assert.equal(second && line.slice(second.altStart, second.altEnd), 'two');
  assert.equal(imageLinkAt(line, 2), undefined);
});

test('escaped brackets in the alt, angle-bracket destinations, empty alt', () => {
  const line = '![a \\[b\\] c](<my images/x (1).png>) ![](y.png)';
  const a = imageLinkAt(line, 3);
  assert.equal(a?.alt, 'a \\[b\\] c');
  assert.equal(a?.path, 'my images/x (1).png');
  const b = imageLinkAt(line, line.length - 2);
  assert.ok(b);
  assert.equal(b.altStart, b.altEnd);
  assert.equal(b.path, 'y.png');
});

test('remote targets are recognised', () => {
  assert.ok(isRemoteTarget('https://example.com/a.png'));
  assert.ok(!isRemoteTarget('images/a.png'));
  assert.ok(!isRemoteTarget('file:///a.png'));
});
