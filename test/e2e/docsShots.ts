// Screenshots the README shows: always saved under test/e2e/screenshots/, and into docs/ when
// E2E_DOCS_SCREENSHOTS=1 (to retake the committed ones).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT, SCREENSHOT_DIR } from './harness';

export type Box = { x: number; y: number; width: number; height: number };

export async function docsShot(target: Page | Locator, name: string, clip?: Box): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (clip) await (target as Page).screenshot({ path, clip });
  else await target.screenshot({ path });
  if (process.env.E2E_DOCS_SCREENSHOTS === '1') copyFileSync(path, join(ROOT, 'docs', `${name}.png`));
  return path;
}

/** The smallest box holding all of these, with a margin, cut to `within` (a webview's visible area). */
export function around(boxes: (Box | null)[], within: Box | null, margin = 8): Box {
  const present = boxes.filter((b): b is Box => !!b);
  const limit = within ?? { x: 0, y: 0, width: Infinity, height: Infinity };
  const left = Math.max(limit.x, Math.min(...present.map((b) => b.x)) - margin);
  const top = Math.max(limit.y, Math.min(...present.map((b) => b.y)) - margin);
  const right = Math.min(limit.x + limit.width, Math.max(...present.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(limit.y + limit.height, Math.max(...present.map((b) => b.y + b.height)) + margin);
  return { x: left, y: top, width: right - left, height: bottom - top };
}
