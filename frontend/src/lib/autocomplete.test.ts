import { expect, it } from 'vitest';
import { turnOffAutocomplete } from './autocomplete';

const settle = () => new Promise((r) => setTimeout(r, 0));

it('turns autocomplete off on every field, present or added later, and leaves named purposes alone', async () => {
  const root = document.createElement('div');
  root.innerHTML = '<input id="early">';
  document.body.append(root);
  const stop = turnOffAutocomplete(root);
  expect(root.querySelector('#early')!.getAttribute('autocomplete')).toBe('off');

  const form = document.createElement('form');
  form.innerHTML = '<input id="name"><textarea id="note"></textarea><select id="kind"></select><input id="pass" type="password" autocomplete="new-password">';
  root.append(form);
  const search = document.createElement('input');
  root.append(search);
  await settle();
  for (const id of ['name', 'note', 'kind']) expect(root.querySelector(`#${id}`)!.getAttribute('autocomplete'), id).toBe('off');
  expect(search.getAttribute('autocomplete')).toBe('off');
  expect(root.querySelector('#pass')!.getAttribute('autocomplete')).toBe('new-password');

  stop();
  const late = document.createElement('input');
  root.append(late);
  await settle();
  expect(late.hasAttribute('autocomplete')).toBe(false);
  root.remove();
});
