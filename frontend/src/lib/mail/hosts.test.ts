import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './hosts';

describe('isLoopbackHost', () => {
  it('accepts this computer only', () => {
    for (const h of ['localhost', 'LOCALHOST.', '127.0.0.1', '127.1.2.3', '::1', '[::1]', ' 127.0.0.1 ']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['', 'imap.example.com', 'localhost.example.com', '128.0.0.1', '10.0.0.1', '127.0.0.1.nip.io', '127.0.0.256', '::'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});
