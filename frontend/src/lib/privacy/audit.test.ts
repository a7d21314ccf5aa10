import { describe, expect, it } from 'vitest';
import { locale } from '../i18n.svelte';
import en from '../../locales/en.json';
import fr from '../../locales/fr.json';

const bundles: Record<string, Record<string, string>> = { en, fr };
import { actionFilters, auditSentence, fieldList } from './audit';
import { addMonths, chainSentence, countdown, daysBetween, requestDue } from './format';
import { privacy } from '../../../wailsjs/go/models';

const purposes = [privacy.Purpose.createFrom({ id: 3, key: 'newsletter', name: 'Newsletter', lawfulBasis: 'consent' })];

function entry(action: string, detail: Record<string, unknown> = {}, subjectId = 7): privacy.AuditEntry {
  return privacy.AuditEntry.createFrom({ id: 1, at: '2026-03-02T10:00:00Z', actor: 'hélène', action, subjectKind: 'contact', subjectId, detail });
}

// Every action the backend writes (app/*.go, backend/privacy/*.go).
const actions: [string, Record<string, unknown>][] = [
  ['vault.unlock', {}],
  ['contact.view', {}],
  ['contact.create', {}],
  ['contact.edit', { fields: ['familyName'] }],
  ['contact.delete', {}],
  ['contact.restore', {}],
  ['contact.merge', { merged: 9 }],
  ['export.contacts', { format: 'csv', count: 12 }],
  ['import.contacts', { format: 'vcard', count: 2, new: 1, updated: 1, refused: 0 }],
  ['export.register', { format: 'pdf' }],
  ['consent.grant', { purpose: 'newsletter', channel: 'email', method: 'form', entry: 1 }],
  ['consent.refuse', { purpose: 'newsletter', channel: 'phone', method: 'phone', entry: 2 }],
  ['consent.withdraw', { purpose: 'newsletter', channel: 'email', method: 'email', entry: 3 }],
  ['purpose.create', {}],
  ['purpose.edit', {}],
  ['purpose.delete', {}],
  ['privacy.profile', {}],
  ['contact.reveal', { field: 4 }],
  ['field.save', { sensitive: true }],
  ['field.delete', {}],
  ['export.document', { format: 'pdf' }],
  ['export.contacts', { format: 'vcard', count: 3, sensitive: true }],
  ['request.create', { kind: 'access', status: 'open', extension: 0, contact: 0, idCheck: '' }],
  ['request.update', { kind: 'erasure', status: 'refused', extension: 1, contact: 3, idCheck: 'verified' }],
  ['contact.restrict', { until: '2027-01-31' }],
  ['contact.unrestrict', {}],
  ['contact.object', { purpose: 'newsletter', addresses: 2 }],
  ['contact.erase', { certificate: 'E-2026-0007', messages: 3, request: 4 }],
  ['export.subject_access', { files: 9, messages: 3, documents: 1, request: 4 }],
  ['export.erasure_certificate', { certificate: 'E-2026-0007' }],
];

describe('audit sentences', () => {
  for (const lang of ['en', 'fr']) {
    it(`read every action the backend writes as a sentence, with no code or placeholder left (${lang})`, () => {
      locale.lang = lang;
      for (const [action, detail] of actions) {
        const s = auditSentence(entry(action, detail, 3), purposes);
        expect(s, action).not.toContain(action);
        expect(s, action).not.toMatch(/[{}]/);
      }
    });
  }

  it('names the purpose, the channel and the method of a consent', () => {
    locale.lang = 'en';
    expect(auditSentence(entry('consent.grant', { purpose: 'newsletter', channel: 'email', method: 'form' }), purposes)).toBe(
      'Recorded a consent to “Newsletter” (E-mail, Web form)',
    );
    locale.lang = 'fr';
    expect(auditSentence(entry('export.contacts', { format: 'csv', count: 1 }), purposes)).toBe('A exporté 1 contact (CSV)');
  });

  it('names a custom field, and says when an export carried sensitive fields', () => {
    locale.lang = 'en';
    const fields = [{ id: 4, name: 'Allergies' }];
    expect(auditSentence(entry('contact.reveal', { field: 4 }), purposes, fields)).toBe('Showed a sensitive field: Allergies');
    expect(auditSentence(entry('field.save', { sensitive: true }, 4), purposes, fields)).toBe('Saved the sensitive contact field “Allergies” (Art. 9)');
    expect(auditSentence(entry('export.contacts', { format: 'csv', count: 2, sensitive: true }), purposes)).toBe('Exported 2 contacts (CSV), sensitive fields included');
  });

  it('names the certificate of an erasure and counts the files of an access bundle', () => {
    locale.lang = 'en';
    expect(auditSentence(entry('contact.erase', { certificate: 'E-2026-0007', messages: 3 }), purposes)).toBe('Erased the person (certificate E-2026-0007)');
    expect(auditSentence(entry('contact.object', { purpose: 'newsletter', addresses: 2 }), purposes)).toBe('Recorded an objection to “Newsletter” (suppression list)');
    locale.lang = 'fr';
    expect(auditSentence(entry('export.subject_access', { files: 9, messages: 3, documents: 1 }), purposes)).toBe(
      'A exporté les données de la personne (dossier d’accès, 9 fichiers)',
    );
  });

  it('shows an unknown action by its code rather than nothing', () => {
    locale.lang = 'en';
    expect(auditSentence(entry('mail.send'), purposes)).toBe('Action “mail.send”');
  });

  it('lists the fields an edit changed, without the dates the software keeps', () => {
    locale.lang = 'en';
    expect(fieldList(['emails', 'updatedAt', 'familyName', 'shoeSize'])).toBe('E-mail address, Last name, shoeSize');
    expect(auditSentence(entry('contact.edit', { fields: ['updatedAt'] }), purposes)).toBe('Saved the contact without changes');
  });
});

