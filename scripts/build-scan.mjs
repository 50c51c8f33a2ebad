// Builds the scan command (src/guard/scan-cli.ts → dist/scan/scan-cli.js, and the guard it loads on demand in
// dist/scan/scan-batch.js) as plain JavaScript, unless it was built from the same sources. `npm run --silent
// scan` runs it with plain Node: a worker thread is ready about 0.13 s after it starts instead of about 0.35 s
// under tsx (whose loader on Node 20 does not reach worker threads anyway), and the TypeScript stays the only
// source. Used by scripts/setup.mjs.
//
// esbuild is the one tsx ships (tsx transpiles with it), found through tsx so that no second copy is needed.
// A bundled module that finds a data file next to itself (`new URL('./x.txt', import.meta.url)`) keeps reading
// it from the source tree: `import.meta.url` is replaced by its source file's URL in every module but the entry,
// whose own URL the command needs to start its worker threads.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(root, 'src', 'guard', 'scan-cli.ts');
/** The command `npm run --silent scan` runs. */
export const SCAN_BUNDLE = join(root, 'dist', 'scan', 'scan-cli.js');
/** What the last build read: {digest, inputs: paths relative to the root}. */
const STAMP = join(root, 'dist', 'scan', '.inbox-scan');

function digestOf(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const path = join(root, input);
    hash.update(input);
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

/** True when dist/scan/scan-cli.js was built from the files it was built from, as they are now. */
function current() {
  if (!existsSync(STAMP) || !existsSync(SCAN_BUNDLE)) return false;
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  return stamp.digest === digestOf(stamp.inputs);
}

const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (path === ENTRY) return { contents: source, loader: 'ts' };
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)), loader: 'ts' };
    });
  },
};

/**
 * Bundles the scan command with esbuild unless the stamp says it is current. Returns true when it built.
 * Throws (with esbuild's messages on stderr) when the build fails.
 */
export async function buildScanIfChanged({ say = () => {} } = {}) {
  if (current()) return false;
  say('building the scan command (esbuild)...');
  const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    outdir: dirname(SCAN_BUNDLE),
    entryNames: '[name]',
    chunkNames: '[name]', // stable names: a rebuild replaces the files instead of adding new ones
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    metafile: true,
    write: false,
    logLevel: 'error',
    plugins: [sourceUrls],
  });
  // Each file appears whole (a scan starting meanwhile never reads half a file), the command's own file last.
  mkdirSync(dirname(SCAN_BUNDLE), { recursive: true });
  const files = result.outputFiles.sort((a, b) => Number(a.path === SCAN_BUNDLE) - Number(b.path === SCAN_BUNDLE));
  for (const file of files) {
    writeFileSync(`${file.path}.${process.pid}`, file.contents);
    renameSync(`${file.path}.${process.pid}`, file.path);
  }
  // The project's own files; for packages, the lockfile stands for what node_modules holds.
  const own = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  const inputs = [...own, 'package-lock.json'].sort();
  writeFileSync(STAMP, JSON.stringify({ digest: digestOf(inputs), inputs }));
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildScanIfChanged({ say: (line) => process.stderr.write(`[build-scan] ${line}\n`) });
}
