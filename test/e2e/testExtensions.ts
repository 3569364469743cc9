// Test-only extensions for the e2e code-server, packaged on the fly from their folders under
// test/e2e (they are not in .vscodeignore's list, so the shipped package never holds them).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness';

/** Packages test/e2e/<folder> into `outDir` and returns the .vsix path. */
export function packageTestExtension(folder: string, outDir: string): string {
  const out = join(outDir, `${folder}.vsix`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], {
    cwd: join(ROOT, 'test', 'e2e', folder),
    stdio: 'pipe',
    timeout: 120_000,
  });
  return out;
}
