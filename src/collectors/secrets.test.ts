import { describe, expect, it } from 'vitest';
import { requireSecret, SourceError } from './types.js';

describe('requireSecret', () => {
  const ctx = { secret: (name: string) => ({ REDDIT_ID: 'abc', EMPTY: '' } as Record<string, string>)[name] };

  it('returns a secret that is set', () => {
    expect(requireSecret(ctx, 'REDDIT_ID')).toBe('abc');
  });

  it.each(['MISSING', 'EMPTY'])('turns a %s secret into an auth problem naming the variable to set', (name) => {
    let error: unknown;
    try { requireSecret(ctx, name); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).reason).toBe('auth');
    expect((error as SourceError).message).toContain(`KS_SECRET_${name}`);
  });
});
