// The audit log in plain words: each action code becomes a sentence an
// inspector can read ("Recorded a consent: Newsletter, by e-mail").
import { t } from '../i18n.svelte';
import type { privacy } from '../../../wailsjs/go/models';
import { purposeName, word } from './format';

/** The families of actions the log can be narrowed to (a prefix of the action code). */
export const actionFilters = [
  'contact.',
  'consent.',
  'export.',
  'import.',
  'purpose.',
  'field.',
  'privacy.',
  'request.',
  'retention.',
  'erasure_record.',
  'suppression.',
  'breach.',
  'document.',
  'backup.',
  'vault.',
] as const;

// The contact fields an edit names, as the contact form labels them. Dates
// the software keeps by itself are left out: they change on every save.
const fieldLabels: Record<string, string> = {
  givenName: 'field.givenName',
  familyName: 'field.familyName',
  jobTitle: 'field.jobTitle',
  website: 'field.website',
  birthday: 'field.birthday',
  language: 'field.language',
  notes: 'field.notes',
  owner: 'field.owner',
  relationships: 'field.relationship',
  emails: 'field.email',
  phones: 'field.phone',
  addresses: 'contact.address',
  companies: 'field.company',
  tags: 'field.tags',
  source: 'field.source',
  fields: 'fields.title',
};
const automatic = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt', 'lastInboundAt']);

/** The fields an edit changed, translated, in a readable list. */
export function fieldList(fields: unknown): string {
  if (!Array.isArray(fields)) return '';
  return fields
    .filter((f): f is string => typeof f === 'string' && !automatic.has(f))
    .map((f) => (fieldLabels[f] ? t(fieldLabels[f]) : f))
    .join(', ');
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** A custom contact field by id, as the log names it. */
export interface NamedField {
  id: number;
  name: string;
}

/** One audit entry as a sentence in the user's language. */
export function auditSentence(e: privacy.AuditEntry, purposes: privacy.Purpose[], fields: NamedField[] = []): string {
  const d = e.detail ?? {};
  const fieldId = e.action === 'contact.reveal' ? Number(d.field) : e.subjectId;
  const params: Record<string, unknown> = {
    id: e.subjectId,
    field: fields.find((f) => f.id === fieldId)?.name ?? t('privacy.audit.field_no', { id: fieldId }),
    purpose: purposeName(purposes, str(d.purpose)),
    channel: word('privacy.channel', str(d.channel)),
    method: word('privacy.method', str(d.method)),
    format: str(d.format).toUpperCase(),
    merged: str(d.merged),
    name: purposes.find((p) => p.id === e.subjectId)?.name ?? `#${e.subjectId}`,
    kind: word('privacy.request.kind', str(d.kind)),
    status: word('privacy.request.status', str(d.status)),
    certificate: str(d.certificate),
    reapplies: str(d.reapplies),
  };
  if (typeof d.count === 'number') params.count = d.count;
  // An access bundle counts its files.
  if (e.action === 'export.subject_access' && typeof d.files === 'number') params.count = d.files;
  let key = `privacy.audit.action.${e.action}`;
  if (e.action === 'export.contacts' && d.sensitive === true) key = 'privacy.audit.action.export.contacts_sensitive';
  if (e.action === 'field.save' && d.sensitive === true) key = 'privacy.audit.action.field.save_sensitive';
  // An erasure carried out again on a restored older backup.
  if (e.action === 'contact.erase' && d.reapplies) key = 'privacy.audit.action.contact.erase_again';
  if (e.action === 'contact.edit') {
    params.fields = fieldList(d.fields);
    if (!params.fields) key = 'privacy.audit.action.contact.edit_nothing';
  }
  const text = t(key, params);
  return text === key ? t('privacy.audit.action.other', { action: e.action }) : text;
}
