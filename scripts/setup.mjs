#!/usr/bin/env node
// First step of `npm start`, `npm test` and friends on any clone: installs missing dependencies and generates
// the Prisma client, then gets out of the way. Plain Node with no dependencies, because it runs before they
// exist. Everything it prints goes to stderr, so `npm run --silent scan` keeps stdout clean.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScanIfChanged } from './build-scan.mjs';
import { buildWebIfChanged } from './build-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const say = (line) => quiet || process.stderr.write(`[setup] ${line}\n`);

function digest(...files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const path = join(root, file);
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

function run(command, args, env = process.env) {
  // stdout of the child goes to our stderr: see the header comment.
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2], env });
  if (result.status !== 0) {
    process.stderr.write(`[setup] \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(1);
  }
}

// Stamps live inside the folders they describe, so deleting node_modules or src/generated redoes the step.
const depsStamp = join(root, 'node_modules', '.inbox-deps');
const depsDigest = digest('package.json', 'package-lock.json');
if (!existsSync(depsStamp) || readFileSync(depsStamp, 'utf8') !== depsDigest) {
  say('installing dependencies (npm install)...');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(depsStamp, digest('package.json', 'package-lock.json'));
}

const clientStamp = join(root, 'src', 'generated', 'prisma', '.inbox-schema');
const schemaDigest = digest('prisma/schema.prisma', 'package-lock.json');
if (!existsSync(clientStamp) || readFileSync(clientStamp, 'utf8') !== schemaDigest) {
  say('generating the Prisma client...');
  // `prisma generate` insists on locating the native schema engine (a download, impossible offline) although
  // generating never uses it: any existing file satisfies the check.
  run(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, 'package.json'),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  writeFileSync(clientStamp, schemaDigest);
}

// The agents' web app (web/ → dist/web) and the scan command (dist/scan), rebuilt only when their sources changed.
try {
  buildWebIfChanged({ say });
  await buildScanIfChanged({ say });
} catch (err) {
  process.stderr.write(`[setup] ${err.message}\n`);
  process.exit(1);
}
