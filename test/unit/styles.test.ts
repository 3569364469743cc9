// Style presets and user templates: the built-in styles are complete and usable, templates expand
// exactly (escapes, unknown variables refused), and user settings are validated entry by entry.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BUILTIN_STYLES,
  applyStyle,
  builtinStyleL10nKeys,
  expandTemplate,
  findStyle,
  parseUserStyles,
  templateVariables,
} from '../../src/core/styles';
import { NO_STYLE_ID } from '../../src/shared/constants';

describe('built-in styles', () => {
  test('at least 12, with unique ids and names, each a valid template around ${prompt}', () => {
    assert.ok(BUILTIN_STYLES.length >= 12);
    assert.equal(new Set(BUILTIN_STYLES.map((s) => s.id)).size, BUILTIN_STYLES.length);
    assert.equal(new Set(BUILTIN_STYLES.map((s) => s.name)).size, BUILTIN_STYLES.length);
    for (const style of BUILTIN_STYLES) {
      assert.equal(style.source, 'builtin');
      assert.match(style.id, /^[a-z0-9-]+$/);
      assert.ok(style.description.length > 10 && style.description.length <= 70, `${style.id}: a one-line description`);
      assert.deepEqual(templateVariables(style.prompt), { variables: ['prompt'], unknown: [] }, style.id);
      assert.equal(style.nameKey, style.name);
      assert.equal(style.descriptionKey, style.description);
      assert.notEqual(style.id, NO_STYLE_ID);
    }
  });

  test('cover the styles docs and slides need', () => {
    const ids = BUILTIN_STYLES.map((s) => s.id);
    for (const id of ['article-cover', 'flat-illustration', 'isometric', 'architecture-diagram', 'flowchart-sketch', 'whiteboard-sketch', 'infographic', 'icon', 'line-art', 'watercolor', 'photo', 'pixel-art']) {
      assert.ok(ids.includes(id), id);
    }
  });

  test('l10n keys: every name and description', () => {
    const keys = builtinStyleL10nKeys();
    assert.equal(keys.length, BUILTIN_STYLES.length * 2);
    assert.ok(keys.includes('Watercolor'));
  });

  test('the user prompt lands inside, without doubled punctuation', () => {
    const style = findStyle(BUILTIN_STYLES, 'watercolor');
    assert.ok(style);
    const { finalPrompt, styleName } = applyStyle(style, '  一座雪山上的小屋。 ');
    assert.equal(styleName, 'Watercolor');
    assert.match(finalPrompt, /^A watercolor painting of 一座雪山上的小屋\. Soft/);
    assert.equal(applyStyle(style, 'a red barn.').finalPrompt.includes('a red barn. Soft'), true);
  });
});

describe('expandTemplate', () => {
  test('fills both variables, spaces inside the braces allowed', () => {
    assert.deepEqual(expandTemplate('Draw ${prompt} about: ${ selection }', { prompt: 'a fox', selection: 'the text' }), { ok: true, text: 'Draw a fox about: the text' });
  });

  test('a missing selection is empty', () => {
    assert.deepEqual(expandTemplate('[${selection}] ${prompt}', { prompt: 'p' }), { ok: true, text: '[] p' });
  });

  test('unknown variables are an error, each listed once, nothing expanded', () => {
    assert.deepEqual(expandTemplate('${promt} and ${Prompt} and ${promt} and ${prompt}', { prompt: 'x' }), { ok: false, unknown: ['${promt}', '${Prompt}'] });
    assert.deepEqual(expandTemplate('${} x', { prompt: 'x' }), { ok: false, unknown: ['${}'] });
  });

  test('an unclosed ${ is an error', () => {
    const r = expandTemplate('Draw ${prompt and more', { prompt: 'x' });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.unknown[0].startsWith('${prompt'));
  });

  test('$${ is a literal ${; other dollars are text', () => {
    assert.deepEqual(expandTemplate('Cost $5, literal $${prompt}, then ${prompt} $$ $', { prompt: 'x' }), { ok: true, text: 'Cost $5, literal ${prompt}, then x $$ $' });
  });

  test('values are inserted verbatim: a ${...} inside the prompt is not expanded again', () => {
    assert.deepEqual(expandTemplate('A ${prompt}!', { prompt: 'sign reading ${selection}', selection: 'no' }), { ok: true, text: 'A sign reading ${selection}!' });
  });

  test('fuzz: a template without ${ expands to itself; with known variables, the values appear', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '$', '{', '}', '中', '🐱', '.', '\n') }).filter((s) => !s.includes('${'));
    fc.assert(fc.property(text, (t) => {
      const r = expandTemplate(t, { prompt: 'P' });
      assert.deepEqual(r, { ok: true, text: t });
    }));
    fc.assert(fc.property(text, text, fc.string(), (a, b, prompt) => {
      // `a` ending in "$" would make "$${": an escape, by design.
      fc.pre(!a.endsWith('$'));
      const r = expandTemplate(`${a}\${prompt}${b}`, { prompt });
      assert.ok(r.ok);
      assert.ok(r.text.startsWith(a));
    }));
  });
});

