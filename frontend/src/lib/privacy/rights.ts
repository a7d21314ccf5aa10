// What the contact page and the requests register share to answer a
// person's rights: the access bundle (Art. 15 and 20).
import { t } from '../i18n.svelte';
import { ExportSubject } from '../../../wailsjs/go/app/Rights';
import type { core } from '../../../wailsjs/go/models';

/** The sentence saying where the bundle went and what it holds. */
export function exportedSentence(x: core.SubjectExport): string {
  return t('rights.exported', { path: x.path, count: x.files, messages: x.messages, documents: x.documents });
}

/**
 * Asks where to save the person's access bundle and writes it; requestId
 * names the request it answers (0: none). Resolves to the sentence to show,
 * or '' when the user cancelled the save dialog.
 */
export async function exportSubject(contactId: number, requestId: number): Promise<string> {
  const x = await ExportSubject(contactId, requestId);
  return x.path ? exportedSentence(x) : '';
}

/** The certificate number an erasure wrote into its request's decision ("E-2026-0007"), and the erasure's id in it. */
export function certificateOf(decision: string): { number: string; erasureId: number } | null {
  const m = /^E-\d{4}-(\d{4,})$/.exec(decision.trim());
  return m ? { number: decision.trim(), erasureId: Number(m[1]) } : null;
}
