// The catalogue is data: one JSON file, checked against its schema, every model with its sources
// and check dates; and the README's model tables are what the data says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { IMAGE_MODELS, TEXT_MODELS, CATALOGUE_CHECKED } from '../../src/core/models';
import { modelTable } from '../../src/core/models/modelTable';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as unknown;

test('catalogue.json matches its schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(read('src/core/models/catalogue.schema.json') as object);
  const ok = validate(read('src/core/models/catalogue.json'));
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
});

test('the schema refuses what would mislead: an unknown field, a model without sources, a tier list without standard', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(read('src/core/models/catalogue.schema.json') as object);
  const good = read('src/core/models/catalogue.json') as { imageModels: Record<string, unknown>[] };
  const broken = (change: (m: Record<string, unknown>) => void) => {
    const copy = structuredClone(good);
    change(copy.imageModels[0]);
    return validate(copy);
  };
  assert.equal(broken((m) => (m.maxRefs = 3)), false);
  assert.equal(broken((m) => (m.sources = [])), false);
  assert.equal(broken((m) => (m.serviceTiers = ['flex'])), false);
  assert.equal(broken((m) => ((m.lifecycle as Record<string, unknown>).shutdown = '15 March 2027')), false);
});

test('ids are unique, replacements are known, and no source was checked after the catalogue', () => {
  const ids = [...IMAGE_MODELS, ...TEXT_MODELS].map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const m of [...IMAGE_MODELS, ...TEXT_MODELS]) {
    if (m.lifecycle.replacement) assert.ok(ids.includes(m.lifecycle.replacement), `${m.id} -> ${m.lifecycle.replacement}`);
    for (const s of m.sources) assert.ok(s.checked <= CATALOGUE_CHECKED, `${m.id}: ${s.url}`);
  }
});

for (const [file, lang] of [['README.md', 'en'], ['README.zh-CN.md', 'zh-CN']] as const) {
  test(`${file}'s model table is the one generated from catalogue.json (node scripts/model-table.mjs writes it)`, () => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const start = text.indexOf('<!-- model-table:start -->');
    const end = text.indexOf('<!-- model-table:end -->');
    assert.ok(start >= 0 && end > start, 'the markers are there');
    const inReadme = text.slice(start + '<!-- model-table:start -->'.length, end).trim();
    assert.equal(inReadme, modelTable(lang).trim());
  });
}
