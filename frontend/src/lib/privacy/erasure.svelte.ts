// The erasure screen of the privacy area (Art. 17): which person, from
// which request, and once carried out its result. It lives here rather
// than in the screen so that switching areas never loses a certificate
// that has not been saved yet.
import { t } from '../i18n.svelte';
import { askConfirm } from '../ui/dialogs.svelte';
import { nav, openContact } from '../nav.svelte';
import type { rights } from '../../../wailsjs/go/models';

export interface ErasureStart {
  contactId: number;
  /** The erasure request it answers, 0 if none; the backend closes it as done. */
  requestId: number;
  /** The requester as the request names them, captured before erasing blanks it. */
  requester: string;
  receivedOn: string;
  /** Where Back and Close lead. */
  from: 'contact' | 'requests';
}

export interface ErasureResult {
  id: number;
  certificate: string;
  erasedAt: string;
  plan: rights.Plan;
}

export const erasure = $state({
  current: null as ErasureStart | null,
  result: null as ErasureResult | null,
  /** Who the certificate is addressed to. */
  addressedTo: '',
  /** Where the certificate was saved, '' until it is. */
  certificatePath: '',
  /** The day each recipient was told (Art. 19), by name. */
  informed: {} as Record<string, string>,
});

/** Opens the erasure screen for a contact (its preview first). */
export function openErasure(start: ErasureStart) {
  erasure.current = { ...start };
  erasure.result = null;
  erasure.addressedTo = erasure.certificatePath = '';
  erasure.informed = {};
  nav.area = 'privacy';
}

/**
 * Leaves the erasure screen. A carried-out erasure whose certificate was not
 * saved asks first: the person may be owed it. Returns false when the user
 * stays.
 */
export async function leaveErasure(to: 'back' | 'tab' = 'back'): Promise<boolean> {
  const cur = erasure.current;
  if (!cur) return true;
  const r = erasure.result;
  if (r && !erasure.certificatePath && !(await askConfirm(t('rights.erasure.close_unsaved'), t('rights.erasure.close_anyway'), true))) return false;
  erasure.current = null;
  erasure.result = null;
  if (to === 'tab') return true;
  if (cur.from === 'requests') {
    nav.privacyTab = 'requests';
  } else if (r) {
    nav.area = 'contacts';
    nav.view = 'contacts';
    nav.contactId = 0;
  } else {
    openContact(cur.contactId);
  }
  return true;
}
