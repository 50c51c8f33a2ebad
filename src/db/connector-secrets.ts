// What a connector keeps sealed: its credentials and its secret settings (a webhook secret), together in one
// AES-256-GCM blob (the Connector.credentials column, src/db/cipher.ts). Plain settings stay readable JSON.
import type { CredentialCipher } from './cipher.ts';

const SECRET_SETTINGS = '$secretSettings';

export interface ConnectorSecrets {
  credentials: Record<string, unknown>;
  secretSettings: Record<string, unknown>;
}

/** Seals credentials and secret settings into the value of Connector.credentials. */
export function sealConnectorSecrets(cipher: CredentialCipher, secrets: ConnectorSecrets): string {
  return cipher.encrypt({ ...secrets.credentials, [SECRET_SETTINGS]: secrets.secretSettings });
}

/**
 * Opens Connector.credentials. Rows written before secret settings were sealed hold credentials only; their
 * secret settings are still in the plain settings, and `legacySettings` (the row's settings) supplies them.
 */
export function openConnectorSecrets(cipher: CredentialCipher, sealed: string, secretKeys: readonly string[] = [], legacySettings: unknown = {}): ConnectorSecrets {
  const { [SECRET_SETTINGS]: stored, ...credentials } = (cipher.decrypt(sealed) ?? {}) as Record<string, unknown>;
  const legacy = (legacySettings ?? {}) as Record<string, unknown>;
  const secretSettings: Record<string, unknown> = {};
  for (const key of secretKeys) if (legacy[key] !== undefined) secretSettings[key] = legacy[key];
  Object.assign(secretSettings, (stored ?? {}) as Record<string, unknown>);
  return { credentials, secretSettings };
}

/** The plain (non-secret) settings of a row. */
export function plainSettings(settings: unknown, secretKeys: readonly string[]): Record<string, unknown> {
  const plain = { ...((settings ?? {}) as Record<string, unknown>) };
  for (const key of secretKeys) delete plain[key];
  return plain;
}
