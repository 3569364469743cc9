// Issue 20 #13: the chat tools judge a path by where it really leads, as the commands do. A folder
// in the workspace that is a symbolic link out of it is refused before anything is read, written
// or confirmed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { workspace: Record<string, unknown>; Uri: { file(p: string): unknown } };
(stub as Record<string, unknown>).MarkdownString = class {
  value = '';
  appendMarkdown(t: string) {
    this.value += t;
    return this;
  }
  appendText(t: string) {
    this.value += t;
    return this;
  }
};
installVscodeStub(stub);
const { GenerateImageTool } = require('../../src/tools/generateImageTool') as typeof import('../../src/tools/generateImageTool');
const { DescribeImageTool } = require('../../src/tools/describeImageTool') as typeof import('../../src/tools/describeImageTool');

const base = mkdtempSync(path.join(tmpdir(), 'gis-tool-links-'));
const root = path.join(base, 'workspace');
const outside = path.join(base, 'outside');
mkdirSync(path.join(root, 'docs'), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(outside, 'secret.png'), 'not the workspace\'s');
symlinkSync(outside, path.join(root, 'images'));
stub.workspace.workspaceFolders = [{ name: 'workspace', index: 0, uri: stub.Uri.file(root) }];
after(() => rmSync(base, { recursive: true, force: true }));

const errors: string[] = [];
const memento = { get: (_k: string, fallback?: unknown) => fallback, update: async () => undefined, keys: () => [] };
const services = {
  globalState: memento,
  workspaceState: memento,
  log: { error: (m: string) => errors.push(m), warn() {}, info() {}, addSecret() {} },
  keys: { get: async () => 'AIzaToolKey-123' },
  gallery: { all: () => [] },
} as unknown as import('../../src/services').Services;
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

test('generate: a path through a link out of the workspace is refused in the confirmation and in invoke', async () => {
  const tool = new GenerateImageTool(services);
  const input = { prompt: 'a lighthouse', file_path: 'images/lighthouse.png' };
  const prepared = await tool.prepareInvocation({ input } as never);
  assert.match(String(prepared?.invocationMessage), /images\/lighthouse\.png is outside the workspace/);
  assert.equal(prepared?.confirmationMessages, undefined, 'nothing to confirm');
  await assert.rejects(tool.invoke({ input } as never, token as never), /outside the workspace/);
  assert.deepEqual(readdirSync(outside), ['secret.png'], 'nothing written outside');
  // A real folder inside is still fine.
  const fine = await tool.prepareInvocation({ input: { ...input, file_path: 'docs/lighthouse.png' } } as never);
  assert.ok(fine?.confirmationMessages, String(fine?.invocationMessage));
});

test('describe: an image reached through a link out of the workspace is not read', async () => {
  const tool = new DescribeImageTool(services);
  const input = { file_path: 'images/secret.png' };
  const prepared = await tool.prepareInvocation({ input } as never);
  assert.match(String(prepared?.invocationMessage), /outside the workspace/);
  assert.equal(prepared?.confirmationMessages, undefined);
  await assert.rejects(tool.invoke({ input } as never, token as never), /outside the workspace/);
});
