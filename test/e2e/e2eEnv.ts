// The repository root and typed access to the plain-JS scripts the e2e tests share with `npm start`:
// scripts/e2e-env.mjs (settings, code-server's start and stop) and scripts/setup-code-server.mjs.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What test/e2e uses of scripts/e2e-env.mjs (plain JS, shared with `npm start`). */
export interface E2EEnvModule {
  THEMES: Record<'light' | 'dark' | 'hc', string>;
  BASE_USER_SETTINGS: Record<string, unknown>;
  writeUserSettings(userDataDir: string, settings: Record<string, unknown>): string;
  codeServerEnv(extra: Record<string, string> | undefined, configFile: string): NodeJS.ProcessEnv;
  installExtension(bin: string, o: { userDataDir: string; extensionsDir: string; vsixPath: string; env: NodeJS.ProcessEnv }): string;
  startCodeServer(o: {
    bin: string;
    userDataDir: string;
    extensionsDir: string;
    workspaceDir: string;
    env: NodeJS.ProcessEnv;
    workspaceTrust?: boolean;
  }): Promise<{ child: ChildProcess; url: string; output(): string }>;
  stopGroup(child: ChildProcess, graceMs?: number): Promise<void>;
  leftoverProcesses(o: { pid?: number; marker?: string }): string[];
}

export const ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'gemini-image-studio') return dir;
  }
  throw new Error(`no gemini-image-studio package.json above ${from}`);
}

export async function loadScript<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'scripts', name)).href)) as T;
}

export function e2eEnv(): Promise<E2EEnvModule> {
  return loadScript<E2EEnvModule>('e2e-env.mjs');
}
