// `npm run pack:cli`: the command line as a package of its own, dist/gemini-image-studio-cli-<version>.tgz.
// Only the bundles (dist/cli.js, its lazily loaded mcp.js and undici.js), its README and the
// licence: no runtime dependencies, so `npm install -g <tarball>` works offline. Never published
// from here; the extension's .vsix is built separately and does not change.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLI_PACKAGE_NAME = 'gemini-image-studio-cli';
const BUNDLES = ['cli.js', 'mcp.js', 'undici.js'];

const root = join(import.meta.dirname, '..');
const destArg = process.argv.find((a) => a.startsWith('--dest='));
const dest = resolve(root, destArg ? destArg.slice('--dest='.length) : 'dist');
const extension = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Built straight into the stage: dist/cli.js (a test may be running it) is not touched.
const stage = join(dest, `.cli-package-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', '--only=cli,mcp,undici', `--outdir=${stage}`], { cwd: root, stdio: 'inherit' });
chmodSync(join(stage, 'cli.js'), 0o755);
copyFileSync(join(root, 'scripts/cli-package/README.md'), join(stage, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
const manifest = {
  name: CLI_PACKAGE_NAME,
  version: extension.version,
  description: 'gemini-image: docs that make their own images with Google\'s Gemini image models. A command line (check, fill, generate) and an MCP server for any agent.',
  license: extension.license,
  keywords: ['gemini', 'image', 'markdown', 'docs', 'mcp', 'cli'],
  bin: { 'gemini-image': 'cli.js' },
  files: [...BUNDLES, 'README.md', 'LICENSE'],
  engines: { node: '>=20' },
  dependencies: {},
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: stage, encoding: 'utf8' });
rmSync(stage, { recursive: true, force: true });
const [packed] = JSON.parse(out);
console.log(join(dest, packed.filename));
