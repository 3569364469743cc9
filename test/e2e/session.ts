// One real VS Code per describe block: a temp workspace, the stand-in Gemini server and a session
// with the packaged extension and the key, started in `before` and closed and checked in `after`.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '../support/fakeGemini';
import { ROOT, VSIX_PATH, leftoverProcesses, startVSCode, type E2EOptions, type E2ESession } from './harness';

/** Editor settings for tests that count lines and columns: no wrapping, no sticky scroll, no minimap. */
export const PLAIN_EDITOR: Record<string, unknown> = { '[markdown]': { 'editor.wordWrap': 'off' }, 'editor.stickyScroll.enabled': false, 'editor.minimap.enabled': false };

export interface E2ESessionOptions {
  /** The key the stand-in accepts and the extension host finds in GEMINI_API_KEY. */
  key: string;
  /** Names the temp workspace: gis-e2e-<name>-XXXXXX. */
  name: string;
  /** More options for the stand-in (the key is always accepted). */
  gemini?: Omit<FakeGeminiOptions, 'apiKeys'>;
  /** Writes the workspace's files; by default a copy of demo/. */
  fill?: (workspace: string) => void;
  /** User settings over geminiImage.baseUrl, which always points at the stand-in. */
  settings?: Record<string, unknown>;
  theme?: E2EOptions['theme'];
  /** Test-only extensions, asked for when the session starts. */
  extraVsixPaths?: () => string[];
  /** Assert in `after` that the session left no process behind. Default true. */
  checkLeftovers?: boolean;
}

export interface E2EFixture {
  readonly page: Page;
  readonly gemini: FakeGemini;
  readonly workspace: string;
  readonly session: E2ESession;
  /** A new session on the same workspace and stand-in, with `settings` over the configured ones. */
  start(settings?: Record<string, unknown>): Promise<void>;
}

export function copyDemo(workspace: string): void {
  cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
}

/** Registers the describe block's before/after; the getters are valid from the first test on. */
export function useE2ESession(opts: E2ESessionOptions): E2EFixture {
  let gemini: FakeGemini | undefined;
  let workspace: string | undefined;
  let session: E2ESession | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what}: the session's before hook did not finish`);
    return value;
  };

  const fixture: E2EFixture = {
    get page() {
      return ready(session, 'session').page;
    },
    get gemini() {
      return ready(gemini, 'stand-in server');
    },
    get workspace() {
      return ready(workspace, 'workspace');
    },
    get session() {
      return ready(session, 'session');
    },
    async start(settings) {
      session = await startVSCode({
        vsixPath: VSIX_PATH,
        extraVsixPaths: opts.extraVsixPaths?.(),
        workspaceDir: fixture.workspace,
        env: { GEMINI_API_KEY: opts.key },
        userSettings: { 'geminiImage.baseUrl': fixture.gemini.url, ...opts.settings, ...settings },
        theme: opts.theme,
      });
    },
  };

  before(async () => {
    gemini = await startFakeGemini({ apiKeys: [opts.key], ...opts.gemini });
    workspace = mkdtempSync(join(tmpdir(), `gis-e2e-${opts.name}-`));
    (opts.fill ?? copyDemo)(workspace);
    await fixture.start();
  });

  after(async () => {
    try {
      if (session) {
        await session.close();
        if (opts.checkLeftovers !== false) assert.deepEqual(await leftoverProcesses(session), [], 'processes left after the session');
      }
    } finally {
      await gemini?.close();
      if (workspace) rmSync(workspace, { recursive: true, force: true });
    }
  });

  return fixture;
}
