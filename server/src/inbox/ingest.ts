// Store, then bundle: every accepted message is committed before the provider
// gets its acknowledgement. In the same transaction it either joins the OPEN
// task of its thread, or (re)arms the bundle job of its burst; a sender we do
// not know yet gets a look-up job instead (no provider call in the request).
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../channels/types.ts';
import type { Prisma, PrismaClient } from '../db.ts';
import type { Integration } from '../generated/prisma/client.ts';
import { publish } from '../graphql/events.ts';
import type { Queue } from '../jobs/queue.ts';
import { findContact, isTeamMember, upsertContact } from './contacts.ts';
import { BUNDLE_QUEUE, SENDER_QUEUE, jobDb, type BundleJob, type SenderJob } from './queues.ts';

export interface InboxDeps {
  prisma: PrismaClient;
  queue: Queue;
  debounceSeconds: number;
}

export interface IngestResult {
  stored: number;
  duplicates: number;
  dropped: number;
}

type Tx = Prisma.TransactionClient;

export function conversationKeyOf(integrationId: string, contactId: string, bundleKey: string): string {
  return `${integrationId}|${contactId}|${bundleKey}`;
}

export async function armBundle(deps: InboxDeps, tx: Tx, conversationKey: string, delaySeconds = deps.debounceSeconds): Promise<void> {
  await deps.queue.boss.send(BUNDLE_QUEUE, { conversationKey } satisfies BundleJob, {
    singletonKey: conversationKey,
    startAfter: Math.max(0, Math.ceil(delaySeconds)),
    db: jobDb(tx),
  });
}

/**
 * Places a stored message whose contact is known: into the OPEN task of its
 * thread if there is one (published as an update), else into its burst.
 */
export async function placeMessage(deps: InboxDeps, tx: Tx, message: { id: string; workspaceId: string; integrationId: string; threadKey: string; createdAt: Date }, conversationKey: string): Promise<void> {
  const open = message.threadKey
    ? await tx.task.findFirst({ where: { integrationId: message.integrationId, threadKey: message.threadKey, status: 'OPEN' }, select: { id: true } })
    : null;
  if (open) {
    await tx.message.update({ where: { id: message.id }, data: { taskId: open.id, conversationKey } });
    await tx.task.update({ where: { id: open.id }, data: { lastMessageAt: message.createdAt } });
    await publish(tx, { name: 'messageUpdated', workspaceId: message.workspaceId, id: message.id, taskId: open.id });
    await publish(tx, { name: 'taskUpdated', workspaceId: message.workspaceId, id: open.id });
    return;
  }
  await tx.message.update({ where: { id: message.id }, data: { conversationKey } });
  await armBundle(deps, tx, conversationKey);
}

/** Stores one verified inbound message. Duplicates (provider retries) change nothing. */
async function ingestOne(deps: InboxDeps, integration: Integration, msg: InboundMessage): Promise<'stored' | 'duplicate' | 'dropped'> {
  const { prisma } = deps;
  const { workspaceId } = integration;
  if (await isTeamMember(prisma, workspaceId, msg.sender)) return 'dropped';
  // A known sender is matched now; an unknown one that the provider can describe is looked up in a job.
  let contact = await findContact(prisma, workspaceId, msg.sender);
  if (!contact && !msg.senderNeedsLookup) contact = await upsertContact(prisma, workspaceId, msg.sender);

  return prisma.$transaction(async (tx) => {
    const id = randomUUID();
    const createdAt = new Date();
    const inserted = await tx.message.createMany({
      data: [{
        id, workspaceId, integrationId: integration.id, contactId: contact?.id ?? null, direction: 'INBOUND', status: 'RECEIVED', channel: msg.channel,
        body: msg.body, providerMessageId: msg.providerMessageId, senderId: msg.sender.id, bundleKey: msg.bundleKey, threadKey: msg.threadKey,
        conversation: { ...msg.conversation, replyThreadKey: msg.replyThreadKey, sender: msg.sender } as unknown as Prisma.InputJsonValue,
        attachments: msg.attachments as unknown as Prisma.InputJsonValue, raw: msg.raw as Prisma.InputJsonValue, createdAt,
      }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return 'duplicate';
    if (contact) {
      await placeMessage(deps, tx, { id, workspaceId, integrationId: integration.id, threadKey: msg.threadKey, createdAt }, conversationKeyOf(integration.id, contact.id, msg.bundleKey));
    } else {
      await deps.queue.boss.send(SENDER_QUEUE, { integrationId: integration.id, senderId: msg.sender.id } satisfies SenderJob, {
        singletonKey: `${integration.id}|${msg.sender.id}`,
        db: jobDb(tx),
      });
    }
    return 'stored';
  });
}

export async function ingestMessages(deps: InboxDeps, integration: Integration, messages: InboundMessage[]): Promise<IngestResult> {
  const result: IngestResult = { stored: 0, duplicates: 0, dropped: 0 };
  for (const msg of messages) {
    const outcome = await ingestOne(deps, integration, msg);
    if (outcome === 'stored') result.stored++;
    else if (outcome === 'duplicate') result.duplicates++;
    else result.dropped++;
  }
  return result;
}
