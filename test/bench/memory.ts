// Peak resident memory of this process. Linux lets a process reset its high-water mark (VmHWM) by
// writing 5 to /proc/self/clear_refs, which makes "peak during this request" exact; elsewhere the
// lifetime peak from getrusage is used (an upper bound once a warm-up stayed small).
import { readFileSync, writeFileSync } from 'node:fs';

const KB = 1024;

function vmHwm(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * KB : undefined;
  } catch {
    return undefined;
  }
}

export interface PeakTracker {
  source: 'VmHWM' | 'maxRSS';
  /** The peak RSS since the tracker was made (bytes). */
  peak(): number;
}

/** Starts tracking the peak from now. */
export function trackPeak(): PeakTracker {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    const after = vmHwm();
    // The reset worked if the mark is now close to the current RSS.
    if (after !== undefined && after <= process.memoryUsage.rss() + 4 * 1024 * KB) {
      return { source: 'VmHWM', peak: () => vmHwm() ?? process.resourceUsage().maxRSS * KB };
    }
  } catch {
    // Not Linux, or not allowed.
  }
  return { source: 'maxRSS', peak: () => process.resourceUsage().maxRSS * KB };
}
