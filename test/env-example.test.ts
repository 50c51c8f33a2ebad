// .env.example promises every variable the inbox and its tools read: each one the code reads must be in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
/** Other tools' variables that a script only passes through to them. */
const NOT_OURS = new Set(['PRISMA_SCHEMA_ENGINE_BINARY']);

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.includes(`${join('src', 'generated')}`));
}

describe('.env.example', () => {
  it('lists every environment variable the code reads', () => {
    const read = new Set<string>();
    for (const file of ['src', 'connectors', 'scripts', 'bench'].flatMap(sources)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) read.add(m[1]!);
    }
    // The server's own: the keys of src/config.ts's EnvSchema.
    const config = readFileSync(join(root, 'src', 'config.ts'), 'utf8');
    const schema = /const EnvSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(config)![1]!;
    for (const m of schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)) read.add(m[1]!);
    expect(read).toContain('SCAN_THREADS');
    expect(read).toContain('TRUST_PROXY');

    const listed = new Set([...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    expect([...read].filter((name) => !listed.has(name) && !NOT_OURS.has(name)).sort()).toEqual([]);
  });
});
