// The command line as a package of its own: `npm run pack:cli`'s tarball installs offline into a
// fresh prefix, and the installed `gemini-image` runs check, generate, fill and mcp (the stand-in
// for Google). Its manifest has no dependencies: everything is in the bundles.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readPngMetadata } from '../../src/core/pngMetadata';
import { cliEnv, KEY } from '../support/docsTree';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { tempDir } from '../support/tempWorkspace';

const ROOT = path.resolve(__dirname, '../../..');
const dir = tempDir('gis-package-');
const prefix = path.join(dir.path, 'prefix');
const repo = path.join(dir.path, 'repo');
const bin = path.join(prefix, 'bin', 'gemini-image');
let fake: FakeGemini;
let tarball: string;

before(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY] });
  const printed = execFileSync(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), `--dest=${dir.path}`], { cwd: ROOT, encoding: 'utf8' });
  tarball = printed.trim().split('\n').at(-1)!;
  execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: dir.path, env: { ...process.env, npm_config_cache: path.join(dir.path, 'empty-cache') }, stdio: 'pipe' });
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'docs'), { recursive: true });
  writeFileSync(path.join(repo, 'docs', 'index.md'), '![a paper boat on a pond, no text](images/boat.png)\n');
});

after(async () => {
  await fake.close();
  dir.cleanup();
});

function spawnCollect(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const env = () => cliEnv(fake, path.join(dir.path, 'cache'), { GEMINI_IMAGE_MODEL: 'gemini-3.1-flash-image' });

test('the tarball: the bin, Node 20 or newer, its own README, no dependencies outside the bundles', () => {
  assert.equal(path.basename(tarball), 'gemini-image-studio-cli-0.1.0.tgz');
  const installed = path.join(prefix, 'lib', 'node_modules', 'gemini-image-studio-cli');
  const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(manifest.bin, { 'gemini-image': 'cli.js' });
  assert.deepEqual(manifest.engines, { node: '>=20' });
  assert.deepEqual(manifest.dependencies ?? {}, {});
  assert.equal(manifest.private, undefined);
  assert.deepEqual(readdirSync(installed).sort(), ['LICENSE', 'README.md', 'cli.js', 'mcp.js', 'package.json', 'undici.js']);
  assert.match(readFileSync(path.join(installed, 'README.md'), 'utf8'), /^# gemini-image \(command line and MCP server\)/);
});

test('the installed gemini-image checks a docs folder, generates, fills', async () => {
  const check = await spawnCollect(bin, ['check', 'docs'], repo, env());
  assert.equal(check.code, 1);
  assert.match(check.stdout, /missing docs\/images\/boat\.png {2}\(docs\/index\.md:1\)/);
  const generate = await spawnCollect(bin, ['generate', 'a lighthouse, no text', '--out', 'cover.png', '--size', '512'], repo, env());
  assert.equal(generate.code, 0, generate.stderr);
  assert.equal(readPngMetadata(readFileSync(path.join(repo, 'cover.png')))?.prompt, 'a lighthouse, no text');
  const fill = await spawnCollect(bin, ['fill', 'docs', '--yes', '--mode', 'now'], repo, env());
  assert.equal(fill.code, 0, fill.stderr);
  assert.ok(existsSync(path.join(repo, 'docs/images/boat.png')));
});

test('the installed gemini-image serves MCP over stdio', async () => {
  const transport = new StdioClientTransport({ command: bin, args: ['mcp'], cwd: path.join(repo, 'docs'), env: env() as Record<string, string>, stderr: 'pipe' });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  try {
    assert.equal((await client.listTools()).tools.length, 5);
    const result = (await client.callTool({ name: 'docs_check', arguments: {} })) as { content: { text: string }[] };
    assert.match(result.content[0].text, /^All 1 linked image\(s\) are up to date/);
  } finally {
    await client.close();
  }
});
