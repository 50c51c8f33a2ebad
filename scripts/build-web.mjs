// Builds the web app (web/ → dist/web) with Vite when its sources changed since the last build. Used by
// scripts/setup.mjs (so `npm start` and `npm test` build it on a fresh clone) and by the test global setup.
// Plain Node: the stamp is a digest of every file under web/, the shared API contract and the lockfile.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'dist', 'web');
const STAMP = join(OUT, '.inbox-web');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Digest of what the build reads: web/**, src/api/contract.ts (types the app imports) and the lockfile. */
export function webSourceDigest() {
  const hash = createHash('sha256');
  const inputs = [...files(join(root, 'web')), join(root, 'src', 'api', 'contract.ts'), join(root, 'package-lock.json')];
  for (const path of inputs) {
    hash.update(relative(root, path));
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

/**
 * Runs `vite build` unless dist/web was built from the same sources. Returns true when it built.
 * Throws (with Vite's output on stderr) when the build fails.
 */
export function buildWebIfChanged({ say = () => {} } = {}) {
  const digest = webSourceDigest();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return false;
  say('building the web app (vite build)...');
  const result = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', join(root, 'web', 'vite.config.ts')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(STAMP, digest);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWebIfChanged({ say: (line) => process.stderr.write(`[build-web] ${line}\n`) });
}
