// The GitHub Action (action.yml) as a runner runs it: a fresh clone of this repository (no
// node_modules), each step's `run:` line executed with bash, its `env:` filled from the inputs the
// way the runner maps `${{ inputs.x }}`, in a docs repository, against the stand-in.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { KEY } from '../support/docsTree';
import { startFakeGemini, type FakeGemini } from '../support/fakeGemini';
import { tempDir } from '../support/tempWorkspace';

const ROOT = path.resolve(__dirname, '../../..');
const dir = tempDir('gis-action-');
const clone = path.join(dir.path, 'action');
const workspace = path.join(dir.path, 'docs-repo');
let fake: FakeGemini;

interface Step {
  run: string;
  env: Record<string, string>;
}

/** The composite steps: each `run:` with its `env:` lines, `${{ inputs.x }}` left to fill. */
function steps(yml: string): Step[] {
  const out: Step[] = [];
  let current: Step | undefined;
  for (const line of yml.split('\n')) {
    if (/^\s+- name:/.test(line)) out.push((current = { run: '', env: {} }));
    const env = /^\s{8}([A-Z_]+): (.+)$/.exec(line);
    if (current && env) current.env[env[1]] = env[2];
    const run = /^\s+run: (.+)$/.exec(line);
    if (current && run) current.run = run[1];
  }
  return out;
}

/** Async: the stand-in answers from this process's event loop. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const yml = readFileSync(path.join(clone, 'action.yml'), 'utf8');
  const declared = [...yml.matchAll(/^ {2}([a-z-]+):\n {4}description:.*\n(?: {4}required: \w+\n)? {4}default: "?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]] as const);
  const values = Object.fromEntries(declared.map(([name, fallback]) => [name, inputs[name] ?? fallback]));
  let last = { status: 0 as number | null, stdout: '', stderr: '' };
  for (const step of steps(yml)) {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTION_PATH: clone, RUNNER_TEMP: path.join(dir.path, 'runner-temp'), npm_config_prefer_offline: 'true', ...extraEnv };
    for (const [name, value] of Object.entries(step.env)) env[name] = value.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, input: string) => values[input] ?? '');
    last = await bash(step.run, workspace, env);
    if (last.status !== 0) break;
  }
  return { declared: declared.map(([n]) => n), ...last };
}

before(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY] });
  const cloned = spawnSync('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, clone], { encoding: 'utf8' });
  assert.equal(cloned.status, 0, cloned.stderr);
  mkdirSync(path.join(workspace, '.git'), { recursive: true });
  mkdirSync(path.join(workspace, 'docs'), { recursive: true });
  writeFileSync(path.join(workspace, 'docs', 'guide.md'), '# Guide\n\n![a paper boat on a pond, no text](images/boat.png)\n\n![a kite over hills, no text](images/kite.png)\n');
});

after(async () => {
  await fake.close();
  dir.cleanup();
});

test('a fresh clone has no node_modules; check fails on missing images and names them', async () => {
  assert.ok(!existsSync(path.join(clone, 'node_modules')));
  const run = await runAction({ command: 'check', paths: 'docs' });
  assert.deepEqual(run.declared, ['command', 'paths', 'mode', 'max-cost', 'api-key']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /missing docs\/images\/boat\.png {2}\(docs\/guide\.md:3\)/);
  assert.match(run.stdout, /missing docs\/images\/kite\.png/);
  const pinned = JSON.parse(readFileSync(path.join(clone, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  const installed = JSON.parse(readFileSync(path.join(clone, 'node_modules', 'esbuild', 'package.json'), 'utf8')) as { version: string };
  assert.equal(installed.version, pinned.packages['node_modules/esbuild'].version, 'the lockfile\'s build tools, nothing else');
  assert.ok(!existsSync(path.join(clone, 'node_modules', 'typescript')), 'no dev dependencies');
});

test('fill over max-cost sends nothing and fails; fill with the key writes the images; check then passes', async () => {
  const env = { GEMINI_BASE_URL: fake.url, GEMINI_IMAGE_CACHE_DIR: path.join(dir.path, 'cache'), GEMINI_IMAGE_MODEL: 'gemini-3.1-flash-image' };
  const noKey = await runAction({ command: 'fill' }, env);
  assert.equal(noKey.status, 2);
  assert.match(noKey.stdout, /::error::fill needs the api-key input/);
  const over = await runAction({ command: 'fill', mode: 'now', 'max-cost': '0.05', 'api-key': KEY }, env);
  assert.equal(over.status, 1);
  assert.match(over.stderr, /The estimate, \$0\.134, is over the limit of \$0\.05 .*0 of the 2 image\(s\) would fit/);
  assert.equal(fake.requests.length, 0);
  const fill = await runAction({ command: 'fill', mode: 'now', 'api-key': KEY }, env);
  assert.equal(fill.status, 0, fill.stderr);
  assert.ok(existsSync(path.join(workspace, 'docs/images/boat.png')) && existsSync(path.join(workspace, 'docs/images/kite.png')));
  assert.ok(!`${fill.stdout}${fill.stderr}`.includes(KEY));
  assert.equal((await runAction({ command: 'check' })).status, 0);
});
