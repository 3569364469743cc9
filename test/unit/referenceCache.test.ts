// The upload cache on its own, with a hand-driven clock: reuse until shortly before expiry, the
// GET check when in doubt, use counts, the missing upload route told once, what gets persisted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoint, GeminiFile } from '../../src/gemini/types';
import { memoryStore, sha256Hex, UploadCache, type UploadCacheState } from '../../src/references/uploadCache';

const KEY = 'unit-key-Rt66';
const HOUR = 3600_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const endpoint: Endpoint = { baseUrl: 'https://relay.example/v1beta/', apiKey: KEY, authStyle: 'x-goog-api-key' };
const sha = sha256Hex(Buffer.from('an image'));

function file(n = 1, expiresInMs = 48 * HOUR, now = T0): GeminiFile {
  return { name: `files/f${n}`, uri: `https://relay.example/v1beta/files/f${n}`, mimeType: 'image/png', sizeBytes: '123', expirationTime: new Date(now + expiresInMs).toISOString(), state: 'ACTIVE' };
}

function setup(options: { verifyAfterMs?: number; reuseMarginMs?: number; noRouteRetryMs?: number; maxEntries?: number } = {}) {
  const clock = { now: T0 };
  const store = memoryStore();
  const told: string[] = [];
  const cache = new UploadCache(store, { ...options, now: () => clock.now, onFallback: (b) => told.push(b) });
  return { clock, store, told, cache };
}

