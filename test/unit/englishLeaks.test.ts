// Issue 20 #20: no English reaches a user who reads another language. The wording functions behind
// notifications, quick picks and the panel run under a pseudo language (test/support/pseudoLocale):
// whatever did not go through l10n.t is left in ASCII letters and fails the test. A static check
// adds that no notification is called with a literal.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from '../bench/vscodeStub';
import { englishIn, pseudoT } from '../support/pseudoLocale';
import { GeminiError } from '../../src/gemini/errors';
import { parseUserStyles } from '../../src/core/styles';
import type { StoredJob } from '../../src/docs/jobStore';

const stub = createVscodeStub({ commands: [], serializers: [], outputChannels: [] }) as Record<string, Record<string, unknown>>;
stub.l10n = { t: pseudoT, bundle: undefined, uri: undefined };
const warnings: string[] = [];
stub.window.showWarningMessage = async (text: string) => void warnings.push(text);
installVscodeStub(stub);
const { describeError } = require('../../src/commands/errorMessages') as typeof import('../../src/commands/errorMessages');
const { proxyRefusal } = require('../../src/gemini/http') as typeof import('../../src/gemini/http');
const { availableStyles, styleErrorText } = require('../../src/commands/styles') as typeof import('../../src/commands/styles');
const { failureSummary } = require('../../src/docsEditor/docsFill') as typeof import('../../src/docsEditor/docsFill');
const { describeJob } = require('../../src/docsEditor/batchJobs') as typeof import('../../src/docsEditor/batchJobs');
const { panelStrings } = require('../../src/panel/panelStrings') as typeof import('../../src/panel/panelStrings');
const { formatByteSize } = require('../../src/shared/byteSize') as typeof import('../../src/shared/byteSize');

const context = { model: 'gemini-3-pro-image', baseUrl: 'https://relay.example', timeoutSeconds: 180 };
const noEnglish = (text: string, data: string[] = [], what = text) => assert.deepEqual(englishIn(text, data), [], `English in ${what}: ${text}`);

test('the detector is not vacuous: English outside l10n.t is found, data is not', () => {
  assert.deepEqual(englishIn(`${pseudoT('Cannot read {0}.', 'cat.png')} (ENOENT: no such file)`, ['cat.png']), ['ENOENT', 'no', 'such', 'file']);
  assert.deepEqual(englishIn(pseudoT('Cannot read {0}.', 'cat.png'), ['cat.png']), []);
});

test('a proxy\'s 407, 403 and other refusals are worded, naming only the proxy', () => {
  const proxy = 'http://corp:secret@127.0.0.1:3128';
  for (const cause of ['Proxy Authentication Required (407)', 'Proxy response (403) !== 200 when HTTP Tunneling', 'Proxy response (502) !== 200 when HTTP Tunneling']) {
    const error = proxyRefusal(new Error(cause), proxy);
    assert.ok(error, cause);
    const text = describeError(error, context).text;
    noEnglish(text, ['127.0.0.1:3128'], cause);
    assert.ok(!text.includes('secret'));
  }
});

test('style problems in geminiImage.styles are worded from their codes, in the notification too', () => {
  const bad = [42, { prompt: 'x ${prompt}' }, { name: 'Sketch' }, { name: 'Ink', prompt: 'ink', description: 3 }, { name: 'Pen', prompt: '${promt} in pen' }, { name: 'Plain', prompt: 'plain' }, { name: 'Twice', prompt: '${prompt}' }, { name: 'twice', prompt: '${prompt}' }];
  const data = ['Sketch', 'Ink', 'Pen', 'Plain', 'twice', '${promt}', '${prompt}', '${selection}'];
  const { errors } = parseUserStyles(bad, 'workspace');
  assert.equal(errors.length, 7);
  for (const e of errors) noEnglish(styleErrorText(e), data, e.code);
  noEnglish(styleErrorText(parseUserStyles('not a list', 'user').errors[0]), data);
  const configuration = stub.workspace.getConfiguration as () => Record<string, unknown>;
  stub.workspace.getConfiguration = () => ({ ...configuration(), inspect: () => ({ workspaceValue: bad }) });
  try {
    warnings.length = 0;
    availableStyles();
    assert.equal(warnings.length, 1);
    noEnglish(warnings[0], data, 'the styles notification');
  } finally {
    stub.workspace.getConfiguration = configuration;
  }
});

test('the docs summary words the first failure as every error is worded, not with the core\'s message', () => {
  const settings = { model: 'gemini-3-pro-image', baseUrl: 'https://relay.example', timeoutMs: 180_000 } as import('../../src/config').Settings;
  const failed = [
    { image: { relPath: 'docs/images/a.png' }, error: new GeminiError('timeout', 'Timed out: Headers Timeout Error') },
    { image: { relPath: 'docs/images/b.png' }, error: new Error('ENOSPC: no space left on device, write') },
  ];
  noEnglish(failureSummary(failed, 12, settings), ['docs/images/a.png', 'docs/images/b.png', 'geminiImage.timeoutSeconds']);
});

test('Show Batch Jobs words each state; raw states never show', () => {
  const job: StoredJob = { id: 'j', displayName: 'gemini-image-j', endpoint: 'e', model: 'm', phase: 'created', name: 'batches/abc', createdAt: '', entries: [{ relPath: 'docs/images/hero.png' } as StoredJob['entries'][number]], settled: [] };
  for (const state of ['BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING', 'BATCH_STATE_SUCCEEDED', 'BATCH_STATE_FAILED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED']) {
    noEnglish(describeJob(job, { state, done: 1, total: 4 }), ['hero.png'], state);
  }
  for (const phase of ['uploading', 'creating', 'created'] as const) noEnglish(describeJob({ ...job, phase }, undefined), ['hero.png'], phase);
});

test('the panel\'s words, the card\'s sizes and its version badge', () => {
  const strings = panelStrings();
  for (const [key, value] of Object.entries(strings)) noEnglish(value, [], key);
  const words = { bytes: strings.bytes, kilobytes: strings.kilobytes, megabytes: strings.megabytes };
  for (const n of [512, 300_000, 5_000_000]) noEnglish(formatByteSize(n, words), [], String(n));
  assert.equal(formatByteSize(300_000, { bytes: '{0} B', kilobytes: '{0} KB', megabytes: '{0} MB' }), '293 KB');
  noEnglish(strings.version.replace('{0}', '2'));
});

const SRC = path.join(__dirname, '..', '..', '..', 'src');
const sources = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? sources(path.join(dir, n)) : n.endsWith('.ts') ? [path.join(dir, n)] : []));

test('no notification or quick pick item is given a literal or a template string', () => {
  const literal = /show(?:Information|Warning|Error)Message\(\s*[`'"]|(?:label|description|detail|placeHolder|placeholder|title|prompt):\s*`[^`]*[A-Za-z]{3}/g;
  // The command line and the MCP server speak English on purpose (for the terminal and the agent's model).
  const found = sources(SRC).filter((file) => !path.relative(SRC, file).startsWith(`cli${path.sep}`)).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(literal)].map((m) => `${path.relative(SRC, file)}: ${m[0]}`));
  assert.deepEqual(found, []);
});
