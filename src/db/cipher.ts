// Secrets at rest: AES-256-GCM with a key derived from APP_SECRET (HKDF-SHA256), one key per purpose, so that
// connector credentials and queued job payloads never share a key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals JSON values as `v1.<iv>.<tag>.<ciphertext>` (base64 parts, 12-byte random IV, 16-byte tag).
 * `purpose` is the HKDF salt: values sealed for one purpose cannot be opened for another.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(
    appSecret: string,
    purpose: string,
    private readonly what = 'this value',
  ) {
    this.key = Buffer.from(hkdfSync('sha256', appSecret, purpose, 'aes-256-gcm', 32));
  }

  encrypt(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  /** Throws when the value is not in this format or was sealed with another APP_SECRET or purpose. */
  decrypt(sealed: string): unknown {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || !body) throw new Error(`Unreadable ${this.what} (unknown format).`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8'));
    } catch {
      throw new Error(`Cannot decrypt ${this.what}: APP_SECRET differs from the one it was saved with.`);
    }
  }
}

/** Connector credentials in the database. */
export class CredentialCipher extends SecretBox {
  constructor(appSecret: string) {
    super(appSecret, 'inbox-credentials', 'connector credentials');
  }
}
