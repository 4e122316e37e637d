// Prisma's official schema engine, compiled to WebAssembly. The native engine
// that `prisma migrate` downloads cannot be fetched on every machine Parley
// runs on, so migrations are applied and created through this package instead.
// It records applied migrations in `_prisma_migrations` exactly like
// `prisma migrate deploy`, so both tools can share one migrations folder.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
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
 * Opens a schema engine on a database (through adapter-pg). Even a diff of two
 * schema files needs a reachable database; it changes nothing there.
 */
export async function openSchemaEngine(databaseUrl: string, onLog?: (line: string) => void): Promise<EngineHandle> {
  await loadWasm();
  const factory = new PrismaPg({ connectionString: databaseUrl });
  // Keep hold of every connection the engine opens: left open they would block
  // e.g. CREATE DATABASE ... TEMPLATE on this database until they idle out.
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracked);
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, (line: string) => onLog?.(line), adapter);
  return {
    engine,
    async dispose() {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose().catch(() => undefined)));
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