describe('UploadCache', () => {
  test('reused until an hour before expirationTime, then gone', async () => {
    const { cache, clock } = setup();
    await cache.remember(endpoint, sha, file());
    assert.equal(cache.lookup(endpoint, sha)?.uri, file().uri);
    clock.now = T0 + 46.9 * HOUR;
    assert.ok(cache.lookup(endpoint, sha));
    clock.now = T0 + 47 * HOUR;
    assert.equal(cache.lookup(endpoint, sha), undefined);
  });

  test('an entry without expirationTime is assumed to live 48 h from its upload', async () => {
    const { cache, clock } = setup();
    await cache.remember(endpoint, sha, { ...file(), expirationTime: undefined });
    clock.now = T0 + 46 * HOUR;
    assert.ok(cache.lookup(endpoint, sha));
    clock.now = T0 + 47.5 * HOUR;
    assert.equal(cache.lookup(endpoint, sha), undefined);
  });

  test('needsCheck after verifyAfterMs; confirm() resets it and takes the new expirationTime', async () => {
    const { cache, clock } = setup({ verifyAfterMs: 6 * HOUR });
    await cache.remember(endpoint, sha, file());
    clock.now = T0 + 5 * HOUR;
    assert.equal(cache.needsCheck(cache.lookup(endpoint, sha)!), false);
    clock.now = T0 + 6 * HOUR;
    assert.equal(cache.needsCheck(cache.lookup(endpoint, sha)!), true);
    await cache.confirm(endpoint, sha, file(1, 48 * HOUR, clock.now));
    const entry = cache.lookup(endpoint, sha)!;
    assert.equal(cache.needsCheck(entry), false);
    assert.equal(entry.expirationTime, new Date(T0 + 54 * HOUR).toISOString());
    // A confirmation of another file (a replaced upload) does not touch the entry.
    clock.now = T0 + 13 * HOUR;
    await cache.confirm(endpoint, sha, file(2));
    assert.equal(cache.needsCheck(cache.lookup(endpoint, sha)!), true);
  });

  test('invalidate and invalidateUri drop entries', async () => {
    const { cache } = setup();
    const other = sha256Hex(Buffer.from('another image'));
    await cache.remember(endpoint, sha, file(1));
    await cache.remember(endpoint, other, file(2));
    await cache.invalidate(endpoint, sha);
    assert.equal(cache.lookup(endpoint, sha), undefined);
    assert.equal(await cache.invalidateUri(file(2).uri), true);
    assert.equal(cache.lookup(endpoint, other), undefined);
    assert.equal(await cache.invalidateUri(file(2).uri), false);
  });

  test('entries are per endpoint: another key or base URL does not see them', async () => {
    const { cache } = setup();
    await cache.remember(endpoint, sha, file());
    assert.ok(cache.lookup({ ...endpoint, baseUrl: 'https://relay.example' }, sha), 'the same base URL, written differently');
    assert.ok(cache.lookup({ ...endpoint, authStyle: 'bearer' }, sha), 'the same key sent another way');
    assert.equal(cache.lookup({ ...endpoint, apiKey: 'another-key' }, sha), undefined);
    assert.equal(cache.lookup({ ...endpoint, baseUrl: 'https://other.example' }, sha), undefined);
  });

  test('use counts per image and endpoint', async () => {
    const { cache } = setup();
    assert.equal(await cache.countUse(endpoint, sha), 1);
    assert.equal(await cache.countUse(endpoint, sha), 2);
    assert.equal(cache.usesOf(endpoint, sha), 2);
    assert.equal(cache.usesOf({ ...endpoint, apiKey: 'another-key' }, sha), 0);
  });

  test('no upload route: remembered per base URL, told once, tried again after a day without telling again', async () => {
    const { cache, clock, told, store } = setup({ noRouteRetryMs: 24 * HOUR });
    assert.equal(cache.hasNoUploadRoute(endpoint), false);
    await cache.rememberNoUploadRoute(endpoint);
    await cache.rememberNoUploadRoute({ ...endpoint, apiKey: 'another-key' });
    assert.deepEqual(told, ['https://relay.example']);
    assert.equal(cache.hasNoUploadRoute(endpoint), true);
    assert.equal(cache.hasNoUploadRoute({ ...endpoint, baseUrl: 'https://other.example' }), false);
    clock.now = T0 + 25 * HOUR;
    assert.equal(cache.hasNoUploadRoute(endpoint), false, 'worth another try');
    await cache.rememberNoUploadRoute(endpoint);
    assert.deepEqual(told, ['https://relay.example']);
    assert.equal((store.value as UploadCacheState).noUploadRoute['https://relay.example'].since, T0);
    await cache.clearNoUploadRoute(endpoint);
    assert.equal(cache.hasNoUploadRoute(endpoint), false);
    await cache.rememberNoUploadRoute(endpoint);
    assert.deepEqual(told, ['https://relay.example', 'https://relay.example'], 'a relay that gained and lost the route is news again');
  });

  test('the persisted state holds neither the key nor URL credentials', async () => {
    const { cache, store } = setup();
    const withCredentials: Endpoint = { ...endpoint, baseUrl: 'https://joe:hunter2@relay.example' };
    await cache.remember(withCredentials, sha, file());
    await cache.countUse(withCredentials, sha);
    await cache.rememberNoUploadRoute(withCredentials);
    const text = JSON.stringify(store.value);
    assert.ok(!text.includes(KEY));
    assert.ok(!text.includes('hunter2') && !text.includes('joe'));
    for (const key of Object.keys((store.value as UploadCacheState).files)) assert.match(key, /^https:\/\/relay\.example#key:[0-9a-f]{16}\|[0-9a-f]{64}$/);
  });

  test('expired entries are pruned on write; the newest maxEntries are kept', async () => {
    const { cache, clock, store } = setup({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) {
      clock.now = T0 + i * 1000;
      await cache.remember(endpoint, sha256Hex(Buffer.from(`image ${i}`)), file(i, 48 * HOUR, clock.now));
    }
    assert.deepEqual(Object.values((store.value as UploadCacheState).files).map((e) => e.name).sort(), ['files/f2', 'files/f3', 'files/f4']);
    clock.now = T0 + 48 * HOUR;
    await cache.countUse(endpoint, sha);
    assert.deepEqual((store.value as UploadCacheState).files, {});
  });

  test('a stored value of another shape is ignored, not trusted', async () => {
    for (const value of [undefined, null, 'x', [], { version: 2, files: {} }, { version: 1, files: { k: { name: 1 } } }]) {
      const cache = new UploadCache(memoryStore(value));
      assert.deepEqual(cache.snapshot(), { version: 1, files: {}, uses: {}, noUploadRoute: {} });
    }
  });

  test('concurrent updates do not lose each other', async () => {
    const { cache } = setup();
    await Promise.all(Array.from({ length: 20 }, () => cache.countUse(endpoint, sha)));
    assert.equal(cache.usesOf(endpoint, sha), 20);
  });
});
