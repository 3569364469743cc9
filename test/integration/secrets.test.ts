// The key never leaks: a representative set of operations (success and every failure the stand-in
// can produce, in all three auth styles, with servers that echo the key back in their messages) is
// run with distinctive keys, and everything the extension would keep or show is scanned: every
// log line, every error (message, details, stack and cause chain), every retry notice, the
// results, and every byte of every file written in the workspace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type * as Undici from 'undici';
import { GeminiClient, type ClientOptions } from '../../src/gemini/client';
import { GeminiError } from '../../src/gemini/errors';
import { closeDispatchers } from '../../src/gemini/http';
import { assertSecureTransport, buildImageRequest } from '../../src/gemini/request';
import type { AuthStyle } from '../../src/gemini/types';
import { generateImages, type GenerateImagesInput } from '../../src/generation/generateImages';
import { startFakeGemini, type Behaviour, type FakeGemini } from '../support/fakeGemini';
import { assertNoSecret, errorText, spellings } from '../support/secretScan';
import { captureLog, listFiles, tempDir } from '../support/tempWorkspace';
import { freePort } from '../support/testHelpers';

const MODEL = 'gemini-nano-banana-2.1';
/** Shaped like a Google key, URL-safe characters only (built at run time: no key-shaped literal in the repository). */
const REALISTIC_KEY = ['AI', 'zaSyCanaryLeakCheck_7Qm2xZp9-Vb4Rt8Lk0'].join('');
/** A relay token with characters that URL and form encoding change. */
const RESERVED_KEY = 'sk+Canary/Leak=Check!*~(Zq9)';
/** A wrong key is a secret too. */
const WRONG_KEY = 'AIzaSyWrongCanary_Key-0000xyz';
const STYLES: AuthStyle[] = ['x-goog-api-key', 'bearer', 'query'];
/** Retry soon (a Retry-After in seconds), to keep the sweep quick. */
const SOON = { 'retry-after': '0.02' };

interface Outcome {
  name: string;
  texts: string[];
  error?: GeminiError;
  /** What the stand-in received. */
  requests: FakeGemini['requests'];
}

let server: FakeGemini;
let dir: { path: string; cleanup(): void };
let log: ReturnType<typeof captureLog>;

before(async () => {
  server = await startFakeGemini({ apiKeys: [REALISTIC_KEY, RESERVED_KEY] });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});
beforeEach(() => {
  server.reset();
  dir = tempDir('gis-secrets-');
  log = captureLog();
});
afterEach(() => dir.cleanup());

function client(key: string, authStyle: AuthStyle, options: Partial<ClientOptions> = {}, baseUrl = server.url): GeminiClient {
  return new GeminiClient({ endpoint: { baseUrl, apiKey: key, authStyle }, maxRetries: 1, maxRetryDelayMs: 100, timeoutMs: 5_000, log, ...options });
}

interface Operation {
  name: string;
  behaviours?: Behaviour[];
  client?: Partial<ClientOptions>;
  input?: Partial<GenerateImagesInput>;
  /** Abort after this many ms. */
  cancelAfterMs?: number;
  /** Use this key instead (a wrong key). */
  key?: string;
  baseUrl?: () => Promise<string>;
  expect: GeminiError['kind'] | 'ok';
}

/**
 * The operations, with servers that put the key into their error messages (relays do echo what
 * they got). The model's own words are content shown as received, so they are not made to echo it.
 */
