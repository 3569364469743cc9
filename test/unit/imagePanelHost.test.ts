// The panel's host side with a stand-in VS Code. Issue 20 #14: the webview may load the workspace
// and our media, never a folder outside (one reference from the home folder used to open it all),
// and every picture it is sent still shows: a file from outside travels as a data: URI. Issue 20
// #21: showing an open panel for an image (Describe) puts that image's card in focus.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import type { GalleryRecord } from '../../src/shared/gallery';
import type { ToWebview } from '../../src/shared/protocol';

type Uri = { scheme: string; path: string; fsPath: string };
const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { workspace: Record<string, unknown>; window: Record<string, unknown>; Uri: { file(p: string): Uri } };
const posted: ToWebview[] = [];
const reveals: unknown[][] = [];
const RESOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
let onMessage: (m: unknown) => Promise<void> = async () => undefined;
const webview = {
  options: {} as { localResourceRoots?: Uri[] },
  html: '',
  cspSource: RESOURCE,
  asWebviewUri: (u: Uri) => ({ toString: () => `${RESOURCE}${u.path}` }),
  postMessage: async (m: ToWebview) => void posted.push(m),
  onDidReceiveMessage: (l: (m: unknown) => Promise<void>) => ((onMessage = l), { dispose() {} }),
};
stub.window.createWebviewPanel = () => ({ webview, viewColumn: 2, reveal: (...a: unknown[]) => void reveals.push(a), onDidDispose: () => ({ dispose() {} }), dispose() {} });
stub.workspace.asRelativePath = (u: Uri) => u.path;
installVscodeStub(stub);
const { ImagePanel } = require('../../src/panel/imagePanel') as typeof import('../../src/panel/imagePanel');

const base = mkdtempSync(path.join(tmpdir(), 'gis-panel-host-'));
const root = path.join(base, 'workspace');
const home = path.join(base, 'home');
mkdirSync(path.join(root, 'images'), { recursive: true });
mkdirSync(home);
after(() => rmSync(base, { recursive: true, force: true }));
const png = (n: number) => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(n, 7)]);
writeFileSync(path.join(root, 'images', 'cat.png'), png(10));
writeFileSync(path.join(home, 'holiday.png'), png(20));
writeFileSync(path.join(home, 'tray.png'), png(30));
stub.workspace.workspaceFolders = [{ name: 'workspace', index: 0, uri: stub.Uri.file(root) }];

const record = (id: string, extra: Partial<GalleryRecord> = {}): GalleryRecord => ({ id, path: path.join(root, 'images', 'cat.png'), prompt: 'a cat', model: 'm', byteLength: 26, mimeType: 'image/png', createdAt: '2026-12-08T00:00:00Z', texts: [], ...extra });
const records = [record('a', { references: [path.join(home, 'holiday.png')] }), record('b')];
const deps = {
  extensionUri: stub.Uri.file('/ext'),
  gallery: { attach: () => ({ dispose() {} }), all: () => records, prune: async () => records, pending: () => [], get: (id: string) => records.find((r) => r.id === id) },
  references: { all: () => [{ id: 'r1', path: path.join(home, 'tray.png') }], onDidChange: () => ({ dispose() {} }) },
  studioOptions: () => ({}),
  onAction: async () => undefined,
  onGenerate: async () => undefined,
  onAddReference: async () => undefined,
  onRemixDrop: async () => undefined,
  log: { error() {} },
  reportError: async () => undefined,
} as unknown as import('../../src/panel/imagePanel').PanelDeps;

/** VS Code's own rule (resourceLoading.ts): a resource loads when its path starts with a root's path and a separator. */
const loadable = (src: string) => (webview.options.localResourceRoots ?? []).some((r) => src.startsWith(`${RESOURCE}${r.path.endsWith('/') ? r.path : `${r.path}/`}`));

test('#14: the roots are our media and the workspace; pictures from outside arrive as data: URIs of their bytes', async () => {
  ImagePanel.createOrShow(deps);
  await onMessage({ type: 'ready' });
  const roots = (webview.options.localResourceRoots ?? []).map((u) => u.path);
  assert.deepEqual(roots, ['/ext/media', '/ext/dist', root], 'no folder outside the workspace');
  const init = posted.find((m) => m.type === 'init');
  assert.ok(init && init.type === 'init');
  const a = init.images.find((i) => i.id === 'a')!;
  assert.ok(loadable(a.src), a.src);
  const source = a.sources?.[0];
  assert.equal(source?.name, 'holiday.png');
  assert.equal(source?.src, `data:image/png;base64,${readFileSync(path.join(home, 'holiday.png')).toString('base64')}`, 'the source shows, not a broken image');
  assert.equal(init.references[0].src, `data:image/png;base64,${readFileSync(path.join(home, 'tray.png')).toString('base64')}`);
});

test('#21: showing the open panel for an image brings its card into focus', async () => {
  posted.length = 0;
  ImagePanel.createOrShow(deps, 'b');
  await new Promise((r) => setImmediate(r));
  assert.equal(reveals.length, 1);
  const focus = posted.find((m) => m.type === 'imagesAdded');
  assert.ok(focus && focus.type === 'imagesAdded' && focus.focus === 'b', JSON.stringify(posted));
});
