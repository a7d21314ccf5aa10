// The mail service's background state, shared by the frame (the outbox
// count beside "Mail") and the mail area: the last status and the sync in
// progress, kept current from the service's events.
import type { app } from '../../../wailsjs/go/models';
import { Status } from '../../../wailsjs/go/app/MailAccounts';
import { EventsOn } from '../../../wailsjs/runtime/runtime';

export interface SyncProgress {
  accountId: number;
  folder: string;
  done: number;
  total: number;
}

export const mailState = $state({
  status: { syncing: false, lastSync: '', errors: {}, outbox: 0 } as app.MailStatus,
  /** The folder being copied, while a sync runs. */
  progress: null as SyncProgress | null,
  /** Bumped whenever the background work changed something worth reloading. */
  version: 0,
});

// Counts mail:changed events, so that a Status answer overtaken by an event
// does not put an older state back.
let events = 0;

export async function refreshMailStatus() {
  const before = events;
  try {
    const s = await Status();
    if (events === before) mailState.status = s;
  } catch {
    // Locked or closing: the next event brings the status.
  }
}

/** Follows the mail service's events; returns the function that stops. */
export function watchMail(): () => void {
  refreshMailStatus();
  const offProgress = EventsOn('mail:progress', (p: SyncProgress) => {
    mailState.progress = p.total > 0 && p.done < p.total ? p : null;
  });
  const offChanged = EventsOn('mail:changed', (s: app.MailStatus) => {
    events++;
    // Sent at the end of a round: whatever the snapshot says, that round is over.
    mailState.status = { ...s, syncing: false } as app.MailStatus;
    mailState.progress = null;
    mailState.version++;
  });
  return () => {
    offProgress();
    offChanged();
  };
}
