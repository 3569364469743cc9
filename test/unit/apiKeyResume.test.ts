// Setting a key from the "no key" notification resumes what asked for it (issue 25): the key set
// there is returned to the waiting generation, not dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as { window: Record<string, unknown>; commands: Record<string, unknown> };
installVscodeStub(stub);
const { apiKeyOrAsk } = require('../../src/commands/editorPorts') as typeof import('../../src/commands/editorPorts');

test('Set API Key from the notification: the generation goes on with the new key', async () => {
  let stored: string | undefined;
  const secrets: string[] = [];
  const ran: string[] = [];
  stub.window.showErrorMessage = async () => 'Set API Key';
  stub.commands.executeCommand = async (id: string) => {
    ran.push(id);
    stored = 'the-new-key';
  };
  const services = { keys: { get: async () => stored }, log: { addSecret: (s: string) => void secrets.push(s) } } as never;
  assert.equal(await apiKeyOrAsk(services), 'the-new-key');
  assert.deepEqual(ran, ['geminiImage.setApiKey']);
  assert.deepEqual(secrets, ['the-new-key'], 'the key is redacted from the log from now on');
  stored = undefined;
  stub.commands.executeCommand = async () => undefined;
  assert.equal(await apiKeyOrAsk(services), undefined, 'the box dismissed: nothing goes on');
});
