// Issue 20 #15: Generate Image Here / Regenerate (the docs quick fix and the CodeLens) refuse in an
// untrusted workspace, as Generate Missing Images does, and say why; nothing is read or asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { workspace: Record<string, unknown>; window: Record<string, unknown>; Uri: { file(p: string): unknown } };
const warnings: { text: string; buttons: string[] }[] = [];
stub.window.showWarningMessage = async (text: string, ...buttons: string[]) => void warnings.push({ text, buttons });
installVscodeStub(stub);
const { GenerateDocImageCommand } = require('../../src/docsEditor/docsCommands') as typeof import('../../src/docsEditor/docsCommands');

test('untrusted: the single-link generation is refused with the reason and the way to trust', async () => {
  stub.workspace.isTrusted = false;
  let touched = 0;
  let keyAsked = 0;
  const services = { keys: { get: async () => void keyAsked++ } } as unknown as import('../../src/services').Services;
  const command = new GenerateDocImageCommand(services, () => {
    touched++;
    throw new Error('the docs editor must not start');
  });
  await command.execute(stub.Uri.file('/w/docs/guide.md') as never, 'images/hero.png');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].text, /needs a trusted workspace: in an untrusted one, the document would decide which model is paid for/);
  assert.deepEqual(warnings[0].buttons, ['Manage Workspace Trust']);
  assert.equal(touched, 0);
  assert.equal(keyAsked, 0);
});
