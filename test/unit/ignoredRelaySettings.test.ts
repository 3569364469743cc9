// The relay values VS Code drops (workspace, folder, remote machine settings) found in the files
// themselves: comments and trailing commas, a .code-workspace's "settings", values equal to what
// applies, and URLs shown without credentials or query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint, ignoredRelaySettings, safeUrl, settingsOf, type SettingsFile } from '../../src/core/ignoredRelaySettings';
import { parseJsonc } from '../../src/core/jsonc';

const applied = { baseUrl: 'https://generativelanguage.googleapis.com', authStyle: 'x-goog-api-key' };
const workspace = { kind: 'workspace', file: '/w/.vscode/settings.json' } as const;
const remote = { kind: 'remote', file: '/srv/data/Machine/settings.json' } as const;

test('a workspace settings.json with comments and a trailing comma: both relay settings are found', () => {
  const text = `{
    // our team's relay
    "geminiImage.baseUrl": "https://relay.example.com/gemini", /* the header it wants */
    "geminiImage.authStyle": "bearer",
    "editor.tabSize": 2,
  }`;
  assert.deepEqual(ignoredRelaySettings([{ place: workspace, text }], applied), [
    { setting: 'geminiImage.baseUrl', shown: 'https://relay.example.com/gemini', place: workspace },
    { setting: 'geminiImage.authStyle', shown: 'bearer', place: workspace },
  ]);
});

test('values equal to what applies are not reported (a trailing slash or case makes no difference)', () => {
  const text = JSON.stringify({ 'geminiImage.baseUrl': 'https://GenerativeLanguage.googleapis.com/', 'geminiImage.authStyle': 'x-goog-api-key' });
  assert.deepEqual(ignoredRelaySettings([{ place: remote, text }], applied), []);
});

test('a .code-workspace file: only its "settings" count', () => {
  const file: SettingsFile = {
    place: workspace,
    workspaceFile: true,
    text: JSON.stringify({ folders: [{ path: '.' }], 'geminiImage.baseUrl': 'https://not-a-setting.example', settings: { 'geminiImage.baseUrl': 'https://relay.example' } }),
  };
  assert.deepEqual(
    ignoredRelaySettings([file], applied).map((f) => f.shown),
    ['https://relay.example'],
  );
});

test('broken, empty and non-object files, and non-string or blank values, report nothing', () => {
  for (const text of ['', '{', '[1,2]', '"x"', JSON.stringify({ 'geminiImage.baseUrl': 42 }), JSON.stringify({ 'geminiImage.baseUrl': '  ' })]) {
    assert.deepEqual(ignoredRelaySettings([{ place: workspace, text }], applied), [], text);
  }
  assert.equal(settingsOf('[{ "geminiImage.baseUrl": "https://relay.example" }]'), undefined);
  assert.equal(settingsOf('{ "geminiImage.baseUrl": '), undefined);
});

test('a URL is shown without its user, password, query or fragment', () => {
  assert.equal(safeUrl('https://me:secret@relay.example:8443/v/?key=AIzaXYZ#x'), 'https://relay.example:8443/v/');
  assert.equal(safeUrl('not a url?key=AIzaXYZ'), 'not a url');
  const [found] = ignoredRelaySettings([{ place: remote, text: JSON.stringify({ 'geminiImage.baseUrl': 'https://u:p@relay.example/?key=AIzaXYZ' }) }], applied);
  assert.equal(found?.shown, 'https://relay.example');
  assert.doesNotMatch(JSON.stringify(found), /AIza|u:p/);
});

test('the fingerprint changes with the findings and with what applies', () => {
  const found = ignoredRelaySettings([{ place: remote, text: JSON.stringify({ 'geminiImage.baseUrl': 'https://relay.example' }) }], applied);
  assert.equal(fingerprint(found, applied), fingerprint([...found], { ...applied }));
  assert.notEqual(fingerprint(found, applied), fingerprint(found, { ...applied, authStyle: 'bearer' }));
  assert.notEqual(fingerprint(found, applied), fingerprint([], applied));
});

test('JSONC as VS Code writes it: comments and trailing commas go, strings keep theirs', () => {
  assert.deepEqual(parseJsonc('{ "a": "x // not a comment, }", /* c */ "b": [1, 2, /* d */ ], // e\n "c": "q\\"/*", }'), { a: 'x // not a comment, }', b: [1, 2], c: 'q"/*' });
  assert.throws(() => parseJsonc('{ "a": 1 '));
});
