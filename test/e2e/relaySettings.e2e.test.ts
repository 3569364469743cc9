// A relay set in the User settings is where every request goes, with its auth style, in the newest
// VS Code as in the floor (code-server's window is a remote one, as with Remote-SSH, WSL or Dev
// Containers); a workspace's and the remote machine's values are not applied, and the user is asked
// before the key leaves. Run with E2E_VSCODE=newest and E2E_VSCODE=floor (npm test runs both).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { answerRelayQuestion, enterPrompt, eventually, panelWithLoadedImage, pickStyleStep } from './actions';
import { clearNotifications, expectNoErrorDialog, runCommand, screenshot } from './harness';
import { copyDemo, useE2ESession } from './session';

const KEY = 'e2e-relay-key-91b4';

describe('relay settings in User settings, in a remote window', { timeout: 600_000 }, () => {
  let elsewhere: FakeGemini;
  before(async () => {
    elsewhere = await startFakeGemini({ apiKeys: [KEY] });
  });
  after(() => elsewhere?.close());

  // The session's stand-in is the relay: it takes the key only as a Bearer token.
  const e2e = useE2ESession({
    key: KEY,
    name: 'relay',
    gemini: { authStyles: ['bearer'] },
    settings: { 'geminiImage.authStyle': 'bearer' },
    fill: (workspace) => {
      copyDemo(workspace);
      mkdirSync(join(workspace, '.vscode'));
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'geminiImage.baseUrl': elsewhere.url, 'geminiImage.authStyle': 'query' }));
    },
  });

  const images = () => (existsSync(join(e2e.workspace, 'images')) ? readdirSync(join(e2e.workspace, 'images')).filter((f) => !f.startsWith('.')) : []);

  async function generate(prompt: string, answer: 'send' | 'cancel', screenshotName?: string): Promise<string> {
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    const question = await answerRelayQuestion(e2e.page, answer, screenshotName);
    if (answer === 'send') {
      await enterPrompt(e2e.page, prompt);
      await pickStyleStep(e2e.page);
    }
    return question;
  }

  function assertAllToRelay(): void {
    assert.ok(e2e.gemini.requests.length >= 2, `${e2e.gemini.requests.length} requests`);
    for (const r of e2e.gemini.requests) {
      assert.equal(r.headers.authorization, `Bearer ${KEY}`, `${r.method} ${r.path}`);
      assert.equal(r.headers['x-goog-api-key'], undefined, `${r.method} ${r.path}`);
      assert.equal(r.query.key, undefined, `${r.method} ${r.path}`);
    }
    assert.equal(elsewhere.requests.length, 0, 'the workspace\'s server saw requests');
  }

  test('the workspace\'s relay settings are named as not applied before anything is sent; the User relay and Bearer are used', async () => {
    const question = await generate('A relay at dusk', 'send');
    assert.match(question, /the workspace settings/);
    assert.ok(question.includes(`geminiImage.baseUrl: ${elsewhere.url.replace(/\/$/, '')}`), question);
    assert.ok(question.includes('geminiImage.authStyle: query'), question);
    assert.ok(question.includes(`Send to ${new URL(e2e.gemini.url).host}`), question);
    await panelWithLoadedImage(e2e.page);
    assert.deepEqual(images(), ['a-relay-at-dusk.png']);
    assertAllToRelay();
    await expectNoErrorDialog(e2e.page);
  });

  test('asked once: a second generation goes straight to the relay', async () => {
    const before = e2e.gemini.requests.length;
    await runCommand(e2e.page, 'Gemini Image: Generate Image');
    await enterPrompt(e2e.page, 'A second relay');
    await pickStyleStep(e2e.page);
    await panelWithLoadedImage(e2e.page, 2);
    assert.ok(e2e.gemini.requests.length > before);
    assertAllToRelay();
  });

  test('a relay in the Remote settings is not applied either: Cancel sends nothing; Send goes to the User relay', async () => {
    // code-server keeps the remote machine's settings where VS Code's server does: <user data>/Machine/settings.json.
    const machine = join(e2e.session.userDataDir, 'Machine');
    mkdirSync(machine, { recursive: true });
    writeFileSync(join(machine, 'settings.json'), `{\n  // a relay set for this remote machine\n  "geminiImage.baseUrl": "${elsewhere.url}/remote",\n}\n`);
    const before = e2e.gemini.requests.length;
    const question = await generate('Not sent', 'cancel', `relay-question-${process.env.E2E_VSCODE ?? 'newest'}`);
    assert.match(question, /the Remote settings/);
    assert.ok(question.includes(`${elsewhere.url.replace(/\/$/, '')}/remote (the Remote settings)`), question);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(e2e.gemini.requests.length, before, 'nothing was sent after Cancel');
    assert.equal(elsewhere.requests.length, 0);
    assert.equal(images().length, 2);
    await screenshot(e2e.page, 'relay-after-cancel');
    await clearNotifications(e2e.page);

    await generate('A third relay', 'send');
    await eventually(() => images().includes('a-third-relay.png') || undefined, 'the third image');
    assertAllToRelay();
    await expectNoErrorDialog(e2e.page);
  });
});
