// An integration's health as the pipeline sees it: a provider saying the
// credentials are no longer valid marks it ERROR with the reason; a later
// success marks it CONNECTED again (and clears the error).
import type { PrismaClient } from '../db.ts';

export async function markIntegrationError(prisma: PrismaClient, integrationId: string, error: string): Promise<void> {
  await prisma.integration.updateMany({ where: { id: integrationId, status: { not: 'DISCONNECTED' } }, data: { status: 'ERROR', lastError: error } });
}

export async function markIntegrationHealthy(prisma: PrismaClient, integrationId: string): Promise<void> {
  await prisma.integration.updateMany({ where: { id: integrationId, status: 'ERROR' }, data: { status: 'CONNECTED', lastError: null } });
}