describe('chain sentences', () => {
  it('say intact with the count, or name the first broken entry', () => {
    locale.lang = 'en';
    const at = '2026-03-02T10:00:00Z';
    expect(chainSentence(privacy.ChainStatus.createFrom({ entries: 2, ok: true, brokenAt: 0, reason: '', checkedAt: at }))).toMatch(/^Chain intact: 2 entries, checked on /);
    expect(chainSentence(privacy.ChainStatus.createFrom({ entries: 5, ok: false, brokenAt: 5, reason: 'hash', checkedAt: at }))).toMatch(/^Chain broken at entry #5: this entry was changed/);
    locale.lang = 'fr';
    expect(chainSentence(privacy.ChainStatus.createFrom({ entries: 5, ok: false, brokenAt: 4, reason: 'link', checkedAt: at }))).toMatch(/^Chaîne rompue à l’entrée n° 4 : une entrée antérieure/);
  });
});

describe('request deadlines', () => {
  it('count calendar months as the backend does: same day, or the last day of a shorter month', () => {
    expect(requestDue('2026-03-10', 0)).toBe('2026-04-10');
    expect(requestDue('2026-01-31', 0)).toBe('2026-02-28');
    expect(requestDue('2028-01-31', 0)).toBe('2028-02-29');
    expect(requestDue('2026-01-31', 2)).toBe('2026-04-30');
    expect(requestDue('2026-11-15', 1)).toBe('2027-01-15');
    expect(addMonths('not a date', 1)).toBe('');
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
  });

  it('say how long is left, and mark the late and the urgent ones', () => {
    locale.lang = 'en';
    expect(countdown(12)).toEqual({ text: '12 days left', level: '' });
    expect(countdown(3)).toEqual({ text: '3 days left', level: 'soon' });
    expect(countdown(0)).toEqual({ text: 'due today', level: 'soon' });
    expect(countdown(-1)).toEqual({ text: '1 day overdue', level: 'late' });
  });
});

// The actions the backend writes, read from its Go sources: a new action
// without a sentence fails here, not in front of an inspector.
// Node's fs, read by hand (the app's tsconfig has no Node types, and Vite
// will not import files outside the frontend).
interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
  readdirSync(path: string, opts: { recursive: true; encoding: 'utf8' }): string[];
}
const nodeFs = 'node:fs';
const fs: Fs = await import(/* @vite-ignore */ nodeFs);

describe('audit actions written by the backend', () => {
  // Vitest runs in frontend/.
  const backend = '../backend/';
  const sources: Record<string, string> = {};
  for (const f of fs.readdirSync(backend, { recursive: true, encoding: 'utf8' })) {
    if (f.endsWith('.go') && !f.endsWith('_test.go')) sources[f] = fs.readFileSync(backend + f, 'utf8');
  }
  const patterns = [
    // c.audit(ctx, "x.y", …), s.Log(ctx, actor, "x.y", …), privacy.LogTx(ctx, tx, now, actor, "x.y", …), c.writeExport(ctx, path, data, "x.y", …)
    /\b(?:audit|Log|LogTx|logTx|writeExport)\((?:[^()"\n]|\([^()\n]*\))*"([a-z_]+\.[a-z_.]+)"/g,
    // entry{"x.y", …} (core's file exports)
    /\bentry\{"([a-z_]+\.[a-z_.]+)"/g,
    // action = "x.y"; action, detail := "x.y"; action, detail["fields"] = "x.y"
    /\baction(?:, [a-z]+(?:\["[a-z]+"\])?)? :?= "([a-z_]+\.[a-z_.]+)"/g,
    // a table of milestones: {"breach.notify", field(…), …}
    /\{"([a-z_]+\.[a-z_.]+)", field\(/g,
  ];
  const written = new Set<string>();
  for (const text of Object.values(sources)) for (const re of patterns) for (const m of text.matchAll(re)) written.add(m[1]);
  // "consent." + the ledger's action (backend/privacy/ledger.go).
  for (const a of ['grant', 'refuse', 'withdraw']) written.add(`consent.${a}`);

  it('are found in the Go sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    for (const a of ['vault.unlock', 'contact.erase', 'breach.create', 'breach.notify', 'request.create', 'export.document', 'backup.write']) {
      expect(written, a).toContain(a);
    }
  });

  for (const [lang, bundle] of Object.entries(bundles)) {
    it(`each have a sentence (${lang})`, () => {
      const has = (a: string) => ['', '_one', '_other'].some((s) => `privacy.audit.action.${a}${s}` in bundle);
      expect([...written].filter((a) => !has(a))).toEqual([]);
      locale.lang = lang;
      for (const a of written) expect(auditSentence(entry(a, { count: 2 }), purposes), a).not.toMatch(/[{}]/);
    });
  }

  it('each fall in a family of the action filter', () => {
    expect([...written].filter((a) => !actionFilters.some((f) => a.startsWith(f)))).toEqual([]);
  });
});
