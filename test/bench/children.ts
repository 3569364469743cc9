// The bench's child processes and temp dirs: forked with their own TMPDIR, asked one question over
// IPC, and always stopped and removed, also on an error or Ctrl-C.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildMessage } from './protocol';

/** Every child and temp dir this run made, so an error or Ctrl-C leaves nothing behind. */
export class Resources {
  readonly children = new Set<ChildProcess>();
  readonly dirs = new Set<string>();
  /** The children's TMPDIR: what a killed child leaves there goes with this run's cleanup. */
  private childTmp: string | undefined;

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  fork(modulePath: string, args: string[], execArgv: string[]): ChildProcess {
    this.childTmp ??= this.tempDir('gis-bench-tmp-');
    const child = fork(modulePath, args, { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, TMPDIR: this.childTmp } });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
    this.releaseAllSync();
  }

  /** For process exit: no awaiting possible. */
  releaseAllSync(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }
}

/** The stand-in server's CLI in its own process, lean (keeps no bodies or image bytes), each reply built once. */
export async function startServer(res: Resources, cli: string, key: string): Promise<{ child: ChildProcess; url: string }> {
  const child = res.fork(cli, ['--port', '0', '--key', key, '--lean', '--prebuilt'], []);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stand-in server did not start in 15 s: ${stderr}`)), 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^FAKE_GEMINI_URL=(\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the stand-in server exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

/** Forks `modulePath`, sends it `task`, waits for its one answer, makes sure it is gone. */
export async function inChild<R>(res: Resources, modulePath: string, task: unknown, execArgv: string[] = [], timeoutMs = 180_000): Promise<R> {
  const child = res.fork(modulePath, [], execArgv);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  try {
    const message = await new Promise<ChildMessage<R>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${modulePath} did not answer in ${timeoutMs / 1000} s`)), timeoutMs);
      child.once('message', (m: ChildMessage<R>) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${modulePath} exited (${signal ?? code}) without an answer:\n${output.slice(-4000)}`));
      });
      child.send(task as object);
    });
    if (!message.ok) throw new Error(`${modulePath} failed: ${message.error}`);
    return message.result;
  } finally {
    await res.stop(child);
  }
}
