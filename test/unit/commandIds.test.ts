// COMMAND_IDS, the manifest's commands, the stubs activate() registers and the command objects
// behind them are one and the same set: a command missing from any of them would fail silently.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createExtensionContext, createVscodeStub, installVscodeStub, type StubRecord } from '../bench/vscodeStub';
import { COMMAND_IDS } from '../../src/commandIds';

const record: StubRecord = { commands: [], serializers: [], outputChannels: [] };
installVscodeStub(createVscodeStub(record));
// Loaded after the stub is in place.
const extension = require('../../src/extension') as typeof import('../../src/extension');
const commands = require('../../src/commands') as typeof import('../../src/commands');

const root = join(__dirname, '..', '..', '..');
const sorted = (ids: Iterable<string>) => [...ids].sort();

test('package.json contributes exactly COMMAND_IDS', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  assert.deepEqual(sorted(manifest.contributes.commands.map((c) => c.command)), sorted(COMMAND_IDS));
  assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no id twice');
});

test('activate() registers every id, and a command object answers each', () => {
  extension.activate(createExtensionContext(root) as never);
  assert.deepEqual(sorted(record.commands), sorted(COMMAND_IDS));
  // The objects only keep their dependencies when built: nothing is called here.
  assert.deepEqual(sorted(commands.createCommands({} as never).keys()), sorted(COMMAND_IDS));
});
