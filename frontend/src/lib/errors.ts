import { t, type Params } from './i18n.svelte';

/** The shape of app.UserError, which bound methods reject with as JSON. */
export interface UserError {
  key: string;
  params?: Params;
  then?: UserError;
}

/** Parse a rejected bound call into a UserError. */
export function toUserError(e: unknown): UserError {
  const text = e instanceof Error ? e.message : String(e);
  try {
    const v = JSON.parse(text);
    if (v && typeof v.key === 'string') return v as UserError;
  } catch {
    // not one of ours: fall through
  }
  return { key: 'error.unexpected', params: { detail: text } };
}

/** The message to show for an error, in the current language. */
export function describe(e: unknown): string {
  const ue = typeof e === 'object' && e !== null && 'key' in e ? (e as UserError) : toUserError(e);
  const parts: string[] = [];
  for (let u: UserError | undefined = ue; u; u = u.then) parts.push(t(u.key, u.params));
  return parts.join(' ');
}
