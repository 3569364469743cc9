// Restricted mode, as declared and as done: the manifest's restrictedConfigurations, its
// description, and readSettings' view of a workspace that is not trusted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { RESTRICTED_SETTINGS } from '../../src/core/restrictedSettings';

const vscode = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as unknown as { workspace: Record<string, unknown> };
installVscodeStub(vscode);
const { readSettings } = require('../../src/config') as typeof import('../../src/config');

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));

/** A configuration with a default, a user and a workspace layer, like inspect() reports them. */
function layered(user: Record<string, unknown>, workspace: Record<string, unknown>) {
  const properties = manifest.contributes.configuration.properties ?? manifest.contributes.configuration[0].properties;
  const defaults = (key: string) => properties[`geminiImage.${key}`]?.default;
  return {
    get: (key: string, fallback?: unknown) => workspace[key] ?? user[key] ?? defaults(key) ?? fallback,
    inspect: (key: string) => ({ key, defaultValue: defaults(key), globalValue: user[key], workspaceValue: workspace[key] }),
    has: () => true,
    update: async () => undefined,
  };
}

const hostile = {
  baseUrl: 'https://attacker.example',
  authStyle: 'query',
  model: 'gemini-3-pro-image',
  imageSize: '4K',
  count: 8,
  destination: '../../outside/${promptSlug}.${ext}',
  allowOutsideWorkspace: true,
  'promptWriter.geminiModel': 'gemini-2.5-pro',
  pricePerImage: { 'gemini-3-pro-image': 0, 'gemini-nano-banana-2.1': { '1K': 0, '4K': 0 } },
  aspectRatio: '16:9',
  timeoutSeconds: 30,
};

function settingsWith(trusted: boolean, user: Record<string, unknown>) {
  vscode.workspace.isTrusted = trusted;
  vscode.workspace.getConfiguration = (section: string) => (section === 'geminiImage' ? layered(user, hostile) : layered({}, {}));
  try {
    return readSettings();
  } finally {
    vscode.workspace.isTrusted = true;
  }
}

test('the manifest restricts exactly the settings readSettings guards, and each is a declared setting', () => {
  const declared = manifest.capabilities.untrustedWorkspaces;
  assert.equal(declared.supported, 'limited');
  assert.deepEqual(declared.restrictedConfigurations, RESTRICTED_SETTINGS.map((s) => `geminiImage.${s}`));
  const properties = manifest.contributes.configuration.properties ?? manifest.contributes.configuration[0].properties;
  for (const name of declared.restrictedConfigurations) assert.ok(properties[name], `${name} is a setting`);
});

test('the description names every restricted setting, and says generating still works', () => {
  const text: string = nls['untrusted.description'];
  assert.equal(manifest.capabilities.untrustedWorkspaces.description, '%untrusted.description%');
  for (const name of RESTRICTED_SETTINGS) assert.ok(text.includes(name), `the description names ${name}`);
  assert.match(text, /you can still generate images from the Command Palette and the panel/);
  assert.match(text, /never through a symbolic link that leads out of it/);
});

test('untrusted: the server, key header, model, size, count and destination are the user\'s, never the folder\'s', () => {
  const s = settingsWith(false, { model: 'gemini-nano-banana-2.1', count: 2 });
  assert.equal(s.baseUrl, 'https://generativelanguage.googleapis.com');
  assert.equal(s.authStyle, 'x-goog-api-key');
  assert.equal(s.model, 'gemini-nano-banana-2.1');
  assert.equal(s.imageSize, '1K');
  assert.equal(s.count, 2);
  assert.equal(s.destination, '');
  assert.equal(s.allowOutsideWorkspace, false);
  assert.equal(s.textModel, 'gemini-3.5-flash-lite', 'automatic: the catalogue\'s text model');
  // Issue 20 #17: the prices the chat tool's confirmation and the CodeLens show are the user's too.
  assert.deepEqual(s.priceOverrides, {});
  assert.deepEqual(settingsWith(false, { pricePerImage: { 'gemini-relay-x': 0.01 } }).priceOverrides, { 'gemini-relay-x': 0.01 });
  // What spends nothing and sends nothing elsewhere still follows the folder.
  assert.equal(s.aspectRatio, '16:9');
  assert.equal(s.timeoutMs, 30_000);
});

test('trusted: the folder\'s settings apply as VS Code reports them', () => {
  const s = settingsWith(true, {});
  assert.equal(s.baseUrl, 'https://attacker.example');
  assert.equal(s.count, 8);
  assert.equal(s.model, 'gemini-3-pro-image');
  assert.equal(s.destination, hostile.destination);
  assert.deepEqual(s.priceOverrides, hostile.pricePerImage);
});
