// The per-fill limit (where it comes from, what fits) and the per-session agent budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overLimit, overLimitText, resolveMaxCost } from '../../src/docs/maxCost';
import type { PlannedImage, PriceOf } from '../../src/docs/plan';
import { budgetRefusalText, SessionBudget } from '../../src/core/sessionBudget';

test('the flag overrides the house style; the user setting is a ceiling nothing raises', () => {
  assert.deepEqual(resolveMaxCost(undefined, undefined, undefined), {});
  assert.deepEqual(resolveMaxCost(3, 1, undefined), { limit: 3, source: 'flag' });
  assert.deepEqual(resolveMaxCost(undefined, 1, undefined), { limit: 1, source: 'style' });
  assert.deepEqual(resolveMaxCost(3, 1, 2), { limit: 2, source: 'setting' });
  assert.deepEqual(resolveMaxCost(undefined, 5, 2), { limit: 2, source: 'setting' });
  assert.deepEqual(resolveMaxCost(0.5, 5, 2), { limit: 0.5, source: 'flag' });
  assert.deepEqual(resolveMaxCost(Number.NaN, -1, undefined), {});
});

const image = (model: string) => ({ model, imageSize: '1K', relPath: 'a.png' }) as PlannedImage;
const price: PriceOf = (model, _size, tier) => (model === 'known' ? (tier === 'batch' ? 0.05 : 0.1) : undefined);

test('over the limit: the estimate, the limit and how many fit, in order', () => {
  const images = [image('known'), image('known'), image('known')];
  assert.equal(overLimit(images, price, 'standard', undefined), undefined);
  assert.equal(overLimit(images, price, 'standard', 0.3), undefined);
  assert.equal(overLimit(images, price, 'batch', 0.15), undefined);
  const over = overLimit(images, price, 'standard', 0.25)!;
  assert.deepEqual(over, { estimate: 0.3, limit: 0.25, fit: 2, total: 3 });
  assert.equal(overLimitText(over), 'The estimate, $0.30, is over the limit of $0.25: nothing was generated. 2 of the 3 image(s) would fit.');
  const unknown = overLimit([image('known'), image('relay-alias')], price, 'standard', 5)!;
  assert.equal(unknown.estimate, undefined);
  assert.match(overLimitText(unknown), /unknown .* cannot be kept under the limit of \$5\.00: nothing was generated\.$/);
});

test('the session budget reserves before, refuses with the figures, and counts what was spent', () => {
  const budget = new SessionBudget(0.2);
  const a = budget.reserve(0.1);
  const b = budget.reserve(0.1);
  assert.ok(a.ok && b.ok);
  const c = budget.reserve(0.01);
  assert.equal(c.ok, false);
  assert.deepEqual((c as { refusal: unknown }).refusal, { reason: 'over', estimate: 0.01, spent: 0, running: 0.2, limit: 0.2, left: 0 });
  assert.match(budgetRefusalText((c as { refusal: Parameters<typeof budgetRefusalText>[0] }).refusal, 'image C'), /^Refused: image C would cost about \$0\.01, and this session has spent \$0\.00 \(and \$0\.20 is running\) of its \$0\.20 budget, \$0\.00 left\./);
  a.reservation.release();
  b.reservation.settle(0.067);
  assert.equal(budget.spent, 0.067);
  assert.ok(budget.reserve(0.13).ok);
  const unknown = budget.reserve(undefined);
  assert.equal(!unknown.ok && unknown.refusal.reason, 'unknown');
  assert.match(budgetRefusalText((unknown as { refusal: Parameters<typeof budgetRefusalText>[0] }).refusal, 'a relay model'), /the cost of a relay model is unknown/);
  assert.ok(new SessionBudget(undefined).reserve(undefined).ok, 'no budget: nothing refused');
  assert.equal(new SessionBudget(1, 0.5).spent, 0.5, 'carried over when the limit changes');
});
