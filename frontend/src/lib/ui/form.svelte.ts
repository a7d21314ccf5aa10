// The state of a form or of an action behind a button: whether it runs, the
// error it ended with and the notice it left. One way for every form, so that
// a double click never sends twice, an error always reads in the person's
// language (lib/errors.ts) and, when the backend's UserError is about one
// field, the focus lands on that field with the message beside it.
import { tick } from 'svelte';
import { describe, toUserError, type UserError } from '../errors';

/**
 * Which field an error is about: a map from error keys to field ids, or a
 * function of the error (for a key whose field depends on what was typed).
 */
export type FieldOf = Record<string, string> | ((e: UserError) => string | undefined);

export interface FormOptions {
  /** The field an error key is about. */
  fields?: FieldOf;
  /** When the error names its field (params.field, as the retention policy's
   * range errors do), the field's id is this prefix and that name. */
  fieldPrefix?: string;
}

export class FormState {
  /** An action is running: buttons disable, a second submit is ignored. */
  busy = $state(false);
  /** The message of the last failure, in the interface language; '' after a success. */
  error = $state('');
  /** The key of the last failure's UserError ('' when none), for forms that react to one. */
  errorKey = $state('');
  /** The id of the field the last failure is about; '' when it is about the whole form. */
  field = $state('');
  /** What the last success left to say ("Saved.", a file's path); '' when nothing. */
  notice = $state('');

  #opts: FormOptions;
  /** The field marked invalid by the last failure, and the message id added to its description. */
  #marked: { el: HTMLElement; by: string } | null = null;

  constructor(opts: FormOptions = {}) {
    this.#opts = opts;
  }

  /**
   * Runs an action: busy while it runs, error and notice cleared first.
   * A rejection becomes `error` (and `field`, with the focus moved there);
   * a success sets `notice` from the option, a string or made from the
   * result. Returns the result, or undefined when it failed or when an
   * action of this form was already running.
   */
  async run<T>(action: () => Promise<T>, opts: { notice?: string | ((v: T) => string) } = {}): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.clear();
    try {
      const v = await action();
      if (opts.notice) this.notice = typeof opts.notice === 'function' ? opts.notice(v) : opts.notice;
      return v;
    } catch (e) {
      await this.fail(e);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Shows a failure (a rejected bound call, or a UserError the form made itself) and focuses its field. */
  async fail(e: unknown): Promise<void> {
    const ue = isUserError(e) ? e : toUserError(e);
    this.error = describe(ue);
    this.errorKey = ue.key;
    this.notice = '';
    this.unmark();
    this.field = this.fieldOf(ue);
    if (!this.field) return;
    // The message beside the field renders first, then the focus moves.
    await tick();
    if (typeof document === 'undefined') return;
    const el = document.getElementById(this.field);
    if (!el) return;
    this.mark(el);
    el.focus();
  }

  /** Forgets the last error and notice. */
  clear(): void {
    this.error = this.errorKey = this.field = this.notice = '';
    this.unmark();
  }

  // A screen reader hears what is wrong with the field it lands on: the
  // field says it is invalid and is described by the message — the one
  // beside it (id "<field>-error"), else the form's own alert.
  private mark(el: HTMLElement): void {
    el.setAttribute('aria-invalid', 'true');
    const msg = document.getElementById(`${el.id}-error`) ?? el.closest('form')?.querySelector<HTMLElement>('.error[role=alert]');
    if (!msg) return void (this.#marked = { el, by: '' });
    if (!msg.id) msg.id = `${el.id}-error`;
    const by = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    if (!by.includes(msg.id)) el.setAttribute('aria-describedby', [msg.id, ...by].join(' '));
    this.#marked = { el, by: msg.id };
  }

  private unmark(): void {
    const m = this.#marked;
    this.#marked = null;
    if (!m) return;
    m.el.removeAttribute('aria-invalid');
    if (!m.by) return;
    const by = (m.el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== m.by);
    if (by.length) m.el.setAttribute('aria-describedby', by.join(' '));
    else m.el.removeAttribute('aria-describedby');
  }

  /** The error's message when it is about this field (for a message shown beside it). */
  errorFor(id: string): string {
    return this.field === id ? this.error : '';
  }

  private fieldOf(ue: UserError): string {
    const f = this.#opts.fields;
    const mapped = typeof f === 'function' ? f(ue) : f?.[ue.key];
    if (mapped) return mapped;
    const named = ue.params?.field;
    if (this.#opts.fieldPrefix !== undefined && typeof named === 'string' && named) return this.#opts.fieldPrefix + named;
    return '';
  }
}

function isUserError(e: unknown): e is UserError {
  return typeof e === 'object' && e !== null && !(e instanceof Error) && typeof (e as UserError).key === 'string';
}

/** The state of one form or action; see FormState. */
export function formState(opts: FormOptions = {}): FormState {
  return new FormState(opts);
}
