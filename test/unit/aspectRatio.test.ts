// An edit keeps its source's shape: the matching supported ratio, or none when nothing is close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchingAspectRatio } from '../../src/core/aspectRatio';

const RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

test('the sizes Gemini returns map back to their ratio', () => {
  assert.equal(matchingAspectRatio(1344, 768, RATIOS), '16:9');
  assert.equal(matchingAspectRatio(1024, 1024, RATIOS), '1:1');
  assert.equal(matchingAspectRatio(768, 1344, RATIOS), '9:16');
  assert.equal(matchingAspectRatio(1184, 864, RATIOS), '4:3');
  assert.equal(matchingAspectRatio(1536, 672, RATIOS), '21:9');
  assert.equal(matchingAspectRatio(1920, 1080, RATIOS), '16:9');
});

test('a shape no ratio matches gets none, so the request leaves it out', () => {
  assert.equal(matchingAspectRatio(1000, 700, RATIOS), undefined);
  assert.equal(matchingAspectRatio(3000, 1000, RATIOS), undefined);
  assert.equal(matchingAspectRatio(0, 10, RATIOS), undefined);
});
