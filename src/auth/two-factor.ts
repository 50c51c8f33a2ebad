// Two-factor sign-in: time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, what every
// authenticator app reads from an otpauth:// URL) through the `otpauth` library, plus one-time recovery codes.
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Wallet Support Inbox';
const PERIOD_SEC = 30;
/** Codes one step either side of now are accepted: clocks drift and people type slowly. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

const totpFor = (secretBase32: string, label = 'user') =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SEC, secret: Secret.fromBase32(secretBase32) });

/** A fresh 160-bit secret (RFC 4226's recommended length), base32, and the URL authenticator apps scan. */
export function newTotpSecret(email: string): { secret: string; otpauthUrl: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, otpauthUrl: totpFor(secret, email).toString() };
}

/**
 * Checks a 6-digit code. Returns the time step it belongs to, or null when wrong, malformed, or not newer than
 * `lastStep` (each code works once: one seen by a shoulder-surfer is already spent).
 */
export function checkTotp(secretBase32: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secretBase32).validate({ token, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  const step = TOTP.counter({ period: PERIOD_SEC, timestamp: now }) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The current code for a secret (what an authenticator app would show now). */
export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time codes like `k7mq2-x9tpa` (about 49 bits each), shown to the user once. */
export function newRecoveryCodes(): string[] {
  const part = () => Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${part()}-${part()}`);
}

/** How a recovery code is stored (SHA-256 of its normalized form: case, spaces and dashes do not matter). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]+/g, '')).digest('hex');
}

/** True when `input` looks like a recovery code rather than a 6-digit TOTP. */
export const looksLikeRecoveryCode = (input: string) => input.replace(/[\s-]+/g, '').length === 10;
