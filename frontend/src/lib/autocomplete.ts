// What is typed into Carnet stays in the vault. A browser engine may keep
// field values on disk by itself: Chromium writes every field's value into
// its session-restore files (and its autofill database) unless the field
// says autocomplete="off". WebKitGTK, the desktop engine, keeps no such
// files today, but the frontend does not rely on which engine it runs in.

const unmarked = 'input:not([autocomplete]), textarea:not([autocomplete]), select:not([autocomplete])';

function mark(n: Node) {
  if (!(n instanceof Element)) return;
  if (n.matches(unmarked)) n.setAttribute('autocomplete', 'off');
  for (const f of n.querySelectorAll(unmarked)) f.setAttribute('autocomplete', 'off');
}

/**
 * Gives every field under root autocomplete="off" (unless it already names
 * one, like "new-password"), now and as fields are added. Returns a
 * function that stops watching.
 */
export function turnOffAutocomplete(root: Element): () => void {
  mark(root);
  const watch = new MutationObserver((changes) => {
    for (const c of changes) c.addedNodes.forEach(mark);
  });
  watch.observe(root, { childList: true, subtree: true });
  return () => watch.disconnect();
}
