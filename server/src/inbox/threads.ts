// Which thread a provider's reference points at (AdapterContext.findThread):
// a task's routing token, or messages we know by our id or the provider's.
import type { ThreadReference } from '../channels/types.ts';
import type { PrismaClient } from '../db.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findThread(prisma: PrismaClient, integrationId: string, ref: ThreadReference): Promise<string | null> {
  if (ref.routingToken) {
    const task = await prisma.task.findFirst({ where: { integrationId, routingToken: ref.routingToken }, select: { threadKey: true } });
    if (task) return task.threadKey;
  }
  const ids = (ref.messageIds ?? []).filter((id) => UUID.test(id)).slice(0, 100);
  const providerIds = (ref.providerMessageIds ?? []).slice(0, 100);
  if (!ids.length && !providerIds.length) return null;
  const found = await prisma.message.findFirst({
    where: { integrationId, OR: [...(ids.length ? [{ id: { in: ids } }] : []), ...(providerIds.length ? [{ providerMessageId: { in: providerIds } }] : [])] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { threadKey: true, task: { select: { threadKey: true } } },
  });
  // A message still waiting in its burst has no task yet: its own thread is the one.
  return found ? (found.task?.threadKey ?? (found.threadKey || null)) : null;
}
