// Refine (multi-turn editing) against the stand-in server, through a recording relay so the test
// sees the very bytes the server answered: the earlier model turns must come back exactly as
// received (the server checks each thoughtSignature against the part's content, byte for byte).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GeminiClient } from '../../src/gemini/client';
import {
  addInstruction,
  addReply,
  ConversationError,
  nextTurnRequest,
  parseConversation,
  startConversation,
  type Conversation,
  type StoredImage,
} from '../../src/gemini/conversation';
import { GeminiError } from '../../src/gemini/errors';
import { closeDispatchers } from '../../src/gemini/http';
import { buildImageRequest } from '../../src/gemini/request';
import { memorySink, type ParsedReply } from '../../src/gemini/responseParser';
import type { Endpoint, GenerateContentRequest } from '../../src/gemini/types';
import { referencePart, withFreshReferences } from '../../src/references/referenceParts';
import { memoryStore, UploadCache } from '../../src/references/uploadCache';
import { makeImage } from '../support/fakeGemini/images';
import { startFakeGemini, type Behaviour, type FakeGemini, type FakeGeminiOptions } from '../support/fakeGemini';
import { startRelay, type RecordingRelay } from '../support/recordingRelay';
import { captureLog, tempDir } from '../support/tempWorkspace';

const KEY = 'refine-key-Hp55';
const MODEL = 'gemini-3-pro-image';

const closers: (() => Promise<void>)[] = [];
let server: FakeGemini;
let relay: RecordingRelay;
let dir: { path: string; cleanup(): void };
let log: ReturnType<typeof captureLog>;

async function startPair(options: FakeGeminiOptions = {}) {
  const s = await startFakeGemini({ apiKeys: [KEY, 'other-key-Ww00'], ...options });
  const r = await startRelay(s.url);
  closers.push(() => r.close(), () => s.close());
  return { server: s, relay: r };
}

before(async () => {
  ({ server, relay } = await startPair());
});
after(async () => {
  for (const close of closers) await close();
  await closeDispatchers();
});
beforeEach(() => {
  server.reset();
  relay.answers.length = 0;
  dir?.cleanup();
  dir = tempDir('gis-refine-');
  log = captureLog();
});

function endpointFor(r: RecordingRelay = relay, apiKey = KEY): Endpoint {
  return { baseUrl: r.url, apiKey, authStyle: 'x-goog-api-key' };
}

function clientFor(endpoint: Endpoint) {
  return new GeminiClient({ endpoint, maxRetries: 0, timeoutMs: 10_000, log });
}