function operations(key: string): Operation[] {
  const echo = `(request had key ${key}, encoded ${encodeURIComponent(key)})`;
  return [
    { name: 'success', expect: 'ok' },
    { name: 'success, a JPEG', behaviours: [{ kind: 'image', mimeType: 'image/jpeg' }], expect: 'ok' },
    { name: 'badKey echoing the key', behaviours: [{ kind: 'badKey', message: `API key not valid. ${echo}` }], expect: 'auth' },
    { name: 'a wrong key, answered by the server', key: WRONG_KEY, expect: 'auth' },
    { name: 'permission echoing the key', behaviours: [{ kind: 'permission', message: `Denied ${echo}` }], expect: 'permission' },
    { name: 'unknown model', input: { model: 'gemini-9-imaginary' }, expect: 'notFound' },
    { name: 'notFound echoing the key', behaviours: [{ kind: 'notFound', message: `No such thing ${echo}` }], expect: 'notFound' },
    {
      name: 'rateLimited until the retries run out',
      behaviours: [
        { kind: 'rateLimited', retryDelaySeconds: 0.02, message: `Quota exceeded ${echo}` },
        { kind: 'rateLimited', retryDelaySeconds: 0.02, message: `Quota exceeded ${echo}` },
      ],
      expect: 'rateLimited',
    },
    { name: 'unavailable twice', behaviours: [{ kind: 'unavailable', message: `Overloaded ${echo}`, headers: SOON }, { kind: 'unavailable', message: `Overloaded ${echo}`, headers: SOON }], expect: 'server' },
    { name: 'HTML 502 from a proxy, twice', behaviours: [{ kind: 'proxyHtml', status: 502, headers: SOON }, { kind: 'proxyHtml', status: 504, headers: SOON }], expect: 'proxy' },
    { name: 'blocked', behaviours: [{ kind: 'finish', finishReason: 'IMAGE_SAFETY', text: 'Not this one.' }], expect: 'blocked' },
    { name: 'prompt blocked', behaviours: [{ kind: 'promptBlocked' }], expect: 'blocked' },
    { name: 'connection reset mid-body, twice (retried after a backoff of about 1 s)', behaviours: [{ kind: 'reset' }, { kind: 'reset' }], expect: 'network' },
    { name: 'truncated JSON', behaviours: [{ kind: 'truncated' }], expect: 'badResponse' },
    { name: 'bad base64', behaviours: [{ kind: 'badBase64' }], expect: 'badResponse' },
    { name: 'timeout', behaviours: [{ kind: 'hang' }], client: { timeoutMs: 300, maxRetries: 0 }, expect: 'timeout' },
    { name: 'timeout while the body trickles in', behaviours: [{ kind: 'image', bytes: 400_000, chunkSize: 1024, chunkDelayMs: 50 }], client: { timeoutMs: 300, maxRetries: 0 }, expect: 'timeout' },
    { name: 'cancel while waiting', behaviours: [{ kind: 'hang' }], cancelAfterMs: 100, expect: 'cancelled' },
    { name: 'cancel mid-body', behaviours: [{ kind: 'image', bytes: 1_000_000, chunkSize: 16 * 1024, chunkDelayMs: 20 }], cancelAfterMs: 150, expect: 'cancelled' },
    { name: 'connection refused', baseUrl: async () => `http://127.0.0.1:${await freePort()}`, client: { maxRetries: 0 }, expect: 'network' },
  ];
}

async function runOperation(op: Operation, key: string, style: AuthStyle): Promise<Outcome> {
  server.reset();
  if (op.behaviours) server.enqueue(...op.behaviours);
  const retries: string[] = [];
  const abort = new AbortController();
  const timer = op.cancelAfterMs === undefined ? undefined : setTimeout(() => abort.abort(), op.cancelAfterMs);
  const c = client(op.key ?? key, style, op.client, op.baseUrl ? await op.baseUrl() : server.url);
  const prompt = 'a lighthouse at dawn';
  const outcome: Outcome = { name: `${op.name} (${style})`, texts: [], requests: [] };
  try {
    const result = await generateImages({
      client: c,
      model: MODEL,
      request: buildImageRequest({ prompt, model: MODEL }),
      count: 1,
      targetPath: (ext) => join(dir.path, 'images', `lighthouse.${ext}`),
      tempDir: join(dir.path, 'images'),
      signal: abort.signal,
      onRetry: (attempt, delay, error) => retries.push(`${attempt} ${delay} ${errorText(error)}`),
      ...op.input,
    });
    outcome.texts.push(JSON.stringify(result), inspect(result, { depth: 10 }), ...result.failures.map(errorText));
  } catch (e) {
    assert.ok(e instanceof GeminiError, `${outcome.name}: expected a GeminiError, got ${inspect(e)}`);
    outcome.error = e;
    outcome.texts.push(errorText(e));
  } finally {
    clearTimeout(timer);
  }
  outcome.texts.push(...retries);
  outcome.requests = [...server.requests];
  assert.equal(outcome.error?.kind ?? 'ok', op.expect, `${outcome.name}: ${outcome.error?.message}`);
  return outcome;
}

function assertNoSecretInFiles(secrets: string[]): number {
  const files = listFiles(dir.path);
  for (const file of files) {
    const bytes = readFileSync(join(dir.path, file));
    for (const secret of secrets) {
      for (const form of spellings(secret)) {
        assert.equal(bytes.indexOf(Buffer.from(form, 'utf8')), -1, `the key (as ${form}) is in ${file}`);
        assert.equal(bytes.indexOf(Buffer.from(form, 'utf16le')), -1, `the key (as UTF-16 ${form}) is in ${file}`);
      }
    }
  }
  return files.length;
}

