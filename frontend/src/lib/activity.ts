/**
 * Reports user activity to the backend's auto-lock at most once per
 * interval. The timer itself lives in Go.
 */
export function watchActivity(touch: () => unknown, intervalMs = 15_000): () => void {
  let last = 0;
  const onActivity = () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    touch();
  };
  const events = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;
  for (const e of events) window.addEventListener(e, onActivity, { passive: true });
  return () => {
    for (const e of events) window.removeEventListener(e, onActivity);
  };
}
