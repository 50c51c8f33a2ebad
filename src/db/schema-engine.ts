// Prisma's schema engine, compiled to WebAssembly and driven through the pg driver adapter. The Prisma CLI would
// download a native engine binary first, which these machines cannot; the WebAssembly build produces the same
// SQL and records migrations in the same `_prisma_migrations` table, so `prisma migrate deploy` still agrees.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

export const SCHEMA_PATH = 'prisma/schema.prisma';
export const MIGRATIONS_DIR = 'prisma/migrations';

let instantiated = false;

async function instantiate(): Promise<void> {
  if (instantiated) return;
  const require = createRequire(import.meta.url);
  // The .wasm file is not in the package's exports map: find it beside the entry point.
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const module = await WebAssembly.compile(await readFile(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  (bg as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
  // What the package's own entry point does after instantiating; without it the externref table is never set up
  // and engine calls read the wrong JavaScript values.
  (instance.exports.__wbindgen_start as () => void)();
  instantiated = true;
}

/**
 * Runs `work` with an engine for `schemaText` (null when the engine only applies migrations) connected to
 * `connectionString`, then frees the engine and closes its connections.
 */
export async function withSchemaEngine<T>(
  connectionString: string,
  schemaText: string | null,
  work: (engine: bg.SchemaEngine) => Promise<T>,
): Promise<T> {
  await instantiate();
  // Our own pool, so that it can be closed: the engine never releases the adapter's connections itself.
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => {}); // an idle connection dropped by the server; the engine's next query reconnects
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool, { schema: 'public' }));
  const engine = await bg.SchemaEngine.new(
    { datamodels: schemaText === null ? undefined : [[SCHEMA_PATH, schemaText]] },
    () => {},
    adapter,
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}
