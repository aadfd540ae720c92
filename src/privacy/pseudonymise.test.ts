import { describe, expect, it } from 'vitest';
import { contentHash, pseudonymiseHandle } from './pseudonymise.js';

describe('pseudonymisation', () => {
  const key = 'a'.repeat(32);
  it('is stable per platform and handle, case- and @-insensitive', () => {
    expect(pseudonymiseHandle(key, 'mastodon', '@Jan')).toBe(pseudonymiseHandle(key, 'mastodon', 'jan'));
    expect(pseudonymiseHandle(key, 'mastodon', 'jan')).not.toBe(pseudonymiseHandle(key, 'reddit', 'jan'));
  });
  it('depends on the key, so a guessed handle cannot be checked without it', () => {
    expect(pseudonymiseHandle(key, 'mastodon', 'jan')).not.toBe(pseudonymiseHandle('b'.repeat(32), 'mastodon', 'jan'));
    expect(pseudonymiseHandle(key, 'mastodon', 'jan')).not.toContain('jan');
  });
  it('hashes content after folding case and whitespace', () => {
    expect(contentHash('Agent  was\nBOOS')).toBe(contentHash('agent was boos'));
    expect(contentHash('agent was boos')).not.toBe(contentHash('agent was blij'));
  });
});
