// What has reached its retention period: swept when the vault is unlocked
// (the frame appears) and once a day while it stays open, shown as a badge
// on the privacy area; the retention view passes on each fresh sweep.
import type { retention } from '../../../wailsjs/go/models';
import { Due as RetentionDue } from '../../../wailsjs/go/app/Retention';

export const due = $state({ now: 0, soon: 0 });

/** Records a sweep's counts (the retention view calls it after each load). */
export function noteSweep(s: retention.Sweep | null): void {
  due.now = s?.dueNow ?? 0;
  due.soon = s?.dueSoon ?? 0;
}

/** Sweeps again; a locked vault or an error keeps the last counts. */
export async function sweepDue(): Promise<void> {
  try {
    noteSweep(await RetentionDue());
  } catch {
    // The retention view shows errors itself.
  }
}

/** Sweeps now and every day while the frame is shown; returns the cleanup. */
export function watchRetention(everyMs = 24 * 60 * 60 * 1000): () => void {
  sweepDue();
  const timer = setInterval(sweepDue, everyMs);
  return () => clearInterval(timer);
}
