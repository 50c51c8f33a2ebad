// APP_SECRET encrypts connector credentials. In production it must be given; elsewhere one is generated on first
// start and kept in DATA_DIR/app-secret, so restarts can still read what was saved.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function resolveAppSecret(given: string | undefined, dataDir: string): Promise<string> {
  if (given) return given;
  const path = join(dataDir, 'app-secret');
  if (existsSync(path)) return (await readFile(path, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
