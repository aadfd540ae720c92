import { createHash, createHmac } from 'node:crypto';

/**
 * Keyed hash of an author handle. Without the key nobody can test a guessed handle against the
 * stored value; with it, the same author maps to the same pseudonym so duplicates can be spotted
 * without keeping who it was. The platform is part of the input: @x on Mastodon is not @x on Reddit.
 */
export function pseudonymiseHandle(key: string, platform: string, handle: string): string {
  const normalised = handle.trim().toLowerCase().replace(/^@/, '');
  return createHmac('sha256', key).update(`${platform}\u0000${normalised}`).digest('base64url').slice(0, 22);
}

/** Hash of the normalised text; finds the same post re-shared across sources. */
export function contentHash(text: string): string {
  const normalised = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normalised).digest('hex').slice(0, 32);
}

export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}
