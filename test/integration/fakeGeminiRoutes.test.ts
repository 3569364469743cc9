// The stand-in's other routes and options: the models list, snake_case answers, what it records,
// the control routes another process drives it with, close(), and the CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeGemini } from '../support/fakeGemini';
import { assertGoogleError, call, generate, IMAGE_MODEL, imageBytes, imageParts, request, server, useFakeGemini, type Json } from '../support/fakeGeminiCalls';

useFakeGemini();

describe('other routes and options', () => {
  test('GET /v1beta/models lists models with their methods, page by page', async () => {
    const all = await call(server, '/v1beta/models');
    assert.equal(all.status, 200);
    const names: string[] = all.json.models.map((m: Json) => m.name);
    assert.ok(names.includes('models/gemini-nano-banana-2.1'));
    assert.ok(names.includes('models/gemini-3-pro-image'));
    const embed = all.json.models.find((m: Json) => m.name === 'models/gemini-embedding-001');
    assert.deepEqual(embed.supportedGenerationMethods, ['embedContent', 'countTextTokens', 'countTokens']);
    const page = await call(server, '/v1beta/models?pageSize=2');
    assert.equal(page.json.models.length, 2);
    const next = await call(server, `/v1beta/models?pageSize=2&pageToken=${page.json.nextPageToken}`);
    assert.equal(next.json.models[0].name, names[2]);
    assertGoogleError(await call(server, '/v1beta/models', { key: null }), 403, 'PERMISSION_DENIED');
  });

  test('snakeCase answers inline_data / mime_type like some relays', async () => {
    const relay = await startFakeGemini({ snakeCase: true });
    try {
      const answer = await generate(relay);
      assert.equal(answer.status, 200);
      const part = answer.json.candidates[0].content.parts[1];
      assert.equal(part.inline_data.mime_type, 'image/png');
      assert.ok(Buffer.from(part.inline_data.data, 'base64').equals(relay.sentImages[0]));
      assert.equal(typeof part.thought_signature, 'string');
      assert.equal(answer.json.candidates[0].finish_reason, 'STOP');
      assert.ok(answer.json.usage_metadata.total_token_count > 0);
      assert.doesNotMatch(answer.text, /"inlineData"|"mimeType"|"finishReason"/);
    } finally {
      await relay.close();
    }
  });

  test('requests are recorded with what a test needs', async () => {
    await generate(server, request(), IMAGE_MODEL, { headers: { 'x-custom': 'yes' } });
    await call(server, '/__control/requests');
    assert.equal(server.requests.length, 1, 'control routes are not recorded');
    const [r] = server.requests;
    assert.equal(r.method, 'POST');
    assert.equal(r.path, `/v1beta/models/${IMAGE_MODEL}:generateContent`);
    assert.equal(r.headers['x-custom'], 'yes');
    assert.deepEqual(r.body, request());
    assert.equal(r.bodyBytes, Buffer.byteLength(JSON.stringify(request())));
    assert.equal(r.status, 200);
    assert.equal(r.model, IMAGE_MODEL);
    assert.equal(r.aborted, false);
    assert.ok(r.endedAt !== undefined && r.endedAt >= r.startedAt);
  });

  test('control routes drive the server from another process', async () => {
    const enqueue = await call(server, '/__control/enqueue', { key: null, body: [{ kind: 'unavailable' }, { kind: 'image', count: 2 }] });
    assert.equal(enqueue.status, 200);
    assert.equal((await generate(server)).status, 503);
    const two = await generate(server);
    assert.equal(imageParts(two).length, 2);
    assert.equal((await call(server, '/__control/default', { key: null, body: { kind: 'textOnly' } })).status, 200);
    assert.equal(imageParts(await generate(server)).length, 0);
    const sent = (await call(server, '/__control/sent-images', { key: null })).json as unknown as Json[];
    assert.equal(sent.length, 2);
    assert.equal(sent[0].thought, false);
    assert.equal(sent[1].sha256, createHash('sha256').update(imageBytes(imageParts(two)[1])).digest('hex'));
    assert.equal(sent[1].size, imageBytes(imageParts(two)[1]).length);
    const recorded = (await call(server, '/__control/requests', { key: null })).json as unknown as Json[];
    assert.equal(recorded.length, 3);
    assert.equal(recorded[1].status, 200);
    const unknown = await call(server, '/__control/enqueue', { key: null, body: { kind: 'explode' } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error, /unknown behaviour kind/);
    assert.equal((await call(server, '/__control/reset', { key: null, method: 'POST' })).status, 200);
    assert.equal(server.requests.length, 0);
    assert.equal(imageParts(await generate(server)).length, 1, 'reset restores the image default');
  });

  test('sent-images lists drafts only when asked; lean servers keep no bytes or bodies', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    await generate(server);
    assert.equal(((await call(server, '/__control/sent-images', { key: null })).json as unknown as Json[]).length, 1);
    const all = (await call(server, '/__control/sent-images?all=1', { key: null })).json as unknown as Json[];
    assert.deepEqual(all.map((s) => s.thought), [true, false]);
    const lean = await startFakeGemini({ recordBodies: false, keepSentImages: false });
    try {
      assert.equal((await generate(lean)).status, 200);
      assert.equal(lean.sentImages.length, 0);
      assert.equal(lean.requests[0].body, undefined);
      assert.ok(lean.requests[0].bodyBytes > 0);
      const listed = (await call(lean, '/__control/sent-images', { key: null })).json as unknown as Json[];
      assert.equal(listed.length, 1);
      assert.ok(listed[0].size > 1000);
    } finally {
      await lean.close();
    }
  });

  test('close() ends hanging requests and stray sockets promptly', async () => {
    const other = await startFakeGemini();
    other.enqueue({ kind: 'hang' });
    const pending = generate(other);
    while (other.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await other.close();
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 1000);
    assert.equal(other.requests[0].aborted, false, 'closed by the server, not aborted by the client');
    await assert.rejects(fetch(`${other.url}/v1beta/models`));
  });

  test('the CLI prints its URL, serves, and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(__dirname, '../support/fakeGemini/cli.js'), '--port', '0', '--key', 'cli-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const match = /^FAKE_GEMINI_URL=(http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line);
      assert.ok(match, line);
      const res = await fetch(`${match[1]}/v1beta/models`, { headers: { 'x-goog-api-key': 'cli-key' } });
      assert.equal(res.status, 200);
      await res.text();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
