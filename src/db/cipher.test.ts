import { describe, expect, it } from 'vitest';
import { CredentialCipher, SecretBox } from './cipher.ts';

describe('SecretBox', () => {
  const secret = 'an-app-secret-of-enough-length';

  it('opens what it sealed, and the sealed form shows nothing of the value', () => {
    const box = new SecretBox(secret, 'inbox-inbound-jobs');
    const value = [{ text: 'my recovery phrase is abandon ability able' }];
    const sealed = box.encrypt(value);
    expect(sealed).not.toContain('abandon');
    expect(box.decrypt(sealed)).toEqual(value);
    expect(box.encrypt(value)).not.toBe(sealed); // a fresh IV each time
  });

  it('refuses a value sealed for another purpose, with another APP_SECRET, or altered', () => {
    const sealed = new SecretBox(secret, 'inbox-inbound-jobs').encrypt({ a: 1 });
    expect(() => new CredentialCipher(secret).decrypt(sealed)).toThrow(/APP_SECRET/);
    expect(() => new SecretBox('another-app-secret-value', 'inbox-inbound-jobs').decrypt(sealed)).toThrow(/APP_SECRET/);
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => new SecretBox(secret, 'inbox-inbound-jobs').decrypt([v, iv, tag, flipped.toString('base64')].join('.'))).toThrow();
    expect(() => new SecretBox(secret, 'x').decrypt('plain text')).toThrow(/unknown format/);
  });
});
