// Prisma CLI configuration (Prisma 7 keeps the connection URL out of
// schema.prisma). Only `prisma generate` is run with it: migrations are
// applied by src/db/migrate.ts through the wasm schema engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../prisma/schema.prisma',
});
