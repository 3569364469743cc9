// `npm run bench`: the performance figures of issue 6, side by side with the seed-style baseline,
// as a Markdown table (also written to bench-results/latest.md). The scenarios live in test/bench/.
//
//   npm run bench                  full run (about a minute)
//   npm run bench -- --quick       CI smoke run: small images, few runs, asserts nothing about time
//   npm run bench -- --no-build    reuse dist/ (the production bundle and .vsix) as it is
//   npm run bench -- --runs=N      timed runs per contender and image size (default 15)
//   npm run bench -- --strict      exit 1 when a target is missed (full runs only)
//   npm run bench -- --per-image   only the per-image rows (ours / baseline / floor), for iterating
//   npm run bench -- --sizes=B,B   the per-image rows' image sizes in bytes (default 1500000,12000000)
//   npm run bench -- --only=docs   only the docs-images rows (--only=docs-batch: the Batch fill row,
//                                  --only=docs-open: opening a document that links 200 images of 5 MB;
//                                  --only=memory: the stall and peak RSS rows)
//
// The bench's own processes (orchestrator, worker, activation harness, stand-in server) are bundled
// into out/bench/, apart from out/src and out/test, so a concurrent `npm test` rebuilding those (or
// an unrelated test file that does not compile) does not disturb a run. undici stays external: the
// worker loads node_modules/undici exactly as the transpiled client does.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { plainLlhttp, slimUndici } from './undici-plugins.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out', 'bench');
const args = process.argv.slice(2);
const known = /^--(quick|no-build|strict|per-image|runs=\d+|sizes=\d+(,\d+)*|only=(docs|docs-batch|docs-open|memory))$/;
const unknown = args.filter((a) => !known.test(a));
if (unknown.length) {
  console.error(`[bench] unknown argument(s): ${unknown.join(' ')}\nusage: npm run bench -- [--quick] [--no-build] [--runs=N] [--strict] [--per-image] [--sizes=B,B] [--only=docs|docs-batch|docs-open|memory]`);
  process.exit(2);
}
const flag = (name) => args.includes(`--${name}`);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = value('only');
const runs = Number(value('runs')) || undefined;
const sizes = value('sizes')?.split(',').map(Number);

function step(title, command, commandArgs) {
  console.log(`[bench] ${title}: ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    console.error(`[bench] ${title} failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

if (!flag('no-build') && !only) step('production bundle and .vsix', 'npm', ['run', 'package', '--silent']);

console.log('[bench] bundling the bench into out/bench/');
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: {
    run: 'test/bench/run.ts',
    worker: 'test/bench/worker.ts',
    activation: 'test/bench/activation.ts',
    docsWorker: 'test/bench/docsWorker.ts',
    fakeGemini: 'test/support/fakeGemini/cli.ts',
  },
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // The client runs the HTTP stack of dist/undici.js, inlined: undici's whole index (fetch and the
  // rest) loaded instead showed as ~8 MB more peak RSS in a docs fill.
  plugins: [slimUndici(ROOT), plainLlhttp],
  sourcemap: 'inline',
  logLevel: 'warning',
});

const require = createRequire(import.meta.url);
const { main } = require(join(OUT, 'run.js'));
try {
  const code = await main({
    root: ROOT,
    quick: flag('quick'),
    strict: flag('strict'),
    runs,
    sizes,
    perImageOnly: flag('per-image'),
    only,
    modules: { worker: join(OUT, 'worker.js'), activation: join(OUT, 'activation.js'), server: join(OUT, 'fakeGemini.js'), docsWorker: join(OUT, 'docsWorker.js') },
    log: (line) => console.log(line),
  });
  process.exit(code);
} catch (e) {
  console.error(`[bench] failed: ${e?.stack ?? e}`);
  process.exit(1);
}
