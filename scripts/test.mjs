// `npm test`: lint, type-check, build, then unit + integration tests (node --test), then the
// end-to-end suite in a real VS Code, the newest and the oldest it supports. The e2e needs Chromium; without it they are skipped loudly,
// unless E2E_REQUIRED=1 (set by .ci/run), which turns a skip into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--no-e2e');
const onlyE2E = args.has('--e2e-only');

function run(title, command, commandArgs, env = {}) {
  console.log(`\n[test] ${title}: ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`[test] ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const npx = 'npx';
if (!onlyE2E) {
  run('lint', npx, ['eslint', 'src', 'webview', 'test', 'scripts']);
  run('type-check', npx, ['tsc', '--noEmit', '-p', '.']);
  run('type-check webview', npx, ['tsc', '--noEmit', '-p', 'webview']);
  run('build', 'node', ['scripts/build.mjs']);
  run('unit and integration tests', 'node', ['--test', '--test-concurrency=2', 'out/test/unit', 'out/test/integration']);
  run('benchmark smoke run (asserts nothing about time)', 'node', ['scripts/bench.mjs', '--quick']);
}

if (quick) process.exit(0);

const chromium = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const message = `[test] E2E SKIPPED: no Chromium at ${chromium}. Install Debian's chromium (apt-get install chromium) to run the real VS Code tests.`;
  if (process.env.E2E_REQUIRED === '1') {
    console.error(`${message}\n[test] E2E_REQUIRED=1: a skipped e2e is a failure.`);
    process.exit(1);
  }
  console.warn(`\n${'!'.repeat(100)}\n${message}\n${'!'.repeat(100)}`);
  process.exit(0);
}
run('package the extension', 'npm', ['run', 'package', '--silent']);
// The whole suite in the newest VS Code and in the floor of engines.vscode (about 4-5 minutes each);
// E2E_VSCODE=newest|floor runs only that one.
const versions = process.env.E2E_VSCODE ? [process.env.E2E_VSCODE] : ['newest', 'floor'];
run('code-server', 'node', ['scripts/setup-code-server.mjs', versions.length > 1 ? 'all' : versions[0]]);
if (onlyE2E) run('build tests', 'node', ['scripts/build.mjs', '--only=tests']);
for (const version of versions) {
  run(`end-to-end tests in code-server + Chromium, ${version} VS Code`, 'node', ['--test', '--test-concurrency=1', 'out/test/e2e'], { E2E_VSCODE: version });
}
