// The vault's status as last read from the backend, shared by every screen.
import { Status } from '../../../wailsjs/go/app/Vault';
import type { UserError } from '../errors';

export interface VaultStatus {
  state: 'absent' | 'locked' | 'unlocked' | 'unavailable';
  problem?: UserError;
  mustChangePassphrase: boolean;
  dataDir: string;
  version: string;
  minPassphraseLength: number;
  /** Set when the database is older than its key file records. */
  rollback?: { chain: string; anchoredEntries: number; entries: number };
  /** Set when the last unlock could not apply the record of erasures. */
  erasureRecord?: 'unreadable' | 'rejected';
  /** Set when an action was done but could not be recorded in the audit log: why. */
  notRecorded?: UserError;
}

/** A recovery code just shown that the user has not yet confirmed saving. */
export interface HeldRecovery {
  code: string;
  /** Translation key of the text above the code. */
  intro: string;
}

export const session = $state({
  status: null as VaultStatus | null,
  // Kept here, not in the screen that made it, so that a lock (sleep,
  // screen lock, idle) before the user confirms does not lose it: the old
  // code no longer works. App shows it again after the next unlock.
  heldRecovery: null as HeldRecovery | null,
});

/** Reads the status again from the backend. */
export async function refresh(): Promise<VaultStatus> {
  const s = (await Status()) as VaultStatus;
  session.status = s;
  return s;
}

/** The minimum passphrase length the backend enforces. */
export function minPassphrase(): number {
  return session.status?.minPassphraseLength ?? 10;
}
