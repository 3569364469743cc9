// One pooled dispatcher per proxy setting, but not one for every setting ever used: those left
// behind are closed (their sockets freed) once newer ones take their place.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeDispatchers, dispatcherFor, MAX_DISPATCHERS } from '../../src/gemini/http';

after(() => closeDispatchers());

test('proxy settings used long ago lose their dispatcher; recent ones keep theirs', async () => {
  const first = dispatcherFor({ proxyUrl: 'http://127.0.0.1:9/' });
  const settings = Array.from({ length: 10 }, (_, i) => ({ proxyUrl: `http://127.0.0.1:${1000 + i}/` }));
  for (const s of settings) dispatcherFor(s);
  const recent = settings.slice(-MAX_DISPATCHERS).map((s) => dispatcherFor(s));
  assert.deepEqual(settings.slice(-MAX_DISPATCHERS).map((s) => dispatcherFor(s)), recent, 'reused while recent');
  // The first one was closed: a request through it is refused at once, never sent to its proxy.
  await assert.rejects(first.request({ origin: 'http://127.0.0.1:9', path: '/', method: 'GET' }), (e: Error) => /closed/i.test(`${e.name} ${e.message}`));
  assert.notEqual(dispatcherFor({ proxyUrl: 'http://127.0.0.1:9/' }), first, 'asked again, it is made anew');
});