describe('applyStyle', () => {
  test('"None" leaves the prompt exactly as typed', () => {
    assert.deepEqual(applyStyle(undefined, '  as typed  '), { finalPrompt: '  as typed  ' });
    assert.equal(findStyle(BUILTIN_STYLES, NO_STYLE_ID), undefined);
    assert.equal(findStyle(BUILTIN_STYLES, undefined), undefined);
  });

  test('user templates get the selection', () => {
    const { styles } = parseUserStyles([{ name: 'Quote card', prompt: 'A card with the quote "${selection}" in the style of ${prompt}' }], 'user');
    assert.deepEqual(applyStyle(styles[0], 'art deco', 'Less is more'), { finalPrompt: 'A card with the quote "Less is more" in the style of art deco', styleName: 'Quote card' });
  });

  test('a template that never went through validation fails loudly', () => {
    assert.throws(() => applyStyle({ name: 'Bad', prompt: '${nope}' }, 'p'), /unknown variables: \$\{nope\}/);
  });
});

describe('parseUserStyles', () => {
  test('nothing set is no styles and no errors', () => {
    assert.deepEqual(parseUserStyles(undefined, 'user'), { styles: [], errors: [] });
    assert.deepEqual(parseUserStyles(null, 'workspace'), { styles: [], errors: [] });
    assert.deepEqual(parseUserStyles([], 'workspace'), { styles: [], errors: [] });
  });

  test('a setting that is not a list', () => {
    const { styles, errors } = parseUserStyles({ name: 'x', prompt: '${prompt}' }, 'workspace');
    assert.deepEqual(styles, []);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'notList');
    assert.equal(errors[0].source, 'workspace');
    assert.equal(errors[0].index, -1);
  });

  test('valid entries are kept with their source; each bad entry is reported and skipped', () => {
    const value = [
      { name: ' Blueprint ', description: 'Blue technical drawing', prompt: 'A blueprint of ${prompt}, white lines on blue' },
      'just a string',
      { prompt: '${prompt}' },
      { name: 'No prompt' },
      { name: 'Empty prompt', prompt: '   ' },
      { name: 'Static', prompt: 'always the same picture' },
      { name: 'Typo', prompt: 'A ${promt} in ${selecton}' },
      { name: 'Bad description', description: 42, prompt: '${prompt}' },
      { name: 'blueprint', prompt: 'again ${prompt}' },
      { name: 'Selection only', prompt: 'Illustrate: ${selection}', extra: true },
      { name: 'Escaped', prompt: 'Literal $${prompt} then ${prompt}' },
    ];
    const { styles, errors } = parseUserStyles(value, 'workspaceFolder');
    assert.deepEqual(
      styles.map((s) => [s.id, s.name, s.description, s.source]),
      [
        ['workspaceFolder:Blueprint', 'Blueprint', 'Blue technical drawing', 'workspaceFolder'],
        ['workspaceFolder:Selection only', 'Selection only', '', 'workspaceFolder'],
        ['workspaceFolder:Escaped', 'Escaped', '', 'workspaceFolder'],
      ],
    );
    assert.deepEqual(
      errors.map((e) => [e.index, e.code, e.name]),
      [
        [1, 'notObject', undefined],
        [2, 'missingName', undefined],
        [3, 'missingPrompt', 'No prompt'],
        [4, 'missingPrompt', 'Empty prompt'],
        [5, 'noVariable', 'Static'],
        [6, 'unknownVariables', 'Typo'],
        [7, 'badDescription', 'Bad description'],
        [8, 'duplicateName', 'blueprint'],
      ],
    );
    assert.deepEqual(errors.find((e) => e.code === 'unknownVariables')?.unknown, ['${promt}', '${selecton}']);
    for (const e of errors) {
      assert.equal(e.source, 'workspaceFolder');
      assert.match(e.message, /^geminiImage\.styles \(workspaceFolder\) #\d+: /);
    }
  });

  test('an escaped ${prompt} alone does not count as using the prompt', () => {
    const { errors } = parseUserStyles([{ name: 'Only escaped', prompt: 'Literal $${prompt}' }], 'user');
    assert.equal(errors[0]?.code, 'noVariable');
  });

  test('the same name in two scopes is two styles', () => {
    const a = parseUserStyles([{ name: 'Mine', prompt: '${prompt}' }], 'user').styles;
    const b = parseUserStyles([{ name: 'Mine', prompt: '${prompt}!' }], 'workspace').styles;
    assert.notEqual(a[0].id, b[0].id);
    assert.equal(findStyle([...BUILTIN_STYLES, ...a, ...b], 'workspace:Mine')?.prompt, '${prompt}!');
  });
});
