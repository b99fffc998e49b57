import { describe, expect, it } from 'vitest';
import { createToken, tokensEqual } from './token.js';

describe('token', () => {
  it('is 32 random bytes in base64url', () => {
    const a = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(createToken()).not.toBe(a);
  });

  it('compares exactly, whatever the lengths', () => {
    const t = createToken();
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(t.slice(0, -1), t)).toBe(false);
    expect(tokensEqual(t + 'x', t)).toBe(false);
    expect(tokensEqual('', t)).toBe(false);
  });
});
