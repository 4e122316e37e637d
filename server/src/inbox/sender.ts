// The sender job: for messages whose sender was only an id (a Slack user), ask
// the provider who it is (users.info), match or create the contact (an existing
// contact with that email gets the id linked), then place the messages.
import { adapterFor } from '../channels/registry.ts';
import { DeliveryError, type AdapterContext, type SenderIdentity } from '../channels/types.ts';
import type { CredentialStore } from '../security/credentials.ts';
import { isTeamMember, upsertContact } from './contacts.ts';
import { conversationKeyOf, placeMessage, type InboxDeps } from './ingest.ts';
import type { SenderJob } from './queues.ts';

export async function runSenderLookup(deps: InboxDeps & { credentials: CredentialStore; adapterContext: AdapterContext }, job: SenderJob): Promise<{ resolved: number; dropped: number }> {
  const { prisma } = deps;
  const pending = await prisma.message.findMany({
    where: { integrationId: job.integrationId, senderId: job.senderId, contactId: null, direction: 'INBOUND' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (pending.length === 0) return { resolved: 0, dropped: 0 };
  const integration = await prisma.integration.findUniqueOrThrow({ where: { id: job.integrationId } });
  const adapter = adapterFor(integration.provider);
  // Without a look-up, the sender is the bare identity the adapter gave at ingestion.
  let identity: SenderIdentity = (pending[0]!.conversation as { sender?: SenderIdentity } | null)?.sender ?? { id: job.senderId };
  const secrets = integration.status === 'DISCONNECTED' ? {} : await deps.credentials.get(integration.id);
  if (adapter.lookupSender && Object.keys(secrets).length > 0) {
    try {
      identity = await adapter.lookupSender(integration, secrets, job.senderId, deps.adapterContext);
    } catch (err) {
      // Transient: let the job retry. Permanent: keep the bare id, never lose the message.
      if (!(err instanceof DeliveryError) || !err.opts.permanent) throw err;
    }
  }
  if (await isTeamMember(prisma, integration.workspaceId, identity)) {
    const res = await prisma.message.deleteMany({ where: { id: { in: pending.map((m) => m.id) }, contactId: null } });
    return { resolved: 0, dropped: res.count };
  }
  const contact = await upsertContact(prisma, integration.workspaceId, identity);
  let resolved = 0;
  for (const m of pending) {
    await prisma.$transaction(async (tx) => {
      const claimed = await tx.message.updateMany({ where: { id: m.id, contactId: null }, data: { contactId: contact.id } });
      if (claimed.count === 0) return;
      await placeMessage(deps, tx, m, conversationKeyOf(integration.id, contact.id, m.bundleKey));
      resolved++;
    });
  }
  return { resolved, dropped: 0 };
}
