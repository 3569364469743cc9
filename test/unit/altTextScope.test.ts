// Issue 20 #16: Generate Alt Text sends only images inside the workspace, judged by the real path:
// a link with a `file:` URI, `../../`, or through a folder linked out of the workspace is refused
// before the key is even asked for; a link inside goes on.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { workspace: Record<string, unknown>; window: Record<string, unknown>; Uri: { file(p: string): { fsPath: string } } };
const shown: string[] = [];
stub.window.showInformationMessage = async (m: string) => void shown.push(m);
stub.window.showErrorMessage = async (m: string) => void shown.push(m);
installVscodeStub(stub);
const { GenerateAltTextCommand } = require('../../src/commands/altText') as typeof import('../../src/commands/altText');

const base = mkdtempSync(path.join(tmpdir(), 'gis-alt-scope-'));
const root = path.join(base, 'workspace');
const outside = path.join(base, 'outside');
mkdirSync(path.join(root, 'docs', 'images'), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(outside, 'private.png'), 'elsewhere');
writeFileSync(path.join(root, 'docs', 'images', 'ok.png'), 'inside');
symlinkSync(outside, path.join(root, 'docs', 'linked'));
stub.workspace.workspaceFolders = [{ name: 'workspace', index: 0, uri: stub.Uri.file(root) }];
after(() => rmSync(base, { recursive: true, force: true }));

let keyAsked = 0;
const services = { keys: { get: async () => void keyAsked++ }, log: { error() {}, warn() {}, info() {} }, extension: { id: 'x.y' } } as unknown as import('../../src/services').Services;

function editorOn(line: string) {
  const docPath = path.join(root, 'docs', 'guide.md');
  stub.window.activeTextEditor = {
    document: { languageId: 'markdown', fileName: docPath, uri: stub.Uri.file(docPath), version: 1, lineAt: () => ({ text: line }), offsetAt: () => 3, getText: () => line },
    selection: { active: { line: 0, character: 3 } },
  };
}

async function run(line: string): Promise<string | undefined> {
  shown.length = 0;
  keyAsked = 0;
  editorOn(line);
  await new GenerateAltTextCommand(services).execute();
  return shown[0];
}

test('a file: URI, ../../ and a folder linked out of the workspace are refused, nothing is read or sent', async () => {
  for (const target of [pathToFileURL(path.join(outside, 'private.png')).href, '../../outside/private.png', 'linked/private.png']) {
    const said = await run(`![x](${target})`);
    assert.match(String(said), /^Only images in the workspace can be described/, target);
    assert.equal(keyAsked, 0, `${target}: the key was not even asked for`);
  }
});

test('an image inside the workspace goes on to the key', async () => {
  const said = await run('![x](images/ok.png)');
  assert.equal(keyAsked, 1);
  assert.match(String(said), /No Gemini API key/);
});