let saved = 0;
/** Saves a reply's images the way the extension would: finals beside each other, drafts apart. */
function store(reply: ParsedReply<Buffer>): { images: StoredImage[]; thoughtImages: StoredImage[] } {
  const save = (folder: string, bytes: Buffer, mimeType: string): StoredImage => {
    mkdirSync(join(dir.path, folder), { recursive: true });
    const path = join(dir.path, folder, `image-${++saved}.png`);
    writeFileSync(path, bytes);
    return { path, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  return {
    images: reply.images.map((i) => save('images', i.handle, i.mimeType)),
    thoughtImages: reply.thoughtImages.map((i) => save('.drafts', i.handle, i.mimeType)),
  };
}

const loadImage = async (path: string) => readFileSync(path);

async function send(endpoint: Endpoint, request: GenerateContentRequest, model = MODEL) {
  return clientFor(endpoint).generateContent(model, request, memorySink(), { parse: { thoughtImages: 'keep' } });
}

async function firstTurn(endpoint = endpointFor(), behaviour: Behaviour = { kind: 'image', thoughtImages: 2, text: 'Here is your lighthouse.' }) {
  server.enqueue(behaviour);
  const prompt = 'a lighthouse at dawn';
  const reply = await send(endpoint, buildImageRequest({ prompt, model: MODEL, aspectRatio: '16:9', imageSize: '1K' }));
  const { images, thoughtImages } = store(reply);
  const start = startConversation({ endpoint, model: MODEL, prompt, imageConfig: { aspectRatio: '16:9', imageSize: '1K' } });
  const conversation = addReply(start, reply.modelTurn, images, thoughtImages);
  return { conversation, reply };
}

async function refine(conversation: Conversation, instruction: string, endpoint = endpointFor(), behaviour: Behaviour = { kind: 'image', thoughtImages: 1 }) {
  const request = await nextTurnRequest(conversation, instruction, { endpoint, model: MODEL, loadImage });
  server.enqueue(behaviour);
  const reply = await send(endpoint, request);
  const { images, thoughtImages } = store(reply);
  return { request, reply, conversation: addReply(addInstruction(conversation, instruction), reply.modelTurn, images, thoughtImages) };
}

function generateBodies(s: FakeGemini = server) {
  return s.requests.filter((r) => r.path.endsWith(':generateContent')).map((r) => r.body as GenerateContentRequest);
}

/** Candidate 0's content exactly as the server sent it (parsed from the relay's copy of the body). */
function sentContent(answerIndex: number, r: RecordingRelay = relay): unknown {
  const answers = r.answers.filter((a) => a.path.endsWith(':generateContent'));
  return JSON.parse(answers[answerIndex].body).candidates[0].content;
}

async function rejectsWith<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, check: (e: T) => void): Promise<void> {
  let caught: unknown;
  await promise.catch((e) => (caught = e));
  assert.ok(caught instanceof type, `expected ${type.name}, got ${caught}`);
  check(caught as T);
}

describe('refine: earlier turns sent back exactly as received', () => {
  test('generate, then refine twice: the server accepts, and every earlier model turn is the reply as sent', async () => {
    const first = await firstTurn();
    assert.equal(first.reply.thoughtImages.length, 2);
    const second = await refine(first.conversation, 'make the sky orange');
    // Stored as JSON between refines (globalState, webview state), and read back.
    const revived = parseConversation(JSON.parse(JSON.stringify(second.conversation)));
    assert.ok(revived);
    const third = await refine(revived, 'add a seagull');
    assert.equal(third.reply.images.length, 1);

    const bodies = generateBodies();
    assert.equal(bodies.length, 3);
    assert.deepEqual(server.requests.filter((r) => r.path.endsWith(':generateContent')).map((r) => r.status), [200, 200, 200]);
    const [, two, three] = bodies;
    assert.deepEqual(two.contents[0], { role: 'user', parts: [{ text: 'a lighthouse at dawn' }] });
    assert.deepEqual(two.contents[1], sentContent(0), 'the first reply, every part and signature, as the server sent it');
    assert.deepEqual(two.contents[2], { role: 'user', parts: [{ text: 'make the sky orange' }] });
    assert.deepEqual(two.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9', imageSize: '1K' } });
    assert.equal(three.contents.length, 5);
    assert.deepEqual(three.contents[1], sentContent(0));
    assert.deepEqual(three.contents[3], sentContent(1));
    assert.deepEqual(three.contents[4], { role: 'user', parts: [{ text: 'add a seagull' }] });

    // The request we built is what travelled (nothing added or lost on the wire).
    assert.deepEqual(third.request, three);
    // Drafts went back too: 2 in the first reply, each with its signature.
    const parts = (sentContent(0) as { parts: { thought?: boolean; thoughtSignature?: string }[] }).parts;
    assert.equal(parts.filter((p) => p.thought && p.thoughtSignature).length, 2);
    assert.ok(log.lines.every((l) => !l.includes(KEY)));
  });

  test('a tampered signature gets the server\'s 400 (the check is real); a dropped draft too', async () => {
    const { conversation } = await firstTurn();
    const tampered = structuredClone(conversation);
    const parts = (tampered.turns[1] as { content: { parts: { thoughtSignature?: string }[] } }).content.parts;
    const signed = parts.find((p) => p.thoughtSignature)!;
    const sig = signed.thoughtSignature!;
    signed.thoughtSignature = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const request = await nextTurnRequest(tampered, 'make the sky orange', { endpoint: endpointFor(), model: MODEL, loadImage });
    await rejectsWith(send(endpointFor(), request), GeminiError, (e) => {
      assert.equal(e.kind, 'badRequest');
      assert.match(e.message, /Corrupted thought signature/);
    });

    const dropped = structuredClone(conversation);
    const content = (dropped.turns[1] as { content: { parts: { thought?: boolean }[] } }).content;
    content.parts = content.parts.filter((p, i) => !(p.thought && i === content.parts.findIndex((q) => q.thought)));
    const partial = await nextTurnRequest(dropped, 'make the sky orange', { endpoint: endpointFor(), model: MODEL, loadImage });
    await rejectsWith(send(endpointFor(), partial), GeminiError, (e) => assert.match(e.message, /lacks parts/));

    // The untouched conversation still goes through.
    const ok = await nextTurnRequest(conversation, 'make the sky orange', { endpoint: endpointFor(), model: MODEL, loadImage });
    server.enqueue({ kind: 'image' });
    assert.equal((await send(endpointFor(), ok)).images.length, 1);
  });

  test('another base URL, key or model is refused before anything is sent', async () => {
    const { conversation } = await firstTurn();
    const before = server.requests.length;
    const input = { endpoint: endpointFor(), model: MODEL, loadImage };
    await rejectsWith(nextTurnRequest(conversation, 'x', { ...input, model: 'gemini-3.1-flash-image' }), ConversationError, (e) => assert.equal(e.reason, 'modelChanged'));
    await rejectsWith(nextTurnRequest(conversation, 'x', { ...input, endpoint: endpointFor(relay, 'other-key-Ww00') }), ConversationError, (e) => {
      assert.equal(e.reason, 'keyChanged');
      assert.ok(!e.message.includes(KEY) && !e.message.includes('other-key-Ww00'));
    });
    await rejectsWith(nextTurnRequest(conversation, 'x', { ...input, endpoint: { ...endpointFor(), baseUrl: server.url } }), ConversationError, (e) => assert.equal(e.reason, 'baseUrlChanged'));
    // Same base URL written differently, another auth style: the same session.
    await nextTurnRequest(conversation, 'x', { ...input, endpoint: { baseUrl: `${relay.url}/v1beta/`, apiKey: KEY, authStyle: 'bearer' } });
    assert.equal(server.requests.length, before);
    assert.ok(!JSON.stringify(conversation).includes(KEY), 'the stored conversation never holds the key');
  });

  test('a saved image edited since, or gone, is a clear error rather than the server\'s 400', async () => {
    const { conversation } = await firstTurn();
    const model = conversation.turns[1] as { images: StoredImage[]; thoughtImages: StoredImage[] };
    const input = { endpoint: endpointFor(), model: MODEL, loadImage };
    writeFileSync(model.images[0].path, Buffer.concat([readFileSync(model.images[0].path), Buffer.from([0])]));
    await rejectsWith(nextTurnRequest(conversation, 'x', input), ConversationError, (e) => {
      assert.equal(e.reason, 'imageChanged');
      assert.equal(e.path, model.images[0].path);
    });
    const gone = structuredClone(conversation);
    (gone.turns[1] as { thoughtImages: StoredImage[] }).thoughtImages[0].path = join(dir.path, 'nope.png');
    await rejectsWith(nextTurnRequest(gone, 'x', input), ConversationError, (e) => assert.equal(e.reason, 'imageMissing'));
  });

  test('a reply parsed with thoughtImages "discard" cannot start a conversation', async () => {
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const endpoint = endpointFor();
    const reply = await clientFor(endpoint).generateContent(MODEL, buildImageRequest({ prompt: 'p', model: MODEL }), memorySink(), { parse: { thoughtImages: 'discard' } });
    const { images } = store(reply);
    assert.throws(() => addReply(startConversation({ endpoint, model: MODEL, prompt: 'p' }), reply.modelTurn, images, []), (e: unknown) => e instanceof ConversationError && e.reason === 'draftsDiscarded');
  });

  test('relay shapes: snake_case names and escaped slashes go back as received', async () => {
    const pair = await startPair({ snakeCase: true });
    const endpoint = endpointFor(pair.relay);
    pair.server.enqueue({ kind: 'image', thoughtImages: 1, escapeSlashes: true });
    const prompt = 'a lighthouse at dawn';
    const reply = await send(endpoint, buildImageRequest({ prompt, model: MODEL }));
    const { images, thoughtImages } = store(reply);
    const conversation = addReply(startConversation({ endpoint, model: MODEL, prompt }), reply.modelTurn, images, thoughtImages);
    const request = await nextTurnRequest(conversation, 'make the sky orange', { endpoint, model: MODEL, loadImage });
    pair.server.enqueue({ kind: 'image' });
    await send(endpoint, request);
    const [, two] = generateBodies(pair.server);
    assert.ok(JSON.stringify(two.contents[1]).includes('"inline_data"'));
    assert.deepEqual(two.contents[1], sentContent(0, pair.relay));
  });

  test('an image inside a text part as a data URL comes back as that very text', async () => {
    const { conversation } = await firstTurn(endpointFor(), { kind: 'image', dataUrlInText: true, text: 'Here it is:' });
    const request = await nextTurnRequest(conversation, 'make the sky orange', { endpoint: endpointFor(), model: MODEL, loadImage });
    server.enqueue({ kind: 'image' });
    await send(endpointFor(), request);
    assert.deepEqual(generateBodies()[1].contents[1], sentContent(0));
  });

  test('reference images of earlier user turns go through the upload cache, and a 403 on an expired one re-uploads', async () => {
    const endpoint = endpointFor();
    const cache = new UploadCache(memoryStore());
    const refBytes = makeImage({ mimeType: 'image/png', width: 80, height: 60, seed: 42 }).bytes;
    const refPath = join(dir.path, 'ref.png');
    writeFileSync(refPath, refBytes);
    const ref: StoredImage = { path: refPath, mimeType: 'image/png', sha256: createHash('sha256').update(refBytes).digest('hex') };
    const viaCache = (image: StoredImage, bytes: Uint8Array) =>
      referencePart({ bytes, mimeType: image.mimeType, name: 'ref.png' }, { client: clientFor(endpoint), cache, mode: 'files' });

    const first = await viaCache(ref, refBytes);
    server.enqueue({ kind: 'image', thoughtImages: 1 });
    const reply = await send(endpoint, buildImageRequest({ prompt: 'make it blue', model: MODEL, references: [first] }));
    const { images, thoughtImages } = store(reply);
    const conversation = addReply(startConversation({ endpoint, model: MODEL, prompt: 'make it blue', references: [ref] }), reply.modelTurn, images, thoughtImages);

    server.expire([...server.files.keys()][0]);
    server.enqueue({ kind: 'image' });
    const second = await withFreshReferences(
      cache,
      () => nextTurnRequest(conversation, 'now green', { endpoint, model: MODEL, loadImage, referencePart: viaCache }),
      (request) => send(endpoint, request),
    );
    assert.equal(second.images.length, 1);
    const statuses = server.requests.filter((r) => r.path.endsWith(':generateContent')).map((r) => r.status);
    assert.deepEqual(statuses, [200, 403, 200]);
    const last = generateBodies().at(-1)!;
    const uri = last.contents[0].parts[1].fileData?.fileUri;
    assert.ok(uri && uri !== first.fileData?.fileUri, 'the re-uploaded file is sent');
    assert.deepEqual(last.contents[1], sentContent(0));
  });
});
