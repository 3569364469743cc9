// The bench's own parts that can break silently: the activation harness (stub vscode, undici not
// loaded), the upload byte count of the reference-reuse row, and the statistics.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ActivationResult, ChildMessage } from '../bench/protocol';
import { uploadedImageBytes } from '../bench/referenceReuse';
import { median, table } from '../bench/report';
import type { RecordedRequest } from '../support/fakeGemini';

const ROOT = join(__dirname, '..', '..', '..');

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('the table escapes pipes and has one row per scenario', () => {
  const text = table([{ scenario: 'a | b', ours: '1 ms', target: '<= 2 ms', met: 'yes' }]);
  assert.equal(text.split('\n').length, 3);
  assert.ok(text.includes('a \\| b'));
});

test('image bytes uploaded: upload bodies and inline image data count, the rest does not', () => {
  const request = (path: string, extra: Partial<RecordedRequest>): RecordedRequest => ({ method: 'POST', path, query: {}, headers: {}, bodyBytes: 0, startedAt: 0, aborted: false, ...extra });
  const png = Buffer.alloc(300, 7).toString('base64');
  const requests = [
    request('/upload/v1beta/files', { headers: { 'x-goog-upload-command': 'start' }, bodyBytes: 40 }),
    request('/upload/v1beta/files', { headers: { 'x-goog-upload-command': 'upload, finalize' }, bodyBytes: 1000 }),
    request('/v1beta/models/m:generateContent', { body: { contents: [{ parts: [{ text: 'x' }, { inlineData: { mimeType: 'image/png', data: png } }, { fileData: { fileUri: 'u' } }] }] } }),
  ];
  assert.equal(uploadedImageBytes(requests), 1300);
  assert.equal(uploadedImageBytes(requests.slice(2, 3).map((r) => ({ ...r, body: { contents: [{ parts: [{ fileData: { fileUri: 'u' } }] }] } }))), 0);
});

const bundle = join(ROOT, 'dist', 'extension.js');
test('the activation harness activates dist/extension.js with the stub vscode, without loading undici', { skip: !existsSync(bundle) && 'no dist/extension.js (run the build first)' }, async () => {
  const child = fork(join(ROOT, 'out', 'test', 'bench', 'activation.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const message = await new Promise<ChildMessage<ActivationResult>>((resolve, reject) => {
    child.once('message', (m: ChildMessage<ActivationResult>) => resolve(m));
    child.once('exit', (code) => reject(new Error(`the harness exited (${code}) without an answer: ${stderr}`)));
    child.send({ kind: 'activation', bundle, extensionDir: ROOT });
  });
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  assert.ok(message.ok, message.ok ? '' : message.error);
  assert.equal(message.result.undiciLoaded, false, 'undici must load on the first request, not at activation');
  assert.ok(message.result.commandsRegistered >= 1, 'activate() registered no command');
  assert.equal(message.result.serializersRegistered, 1);
});
