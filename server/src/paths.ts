// Where things live on disk, relative to the repository, whatever the cwd.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const prismaDir = path.join(repoRoot, 'prisma');
export const migrationsDir = path.join(prismaDir, 'migrations');
export const schemaPath = path.join(prismaDir, 'schema.prisma');
export const webDistDir = path.join(repoRoot, 'web', 'dist');
export const defaultDataDir = path.join(repoRoot, '.data');
