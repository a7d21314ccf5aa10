import { expect, it, vi } from 'vitest';
import { watchActivity } from './activity';

it('reports activity at most once per interval and stops when disposed', () => {
  vi.useFakeTimers();
  const touch = vi.fn();
  const stop = watchActivity(touch, 1000);
  window.dispatchEvent(new KeyboardEvent('keydown'));
  window.dispatchEvent(new MouseEvent('mousemove'));
  expect(touch).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(1001);
  window.dispatchEvent(new MouseEvent('mousedown'));
  expect(touch).toHaveBeenCalledTimes(2);
  stop();
  vi.advanceTimersByTime(5000);
  window.dispatchEvent(new KeyboardEvent('keydown'));
  expect(touch).toHaveBeenCalledTimes(2);
  vi.useRealTimers();
});
