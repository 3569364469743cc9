// Cost from the reply, not the table: image tokens at the model's image-token rate, text and
// thinking tokens at its text rate, the prompt at its input rate, at the tier the reply reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costFromUsage, estimateCost, reportedTier } from '../../src/core/models';
import { imageUsage } from '../../src/generation/usage';
import type { GeneratedReply } from '../../src/generation/generateImages';

// A 2K image from 3.1 Flash Image: 1680 image tokens, 12 text, 96 thinking, a 20-token prompt.
const usage = { promptTokenCount: 20, candidatesTokenCount: 1692, thoughtsTokenCount: 96, candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }, { modality: 'IMAGE', tokenCount: 1680 }] };
// 1680 x $60/M + (12 + 96) x $3/M + 20 x $0.50/M
const STANDARD = (1680 * 60 + 108 * 3 + 20 * 0.5) / 1e6;

test('at each tier the reply reports: standard, flex (half), priority (up to twice), and batch (half)', () => {
  assert.equal(costFromUsage('gemini-3.1-flash-image', usage), Math.round(STANDARD * 1e6) / 1e6);
  assert.equal(costFromUsage('gemini-3.1-flash-image', { ...usage, serviceTier: 'standard' }), Math.round(STANDARD * 1e6) / 1e6);
  assert.equal(costFromUsage('gemini-3.1-flash-image', { ...usage, serviceTier: 'flex' }), Math.round(STANDARD * 0.5 * 1e6) / 1e6);
  assert.equal(costFromUsage('gemini-3.1-flash-image', { ...usage, serviceTier: 'SERVICE_TIER_FLEX' }), Math.round(STANDARD * 0.5 * 1e6) / 1e6);
  assert.equal(costFromUsage('gemini-3.1-flash-image', { ...usage, serviceTier: 'priority' }), Math.round(STANDARD * 2 * 1e6) / 1e6);
  assert.equal(costFromUsage('gemini-3.1-flash-image', usage, { batch: true }), Math.round(STANDARD * 0.5 * 1e6) / 1e6);
  assert.equal(reportedTier('FLEX'), 'flex');
  assert.equal(reportedTier('SERVICE_TIER_UNSPECIFIED'), undefined);
});

test('no figure from usage when a rate or a count is missing: the estimate speaks instead', () => {
  assert.equal(costFromUsage('gemini-nano-banana-2.1', usage), undefined, 'no confirmed text-token rate');
  assert.equal(costFromUsage('relay-alias', usage), undefined);
  assert.equal(costFromUsage('gemini-3.1-flash-image', { promptTokenCount: 20, candidatesTokenCount: 1692 }), undefined, 'no modality details');
  assert.equal(costFromUsage('gemini-3.1-flash-image', undefined), undefined);
});

test('the record says which it is: "usage" from the reply, else "estimate"; a user\'s own price wins', () => {
  const reply = (u: object | undefined, images = 1) => ({ images: Array.from({ length: images }, () => ({})), usage: u }) as unknown as GeneratedReply;
  const fromUsage = imageUsage(reply({ ...usage, serviceTier: 'flex', totalTokenCount: 1808 }), 'gemini-3.1-flash-image', '2K');
  assert.deepEqual(fromUsage, { tokens: 1808, cost: Math.round(STANDARD * 0.5 * 1e6) / 1e6, costFrom: 'usage', serviceTier: 'flex' });
  const estimate = imageUsage(reply(usage), 'gemini-nano-banana-2.1', '4K');
  assert.deepEqual(estimate, { cost: 0.113, costFrom: 'estimate' });
  const flexEstimate = imageUsage(reply({ serviceTier: 'flex' }), 'gemini-nano-banana-2.1', '1K');
  assert.deepEqual(flexEstimate, { cost: 0.0168, costFrom: 'estimate', serviceTier: 'flex' });
  const own = imageUsage(reply(usage), 'gemini-3.1-flash-image', '2K', { 'gemini-3.1-flash-image': 0.05 });
  assert.deepEqual(own, { cost: 0.05, costFrom: 'estimate' });
  assert.equal(estimateCost({ model: 'gemini-nano-banana-2.1', images: 1, tier: 'priority' }), 0.0672);
});
