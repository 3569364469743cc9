// Text a server, a model or a file name supplies never becomes a link in a VS Code notification.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { inertLinks } from '../../src/core/inertText';

// How VS Code 1.100 finds links in a notification's message (parseLinkedText in the workbench).
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const links = (text: string) => [...text.matchAll(VSCODE_NOTIFICATION_LINK)].map((m) => m[0]);

test('links a hostile relay, model or file name could plant are shown as text, reading the same', () => {
  for (const hostile of [
    '[Set your key here](https://phish.example/login)',
    'Error: [Click to fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%22%7D)',
    '[open](file:///etc/passwd)',
    '[a] (https://spaced.example)',
    'nested [[x](https://a.example)](https://b.example)',
    '[x]\t(command:foo)',
  ]) {
    assert.ok(links(hostile).length > 0 || /\]\s+\(/.test(hostile), `the sample is a link or near one: ${hostile}`);
    const shown = inertLinks(hostile);
    assert.deepEqual(links(shown), [], shown);
    assert.equal(shown.replace(/\u200B/g, ''), hostile, 'the words are unchanged');
  }
});

test('fuzz: no output of inertLinks is a link to VS Code, and only zero-width spaces are added', () => {
  const piece = fc.constantFrom('[', ']', '(', ')', ' ', 'https://x.example', 'command:a.b', 'file:///p', 'text', '"t"', '\n');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
      const text = parts.join('');
      const shown = inertLinks(text);
      return links(shown).length === 0 && shown.replace(/\u200B/g, '') === text.replace(/\u200B/g, '');
    }),
    { numRuns: 3000, seed: 15 },
  );
});

test('text without link syntax is left exactly as it is', () => {
  for (const plain of ['Model "x" was not found (models/x is not found).', 'a (b) [c]', '']) assert.equal(inertLinks(plain), plain);
});
