// A docs tree with image links for the fill tests, the CLI run as a child process, and the
// stand-in those test files share.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { startFakeGemini, type FakeBatchOptions, type FakeGemini } from './fakeGemini';
import { tempDir } from './tempWorkspace';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');
export const KEY = 'sk-test-DOCS-2f8c91d4e7';

export interface DocsTree {
  root: string;
  /** relPath -> prompt */
  images: Map<string, string>;
}

/** `count` images over a few pages, each with its own prompt; every 5th has a comment with options. */
export function writeDocsTree(root: string, count: number, tag = ''): DocsTree {
  mkdirSync(path.join(root, '.git'), { recursive: true });
  const images = new Map<string, string>();
  const pages = Math.max(1, Math.ceil(count / 10));
  for (let p = 0; p < pages; p++) {
    const lines = [`# Page ${p}`, ''];
    for (let i = p * 10; i < Math.min(count, (p + 1) * 10); i++) {
      const rel = `docs/images/page-${p}/figure ${i}.png`;
      const prompt = `figure ${i} of page ${p}${tag}, a small watercolor`;
      if (i % 5 === 4) lines.push('<!-- gemini-image', `${prompt}`, 'aspect-ratio: 16:9', '-->', `![figure ${i}](<images/page-${p}/figure ${i}.png>)`, '');
      else lines.push(`Text before ![${prompt}](images/page-${p}/figure%20${i}.png) and after.`, '');
      images.set(rel, prompt);
    }
    lines.push('```md', '![not an image](images/in-code.png)', '```', '');
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    writeFileSync(path.join(root, 'docs', `page-${p}.md`), lines.join('\n'));
  }
  return { root, images };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(fake: FakeGemini, cacheDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    GEMINI_API_KEY: KEY,
    GEMINI_BASE_URL: fake.url,
    GEMINI_IMAGE_CACHE_DIR: cacheDir,
    GEMINI_IMAGE_POLL_MS: '20',
    ...extra,
  };
}

export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return startCli(args, cwd, env).done;
}

/** The creates the stand-in saw since `from` (an index into fake.requests). */
export function createCalls(fake: FakeGemini, from = 0): number {
  return fake.requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith(':batchGenerateContent')).length;
}

/** key -> decoded image bytes, from every results file the stand-in made. */
export function resultsByKey(fake: FakeGemini): Map<string, Buffer[]> {
  const out = new Map<string, Buffer[]>();
  for (const file of fake.files.values()) {
    if (!file.name.startsWith('files/batch-')) continue;
    for (const line of file.bytes.toString('utf8').split('\n')) {
      if (!line) continue;
      const { key, response } = JSON.parse(line) as { key: string; response?: { candidates: { content: { parts: { inlineData?: { data: string } }[] } }[] } };
      const data = response?.candidates[0].content.parts.find((p) => p.inlineData)?.inlineData?.data;
      if (data) out.set(key, [...(out.get(key) ?? []), Buffer.from(data, 'base64')]);
    }
  }
  return out;
}

/** The stand-in of a CLI test file, with its batch modes cleared before each test. */
export let fake: FakeGemini;
export const batch: FakeBatchOptions = {};
const dirs: { cleanup(): void }[] = [];

export function useDocsStandIn(): void {
  before(async () => {
    fake = await startFakeGemini({ apiKeys: [KEY], batch });
  });
  after(async () => {
    await fake.close();
    dirs.forEach((d) => d.cleanup());
  });
  beforeEach(() => {
    fake.reset();
    for (const k of Object.keys(batch)) delete batch[k as keyof FakeBatchOptions];
  });
}

/** A repository of `count` missing images in a fresh folder, with its own cache folder for the CLI. */
export function docsWorkspace(prefix: string, count: number): DocsTree & { cache: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir(prefix);
  dirs.push(dir);
  const tree = writeDocsTree(path.join(dir.path, 'repo'), count);
  const cache = path.join(dir.path, 'cache');
  return { ...tree, cache, env: cliEnv(fake, cache) };
}
