// The panel shows only what the chosen model takes, as the palette does: a remembered ratio or
// size the model lacks is replaced before it is shown, so what the select shows is what is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { fitChoices } from '../../src/shared/choices';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as Record<string, Record<string, unknown>>;
installVscodeStub(stub);
const { studioOptions } = require('../../src/commands/panelCommands') as typeof import('../../src/commands/panelCommands');

function memento(values: Record<string, unknown> = {}) {
  return { get: (k: string, d?: unknown) => (k in values ? values[k] : d), update: async (k: string, v: unknown) => void (values[k] = v), keys: () => Object.keys(values) } as never;
}

test('a remembered 1:8 at 512 becomes 1:1 at 1K for a model without them, and the lists hold what is current', () => {
  const settings: Record<string, unknown> = { model: 'gemini-3-pro-image' };
  stub.workspace.getConfiguration = () => ({ get: (k: string, d?: unknown) => (k in settings ? settings[k] : d), inspect: () => undefined, has: () => false });
  const services = { globalState: memento(), workspaceState: memento({ 'geminiImage.lastChoices': { aspectRatio: '1:8', imageSize: '512', count: 2, styleId: 'none' } }), log: { warn() {}, error() {}, info() {} } };
  const options = studioOptions(services as never);
  assert.equal(options.model, 'gemini-3-pro-image');
  assert.deepEqual(options.current, { aspectRatio: '1:1', imageSize: '1K', count: 2, styleId: 'none' });
  assert.ok(options.aspectRatios.includes(options.current.aspectRatio));
  assert.ok(options.imageSizes.includes(options.current.imageSize));
  // A model that takes them keeps them.
  settings.model = 'gemini-3.1-flash-image';
  assert.deepEqual(studioOptions(services as never).current, { aspectRatio: '1:8', imageSize: '512', count: 2, styleId: 'none' });
});

test('fitChoices: kept when taken, 1:1 and 1K when not, the first when those are missing too; a left-out ratio stays out', () => {
  const limits = { aspectRatios: ['1:1', '16:9'] as const, imageSizes: ['1K', '2K'] as const };
  const choices = { aspectRatio: '16:9' as const, imageSize: '2K' as const, count: 3, styleId: 's' };
  assert.deepEqual(fitChoices(choices, limits), choices);
  assert.deepEqual(fitChoices({ ...choices, aspectRatio: '1:8', imageSize: '4K' }, limits), { ...choices, aspectRatio: '1:1', imageSize: '1K' });
  assert.deepEqual(fitChoices({ ...choices, aspectRatio: '1:8', imageSize: '4K' }, { aspectRatios: ['16:9'], imageSizes: ['2K'] }), choices);
  assert.equal(fitChoices({ aspectRatio: undefined, imageSize: '1K', count: 1 }, limits).aspectRatio, undefined);
  // A model without sizes (1K only) keeps the size; the request does not send it.
  assert.equal(fitChoices({ ...choices, imageSize: '4K' }, { aspectRatios: ['16:9'], imageSizes: [] }).imageSize, '4K');
});
