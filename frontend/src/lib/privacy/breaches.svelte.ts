// The open 72-hour clocks (Art. 33(1)), shared by the banner shown on every
// screen, the dashboard and the breach register: read again every minute
// and after each save.
import type { breach } from '../../../wailsjs/go/models';
import { Pending as PendingBreaches } from '../../../wailsjs/go/app/Breaches';

export const clocks = $state({ list: [] as breach.Clock[] });

/** Reads the open clocks again; a locked vault or an error leaves the last ones. */
export async function refreshClocks(): Promise<void> {
  try {
    clocks.list = (await PendingBreaches()) ?? [];
  } catch {
    // The banner is a reminder: the register shows the error itself.
  }
}

/** Keeps the clocks fresh while the frame is shown; returns the cleanup. */
export function watchClocks(everyMs = 60_000): () => void {
  refreshClocks();
  const timer = setInterval(refreshClocks, everyMs);
  return () => clearInterval(timer);
}
