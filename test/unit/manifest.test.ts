// The manifest's menus and keybinding, as a user meets them: our context-menu items sit in groups
// of their own (so VS Code draws a separator around them), and Generate Image has a default key
// that VS Code's own defaults do not use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

interface MenuItem {
  command: string;
  group?: string;
}
interface Manifest {
  contributes: { menus: Record<string, MenuItem[]>; keybindings?: { command: string; key: string; mac?: string }[] };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

// The groups VS Code itself fills in these menus (its source: editor and explorer contributions).
const BUILT_IN_GROUPS: Record<string, string[]> = {
  'editor/context': ['navigation', '1_modification', '1_cutcopypaste', '9_cutcopypaste', 'z_commands', '1_peek', '2_copy', '3_preview'],
  'explorer/context': ['navigation', '2_workspace', '3_compare', '4_search', '5_cutcopypaste', '5a_copyLinks', '6_copypath', '7_modification', '8_timeline'],
};

test('context-menu items have a group of their own in the editor and the Explorer', () => {
  for (const [menu, builtIn] of Object.entries(BUILT_IN_GROUPS)) {
    const items = manifest.contributes.menus[menu];
    assert.ok(items.length > 0, menu);
    const groups = new Set(items.map((i) => i.group?.split('@')[0]));
    assert.equal(groups.size, 1, `${menu}: our items are split over ${[...groups].join(', ')}`);
    const [group] = groups;
    assert.ok(group && !builtIn.includes(group), `${menu}: ${group} is one of VS Code's groups`);
    assert.match(group!, /geminiImage/);
  }
});

// Checked against VS Code 1.100's default keybindings (the workbench bundle of the test code-server):
// these neighbours are taken, ctrl+k ctrl+g / cmd+k cmd+g is not.
const TAKEN = ['ctrl+alt+g', 'ctrl+alt+i', 'ctrl+alt+n', 'ctrl+shift+g', 'ctrl+g', 'ctrl+k ctrl+i', 'ctrl+shift+i', 'ctrl+alt+shift+i'];

test('Generate Image has a default keybinding that VS Code does not use', () => {
  const binding = manifest.contributes.keybindings?.find((k) => k.command === 'geminiImage.generate');
  assert.ok(binding, 'no keybinding for Generate Image');
  assert.ok(!TAKEN.includes(binding.key), binding.key);
  assert.ok(binding.mac && !TAKEN.includes(binding.mac.replace(/cmd/g, 'ctrl')), binding.mac);
});

interface Walkthrough {
  steps: { id: string; completionEvents?: string[]; media?: { markdown?: string } }[];
}
const contributes = (manifest as unknown as { contributes: { walkthroughs: Walkthrough[]; menus: Record<string, (MenuItem & { when?: string })[]> } }).contributes;
const steps = contributes.walkthroughs[0].steps;

test('the walkthrough: "Pick a model" is done when a model is chosen, not when the step is opened; docs images have their own step', () => {
  const pick = steps.find((s) => s.id === 'pickModel');
  assert.deepEqual(pick?.completionEvents, ['onContext:geminiImage.modelChosen']);
  const docs = steps.find((s) => s.id === 'docsImages');
  assert.ok(docs, 'no walkthrough step for docs images');
  assert.ok(docs.completionEvents?.includes('onCommand:geminiImage.generateDocImage'));
  const page = readFileSync(join(__dirname, '..', '..', '..', docs.media!.markdown!), 'utf8');
  for (const words of ['Image not generated yet', 'Generate Image Here', 'Generate Missing Images', '<!-- gemini-image']) assert.ok(page.includes(words), words);
});

test('Generate Image Here is not in the palette; Generate Alt Text is in the context menu only on an image link', () => {
  assert.equal(contributes.menus.commandPalette.find((i) => i.command === 'geminiImage.generateDocImage')?.when, 'false');
  assert.match(contributes.menus['editor/context'].find((i) => i.command === 'geminiImage.generateAltText')?.when ?? '', /geminiImage\.onImageLink/);
});
