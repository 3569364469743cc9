// Work nobody awaits (a panel message, a timer's check of a document, the offer to switch models,
// batch jobs followed in the background) says when it fails, and never leaves an unhandled
// rejection; following batch jobs leaves nothing behind once done.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { tempDir } from '../support/tempWorkspace';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as Record<string, Record<string, unknown>>;
installVscodeStub(stub);
// Loaded after the stub is in place.
const { ImagePanel } = require('../../src/panel/imagePanel') as typeof import('../../src/panel/imagePanel');
const { Gallery } = require('../../src/gallery/gallery') as typeof import('../../src/gallery/gallery');
const { GalleryStore } = require('../../src/gallery/galleryStore') as typeof import('../../src/gallery/galleryStore');
const { offerReplacement } = require('../../src/commands/modelChoice') as typeof import('../../src/commands/modelChoice');
const { DocImageDiagnostics } = require('../../src/docsEditor/docDiagnostics') as typeof import('../../src/docsEditor/docDiagnostics');
const { BatchJobs } = require('../../src/docsEditor/batchJobs') as typeof import('../../src/docsEditor/batchJobs');

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
process.on('unhandledRejection', onUnhandled);
after(() => void process.off('unhandledRejection', onUnhandled));
afterEach(() => assert.deepEqual(unhandled.splice(0), [], 'no unhandled rejection'));

const settle = () => new Promise((r) => setTimeout(r, 50));
const memento = () => {
  const values = new Map<string, unknown>();
  return { get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()] } as never;
};
const disposable = () => ({ dispose() {} });

test('the panel: a failure whose report fails too is logged, and Generate is given back', async () => {
  let onMessage: ((m: unknown) => Promise<void>) | undefined;
  const posted: unknown[] = [];
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-webview:',
    asWebviewUri: (u: unknown) => u,
    onDidReceiveMessage: (h: (m: unknown) => Promise<void>) => ((onMessage = h), disposable()),
    postMessage: async (m: unknown) => void posted.push(m),
  };
  const panel = { webview, onDidDispose: disposable, dispose() {}, reveal() {}, viewColumn: 1 };
  const logged: string[] = [];
  const view = ImagePanel.revive(panel as never, {
    extensionUri: (stub.Uri as unknown as { file(p: string): unknown }).file('/ext') as never,
    gallery: new Gallery(new GalleryStore(memento()), () => undefined),
    references: { all: () => [], onDidChange: disposable } as never,
    studioOptions: () => ({}) as never,
    onAction: async () => undefined,
    onGenerate: async () => Promise.reject(new Error('the generation failed')),
    onAddReference: async () => undefined,
    onRemixDrop: async () => undefined,
    onForgetMissing: async () => undefined,
    log: { error: (m: string) => void logged.push(m) },
    reportError: async () => Promise.reject(new Error('the report failed')),
  });
  try {
    await onMessage!({ type: 'ready' });
    posted.length = 0;
    await onMessage!({ type: 'generate', prompt: 'a fox', choices: { aspectRatio: '1:1', imageSize: '1K', count: 1, styleId: 'none' } });
    assert.deepEqual(posted, [{ type: 'generateDone' }]);
    assert.ok(logged.some((l) => /the report failed/.test(l)), logged.join('\n'));
    // A Generate the host refuses (too long a prompt) gives the button back too.
    posted.length = 0;
    await onMessage!({ type: 'generate', prompt: 'x'.repeat(30_000), choices: { aspectRatio: '1:1', imageSize: '1K', count: 1, styleId: 'none' } });
    assert.deepEqual(posted, [{ type: 'generateDone' }]);
  } finally {
    view.dispose();
  }
});

test('the offer to switch models: a switch that fails is said, not lost', async () => {
  const window = stub.window;
  const commands = stub.commands;
  const shown: string[] = [];
  const logged: string[] = [];
  window.showWarningMessage = async () => 'Select Model';
  window.showErrorMessage = async (m: string) => void shown.push(m);
  commands.executeCommand = async () => Promise.reject(new Error('settings are read-only'));
  const services = { globalState: memento(), log: { error: (m: string) => void logged.push(m), warn: (m: string) => void logged.push(m) } };
  const model = await offerReplacement(services as never, { model: 'relay-image-7', modelIsAutomatic: false, baseUrl: 'https://relay.example/v1beta' } as never, { retirementTime: '2099-01-01T00:00:00Z' } as never);
  assert.equal(model, 'relay-image-7', 'the model still answers: used meanwhile');
  await settle();
  assert.deepEqual(shown, ['Could not switch from relay-image-7: settings are read-only']);
  assert.ok(logged.some((l) => /settings are read-only/.test(l)));
});

test('a document check run by a timer that fails is logged', async () => {
  const warned: string[] = [];
  const folder = { uri: { fsPath: '/w' } };
  stub.workspace.getWorkspaceFolder = () => folder;
  const diagnostics = new DocImageDiagnostics({ warn: (m) => void warned.push(m) });
  const document = {
    languageId: 'markdown',
    uri: { scheme: 'file', fsPath: '/w/a.md', toString: () => 'file:///w/a.md' },
    isClosed: false,
    version: 1,
    getText: () => {
      throw Object.assign(new Error('EACCES: permission denied, realpath'), { code: 'EACCES' });
    },
  };
  try {
    diagnostics.schedule(document as never);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(warned.length, 1);
    assert.match(warned[0], /a\.md failed: EACCES/);
  } finally {
    diagnostics.dispose();
  }
});

test('batch jobs followed in the background: a corrupt jobs.json is reported, and no run leaves a disposable behind', async () => {
  const dir = tempDir();
  const logged: string[] = [];
  const services = { workspaceState: memento(), globalState: memento(), log: { error: (m: string) => void logged.push(m), warn: () => undefined, info: () => undefined }, extension: { version: '0' }, draftsDir: join(dir.path, 'refine') };
  const batches = new BatchJobs(services as never, join(dir.path, 'storage'), () => undefined);
  const shown: string[] = [];
  stub.window.showErrorMessage = async (m: string) => void shown.push(m);
  const registered = () => (batches as unknown as { registered: unknown[] }).registered.length;
  try {
    const root = join(dir.path, 'docs');
    mkdirSync(root);
    await batches.run('key', root, []);
    const before = registered();
    for (let i = 0; i < 5; i++) await batches.run('key', root, []);
    assert.equal(registered(), before);
    // The jobs file is corrupt: run() resolves (its callers do not await it) and says so.
    const store = batches.store(root);
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(join(store.dir, 'jobs.json'), '{ not json');
    assert.deepEqual(shown, [], 'the runs before went well');
    await batches.run('key', root, [], true);
    assert.equal(shown.length, 1, logged.join('\n'));
  } finally {
    batches.dispose();
    dir.cleanup();
  }
});
