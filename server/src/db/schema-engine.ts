// Prisma's official schema engine, compiled to WebAssembly. The native engine
// that `prisma migrate` downloads cannot be fetched on every machine Parley
// runs on, so migrations are applied and created through this package instead.
// It records applied migrations in `_prisma_migrations` exactly like
// `prisma migrate deploy`, so both tools can share one migrations folder.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);
let instantiated = false;

/** Node 20 cannot `import` a .wasm module: instantiate it by hand with the package's JS glue. */
async function loadWasm(): Promise<void> {
  if (instantiated) return;
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const module = new WebAssembly.Module(await readFile(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  instantiated = true;
}

export interface EngineHandle {
  engine: SchemaEngine;
  dispose(): Promise<void>;
}

/**
 * Opens a schema engine. With a URL it talks to that database through
 * adapter-pg; without one it can only diff datamodels (no database needed).
 */
export async function openSchemaEngine(databaseUrl: string | undefined, onLog?: (line: string) => void): Promise<EngineHandle> {
  await loadWasm();
  const factory = new PrismaPg({ connectionString: databaseUrl ?? 'postgresql://unused@127.0.0.1:1/unused' });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, (line: string) => onLog?.(line), adapter);
  return {
    engine,
    async dispose() {
      engine.free();
      // adapter-pg keeps its pool open; the engine itself holds no sockets.
      await (factory as unknown as { dispose?: () => Promise<void> }).dispose?.();
    },
  };
}

export const noFilter = { externalTables: [], externalEnums: [] };

/** Reads prisma/migrations the way the Prisma CLI hands them to the engine. */
export async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const entries = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (ok) => ({ tag: 'ok' as const, value: ok }),
        (err: Error) => ({ tag: 'error' as const, value: err.message }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
