// The sender job: for messages whose sender was only an id (a Slack user), ask
// the provider who it is (users.info), match or create the contact (an existing
// contact with that email gets the id linked), then place the messages.
import { adapterFor } from '../channels/registry.ts';
import { DeliveryError, type AdapterContext, type SenderIdentity } from '../channels/types.ts';
import type { Contact, Integration, Message } from '../generated/prisma/client.ts';
import type { CredentialStore } from '../security/credentials.ts';
import { findContact, isTeamMember, upsertContact } from './contacts.ts';
import { markIntegrationHealthy } from './integration-status.ts';
import { conversationKeyOf, placeMessage, type InboxDeps } from './ingest.ts';
import type { SenderJob } from './queues.ts';

/**
 * How long a sender may stay unknown while the provider fails transiently
 * (5xx, network, rate limits). Past it the bare id is taken, so the message
 * becomes a task instead of waiting for a look-up that may never succeed. It
 * must stay below the sender queue's total retry time (queues.ts: about a
 * minute), or the last retry could fail before it applies.
 */
export const LOOKUP_PATIENCE_MS = 30_000;

/** Rounds of "place what is pending, look again" in one run (messages that arrived during the look-up). */
const MAX_ROUNDS = 20;

type Deps = InboxDeps & { credentials: CredentialStore; adapterContext: AdapterContext };

function pendingOf(deps: Deps, job: SenderJob): Promise<Message[]> {
  return deps.prisma.message.findMany({
    where: { integrationId: job.integrationId, senderId: job.senderId, contactId: null, direction: 'INBOUND' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** Who wrote: the contact already known for the bare id, else the provider's description of them. */
async function identify(deps: Deps, integration: Integration, job: SenderJob, oldest: Message, now: Date): Promise<{ contact: Contact } | { identity: SenderIdentity }> {
  // Without a look-up, the sender is the bare identity the adapter gave at ingestion.
  const bare: SenderIdentity = (oldest.conversation as { sender?: SenderIdentity } | null)?.sender ?? { id: job.senderId };
  // Known meanwhile (an earlier run of this job, or another message): no provider call needed.
  const known = await findContact(deps.prisma, integration.workspaceId, bare);
  if (known) return { contact: known };
  const adapter = adapterFor(integration.provider);
  const secrets = integration.status === 'DISCONNECTED' ? {} : await deps.credentials.get(integration.id);
  if (!adapter.lookupSender || Object.keys(secrets).length === 0) return { identity: bare };
  try {
    const identity = await adapter.lookupSender(integration, secrets, job.senderId, deps.adapterContext);
    // The provider answered: an earlier "token rejected" no longer holds.
    await markIntegrationHealthy(deps.prisma, integration.id);
    return { identity };
  } catch (err) {
    if (!(err instanceof DeliveryError)) throw err;
    // Permanent (revoked token, unknown user): keep the bare id, never lose the message.
    if (err.opts.permanent) return { identity: bare };
    // Transient: let the job retry, unless the messages have waited too long already.
    if (now.getTime() - oldest.createdAt.getTime() < LOOKUP_PATIENCE_MS) throw err;
    deps.adapterContext.log.warn({ integrationId: integration.id, senderId: job.senderId, code: err.code }, 'sender look-up keeps failing: taking the bare id');
    return { identity: bare };
  }
}

export async function runSenderLookup(deps: Deps, job: SenderJob, now = () => new Date()): Promise<{ resolved: number; dropped: number }> {
  const { prisma } = deps;
  let pending = await pendingOf(deps, job);
  if (pending.length === 0) return { resolved: 0, dropped: 0 };
  const integration = await prisma.integration.findUniqueOrThrow({ where: { id: job.integrationId } });
  const who = await identify(deps, integration, job, pending[0]!, now());
  if ('identity' in who && (await isTeamMember(prisma, integration.workspaceId, who.identity))) {
    const res = await prisma.message.deleteMany({ where: { id: { in: pending.map((m) => m.id) }, contactId: null } });
    return { resolved: 0, dropped: res.count };
  }
  const contact = 'contact' in who ? who.contact : await upsertContact(prisma, integration.workspaceId, who.identity);
  let resolved = 0;
  // Messages of this sender that arrived while the look-up ran (stored without a contact, because it did not
  // exist yet) are placed in the same run: left to a second look-up, they could miss their burst's bundle.
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    for (const m of pending) {
      await prisma.$transaction(async (tx) => {
        const claimed = await tx.message.updateMany({ where: { id: m.id, contactId: null }, data: { contactId: contact.id } });
        if (claimed.count === 0) return;
        await placeMessage(deps, tx, m, conversationKeyOf(integration.id, contact.id, m.bundleKey));
        resolved++;
      });
    }
    pending = await pendingOf(deps, job);
  }
  return { resolved, dropped: 0 };
}
