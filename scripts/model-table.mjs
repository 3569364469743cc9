// Writes the model tables of README.md and README.zh-CN.md from src/core/models/catalogue.json
// (run `node scripts/build.mjs` first). test/unit/catalogueSchema.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { modelTable } = require('../out/src/core/models/modelTable.js');
const START = '<!-- model-table:start -->';
const END = '<!-- model-table:end -->';

for (const [file, lang] of [['README.md', 'en'], ['README.zh-CN.md', 'zh-CN']]) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START} ... ${END} markers`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${modelTable(lang)}\n${text.slice(end)}`);
  console.log(`${file}: model table written`);
}
