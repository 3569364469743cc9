// The docs-images rows of `npm run bench`: a Batch fill of 100 images from a results file of
// 100 x 1.5 MB (peak RSS growth at most 2 images), a Now fill of 100 images at 1 s each and 8 in
// parallel (within 1.2x the ideal 13 s), and the link finder with the diagnostics' analysis on a
// 5,000-line document (under 10 ms an update). The stand-in runs in this process, each fill in a
// fresh child.
import { startFakeGemini } from '../support/fakeGemini';
import { inChild, type Resources } from './children';
import type { DocsResult, DocsTask } from './docsWorker';
import { mb, ms, verdict, type Row } from './report';

const KEY = 'bench-docs-key-4Tz8';

export async function docsRows(res: Resources, worker: string, quick: boolean, log: (line: string) => void, batchOnly = false): Promise<{ rows: Row[]; failures: string[] }> {
  const rows: Row[] = [];
  const failures: string[] = [];
  const imageBytes = 1_500_000;
  const batchCount = quick ? 10 : 100;
  const nowCount = quick ? 16 : 100;
  const parallel = 8;
  const server = await startFakeGemini({ apiKeys: [KEY], recordBodies: false, keepSentImages: false, defaultDelayMs: 1000, batch: { pendingPolls: 1, runningPolls: 1, imageBytes } });
  try {
    log(`[bench] docs: Batch fill of ${batchCount} images of ${mb(imageBytes)} from a streamed results file`);
    // Like the 12 MB reply's row, the median of fresh processes: when the collector runs moves one
    // process's peak by a megabyte or two.
    const growths: number[] = [];
    for (let run = 0; run < (quick ? 1 : 3); run++) {
      const batch = await inChild<DocsResult>(res, worker, { kind: 'batchFill', url: server.url, key: KEY, count: batchCount } satisfies DocsTask, ['--expose-gc'], 600_000);
      if (batch.written !== batchCount) failures.push(`the Batch fill wrote ${batch.written} of ${batchCount} images (${batch.failed} failed)`);
      growths.push(batch.peakGrowthBytes ?? 0);
    }
    const sorted = [...growths].sort((a, b) => a - b);
    const growth = sorted[Math.floor(sorted.length / 2)];
    const runs = growths.length > 1 ? `, median of ${growths.length} fresh processes` : '';
    rows.push({
      scenario: `Docs: Batch fill, ${batchCount} images of ${mb(imageBytes)} from the results file, peak RSS growth${runs}`,
      ours: growths.length > 1 ? `${mb(growth)}, worst ${mb(sorted[sorted.length - 1])}` : mb(growth),
      target: `<= ${mb(2 * imageBytes)} (2 images)`,
      met: verdict(growth <= 2 * imageBytes),
    });
    if (batchOnly) return { rows, failures };

    server.setDefault({ kind: 'image', bytes: 200_000 });
    log(`[bench] docs: Now fill of ${nowCount} images, 1 s each at the stand-in, ${parallel} in parallel`);
    const ideal = Math.ceil(nowCount / parallel) * 1000;
    const now = await inChild<DocsResult>(res, worker, { kind: 'nowFill', url: server.url, key: KEY, count: nowCount, parallel } satisfies DocsTask, [], 600_000);
    if (now.written !== nowCount) failures.push(`the Now fill wrote ${now.written} of ${nowCount} images (${now.failed} failed)`);
    rows.push({ scenario: `Docs: Now fill, ${nowCount} images at 1 s each, ${parallel} in parallel (ideal ${ms(ideal)})`, ours: ms(now.ms), target: `<= ${ms(1.2 * ideal)} (1.2x)`, met: verdict(now.ms <= 1.2 * ideal) });
  } finally {
    await server.close();
  }
  rows.push(await openDocumentRow(res, worker, quick, log, failures));
  log('[bench] docs: link finder and diagnostics analysis on a 5,000-line document');
  const finder = await inChild<DocsResult>(res, worker, { kind: 'linkFinder', lines: 5000, images: 200, updates: quick ? 10 : 50 } satisfies DocsTask);
  rows.push({ scenario: 'Docs: link finder + diagnostics analysis, 5,000 lines with 200 images, per update (median)', ours: ms(finder.medianMs ?? 0), target: '<= 10 ms', met: verdict((finder.medianMs ?? 0) <= 10) });
  return { rows, failures };
}

/** The diagnostics wait this long after an open or an edit before they analyse (docDiagnostics.ts). */
const DIAGNOSTICS_DELAY_MS = 200;

export async function openDocumentRow(res: Resources, worker: string, quick: boolean, log: (line: string) => void, failures: string[]): Promise<Row> {
  const images = quick ? 20 : 200;
  const imageBytes = quick ? 500_000 : 5_000_000;
  log(`[bench] docs: opening a document that links ${images} images of ${mb(imageBytes)}`);
  const open = await inChild<DocsResult>(res, worker, { kind: 'openDocument', images, imageBytes } satisfies DocsTask, ['--expose-gc'], 600_000);
  if (open.images !== images || open.current !== images) failures.push(`opening the document analysed ${open.images} images, ${open.current} current, of ${images}`);
  const shownAfter = open.ms + DIAGNOSTICS_DELAY_MS;
  const growth = open.peakGrowthBytes ?? 0;
  return {
    scenario: `Docs: opening a document that links ${images} images of ${mb(imageBytes)}: peak RSS growth; diagnostics shown after (the analysis + the ${DIAGNOSTICS_DELAY_MS} ms debounce)`,
    ours: `${mb(growth)}; ${ms(shownAfter)}`,
    target: '<= 50 MB; <= 2000 ms',
    met: verdict(growth <= 50e6 && shownAfter <= 2000),
  };
}