for (const [keyName, key] of [
  ['a realistic key', REALISTIC_KEY],
  ['a relay token with reserved characters', RESERVED_KEY],
] as const) {
  describe(`${keyName}: never in a log line, an error or a file`, () => {
    for (const style of STYLES) {
      test(`auth style ${style}: every operation`, async () => {
        const outcomes: Outcome[] = [];
        for (const op of operations(key)) outcomes.push(await runOperation(op, key, style));
        await server.idle(3000);

        const secrets = [key, WRONG_KEY];
        for (const o of outcomes) assertNoSecret(secrets, o.name, o.texts);
        assertNoSecret(secrets, 'the log', log.lines);
        const files = assertNoSecretInFiles(secrets);

        // The sweep did reach the places it scans.
        assert.ok(log.lines.length >= outcomes.length, 'every operation logged something');
        assert.ok(log.lines.some((l) => /retry 1\/1/.test(l)), 'retries were logged');
        assert.equal(files, 2, 'the two successful images are the only files');
        assert.ok(outcomes.filter((o) => o.error?.details.serverMessage?.includes('[REDACTED]')).length >= 4, 'echoed keys were redacted, not dropped silently');

        // The key did travel, the way this style asks, and only that way.
        const [seen] = outcomes[0].requests;
        assert.equal(seen.headers['x-goog-api-key'], style === 'x-goog-api-key' ? key : undefined);
        assert.equal(seen.headers.authorization, style === 'bearer' ? `Bearer ${key}` : undefined);
        assert.equal(seen.query.key, style === 'query' ? key : undefined);
      });
    }
  });
}

describe('plain http to a host that is not this machine', () => {
  /** A dispatcher that records every request handed to it and answers none. */
  function spyDispatcher(): { dispatcher: Undici.Dispatcher; dispatched: string[] } {
    const dispatched: string[] = [];
    const dispatcher = {
      dispatch(opts: { origin?: string | URL; path?: string }) {
        dispatched.push(`${opts.origin}${opts.path}`);
        throw new Error('the spy dispatcher sends nothing');
      },
      close: async () => undefined,
      destroy: async () => undefined,
    } as unknown as Undici.Dispatcher;
    return { dispatcher, dispatched };
  }

  test('assertSecureTransport refuses http:// to non-loopback hosts, and allows loopback', () => {
    for (const url of [
      'http://relay.invalid',
      'http://relay.invalid:8080/v1beta',
      'HTTP://RELAY.INVALID/',
      'http://user:pass@relay.invalid',
      'http://127.0.0.1.relay.invalid',
      'http://localhost.relay.invalid',
      'http://10.0.0.1',
      'http://[::ffff:10.0.0.1]',
    ]) {
      assert.throws(() => assertSecureTransport(url), (e: unknown) => e instanceof GeminiError && e.kind === 'insecureUrl' && !e.message.includes('pass'), url);
    }
    for (const url of ['https://relay.invalid', 'http://127.0.0.1:8080', 'http://127.9.8.7', 'http://localhost:3000/v1beta', 'http://[::1]:8080']) {
      assert.doesNotThrow(() => assertSecureTransport(url), url);
    }
  });

  for (const style of STYLES) {
    test(`the client refuses before any connection, and never hands the key to a dispatcher (${style})`, async () => {
      const spy = spyDispatcher();
      const c = client(REALISTIC_KEY, style, { dispatcher: spy.dispatcher, maxRetries: 3 }, 'http://relay.invalid');
      const retries: number[] = [];
      let caught: unknown;
      await generateImages({
        client: c,
        model: MODEL,
        request: buildImageRequest({ prompt: 'x', model: MODEL }),
        count: 2,
        targetPath: (ext) => join(dir.path, `x.${ext}`),
        tempDir: dir.path,
        onRetry: (attempt) => retries.push(attempt),
      }).catch((e) => (caught = e));
      assert.ok(caught instanceof GeminiError && caught.kind === 'insecureUrl', inspect(caught));
      assert.match(caught.message, /relay\.invalid/);
      assert.deepEqual(spy.dispatched, [], 'nothing was handed to the HTTP stack');
      assert.deepEqual(retries, [], 'a refusal is not retried');
      assertNoSecret([REALISTIC_KEY], 'the refusal', [errorText(caught), ...log.lines]);
      assert.deepEqual(listFiles(dir.path), []);
    });
  }
});

describe('escaped echoes', () => {
  test(
    'a relay that JSON-escapes "/" (as PHP does) echoing a token that contains one',
    async () => {
      server.enqueue({ kind: 'badKey', message: `API key not valid: ${RESERVED_KEY}`, escapeSlashes: true });
      const c = client(RESERVED_KEY, 'bearer', { maxRetries: 0 });
      let caught: unknown;
      await generateImages({
        client: c,
        model: MODEL,
        request: buildImageRequest({ prompt: 'x', model: MODEL }),
        count: 1,
        targetPath: (ext) => join(dir.path, `x.${ext}`),
        tempDir: dir.path,
      }).catch((e) => (caught = e));
      assert.ok(caught instanceof GeminiError && caught.kind === 'auth', inspect(caught));
      assertNoSecret([RESERVED_KEY], 'an escaped echo', [errorText(caught), ...log.lines]);
    },
  );
});
