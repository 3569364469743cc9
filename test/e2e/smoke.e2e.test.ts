// The e2e harness itself: a real VS Code starts with the packaged extension, a command runs from the
// palette, and closing leaves no code-server or Chromium process behind.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ROOT,
  VSIX_PATH,
  clearNotifications,
  expectNoErrorDialog,
  leftoverProcesses,
  openFile,
  runCommand,
  screenshot,
  startVSCode,
  type E2ESession,
} from './harness';

test('Show Log runs from the palette in a real VS Code, and closing stops everything', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(VSIX_PATH), `no extension package at ${VSIX_PATH}: run \`npm run package\` or set E2E_VSIX`);
  const workspaceDir = mkdtempSync(join(tmpdir(), 'gis-e2e-workspace-'));
  cpSync(join(ROOT, 'demo'), workspaceDir, { recursive: true });
  let session: E2ESession | undefined;
  try {
    session = await startVSCode({ vsixPath: VSIX_PATH, workspaceDir, env: { GEMINI_API_KEY: 'test-key' }, theme: 'light' });
    const { page } = session;

    await openFile(page, 'docs/guide.md');
    await runCommand(page, 'Gemini Image: Show Log');

    const channel = page.locator('.part.panel select.monaco-select-box').first();
    await channel.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await channel.inputValue(), /Gemini Image/);
    await expectNoErrorDialog(page);
    await clearNotifications(page);
    await screenshot(page, 'smoke-show-log');
  } catch (error) {
    if (session) console.error(`--- code-server output ---\n${session.logs()}`);
    throw error;
  } finally {
    await session?.close();
    rmSync(workspaceDir, { recursive: true, force: true });
  }
  assert.ok(session);
  assert.deepEqual(await leftoverProcesses(session), [], 'processes left after close()');
});
