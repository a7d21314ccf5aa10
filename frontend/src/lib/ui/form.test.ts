import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '../i18n.svelte';
import { formState } from './form.svelte';

// What a bound method rejects with: the JSON of core.UserError.
const rejection = (key: string, params?: Record<string, unknown>) => JSON.stringify({ key, params });

afterEach(() => {
  document.body.innerHTML = '';
  locale.lang = 'en';
});

describe('formState', () => {
  it('is busy while the action runs, then leaves its notice', async () => {
    const f = formState();
    let release!: () => void;
    const running = f.run(() => new Promise<number>((ok) => (release = () => ok(7))), { notice: (n) => `saved ${n}` });
    expect(f.busy).toBe(true);
    release();
    expect(await running).toBe(7);
    expect(f.busy).toBe(false);
    expect(f.notice).toBe('saved 7');
    expect(f.error).toBe('');
  });

  it('ignores a second submit while the first runs', async () => {
    const f = formState();
    let calls = 0;
    const first = f.run(async () => ++calls);
    const second = await f.run(async () => ++calls);
    await first;
    expect(second).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('turns the backend’s error into a sentence in Carnet’s language and clears it on the next try', async () => {
    const f = formState();
    locale.lang = 'fr';
    expect(await f.run(() => Promise.reject(new Error(rejection('error.no_requester'))))).toBeUndefined();
    expect(f.error).toBe('Indiquez qui a fait la demande, ou rattachez-la à un contact.');
    expect(f.errorKey).toBe('error.no_requester');
    expect(f.busy).toBe(false);
    await f.run(async () => 1, { notice: 'ok' });
    expect(f.error).toBe('');
    expect(f.notice).toBe('ok');
  });

  it('moves the focus to the field an error key is about', async () => {
    document.body.innerHTML = '<input id="rq-requester"><input id="rq-kind">';
    const f = formState({ fields: { 'error.no_requester': 'rq-requester' } });
    await f.run(() => Promise.reject(rejection('error.no_requester')));
    expect(f.field).toBe('rq-requester');
    expect(f.errorFor('rq-requester')).toContain('request');
    expect(f.errorFor('rq-kind')).toBe('');
    expect(document.activeElement?.id).toBe('rq-requester');
  });

  it('marks the field invalid and described by the message, and forgets it on the next try', async () => {
    document.body.innerHTML = '<form><input id="pe-name" aria-describedby="pe-name-help"><p class="error" role="alert">x</p></form><input id="other">';
    const f = formState({ fields: { 'error.purpose_name': 'pe-name' } });
    await f.run(() => Promise.reject(rejection('error.purpose_name')));
    const el = document.getElementById('pe-name')!;
    expect(el.getAttribute('aria-invalid')).toBe('true');
    expect(el.getAttribute('aria-describedby')).toBe('pe-name-error pe-name-help');
    expect(document.getElementById('pe-name-error')?.textContent).toBe('x');
    await f.run(() => Promise.resolve(1));
    expect(el.hasAttribute('aria-invalid')).toBe(false);
    expect(el.getAttribute('aria-describedby')).toBe('pe-name-help');
  });

  it('moves the focus to the field the error names itself', async () => {
    document.body.innerHTML = '<input id="rp-trashDays">';
    const f = formState({ fieldPrefix: 'rp-' });
    await f.run(() => Promise.reject(rejection('retention.error.range', { field: 'trashDays', min: 1, max: 365 })));
    expect(f.error).toBe('This period must be between 1 and 365.');
    expect(document.activeElement?.id).toBe('rp-trashDays');
  });

  it('leaves the focus alone when the error is about the whole form', async () => {
    document.body.innerHTML = '<input id="a"><button id="b">go</button>';
    (document.getElementById('b') as HTMLButtonElement).focus();
    const f = formState({ fields: { 'error.other': 'a' } });
    await f.run(() => Promise.reject(new Error('disk full')));
    expect(f.error).toBe('Something went wrong: disk full');
    expect(f.field).toBe('');
    expect(document.activeElement?.id).toBe('b');
  });

  it('shows a check the form made itself like a backend error', async () => {
    document.body.innerHTML = '<input id="until">';
    const f = formState({ fields: (e) => (e.key === 'error.invalid_date' ? 'until' : undefined) });
    await f.fail({ key: 'error.invalid_date' });
    expect(f.field).toBe('until');
    expect(document.activeElement?.id).toBe('until');
  });
});
