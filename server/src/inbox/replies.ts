// Replies: replyToTask stores an OUTBOUND message QUEUED and, in the same
// transaction, its delivery job. The job sends through the task's channel
// adapter. Guarantees: a message is sent at most once by Parley's own retries
// (a job re-reads the message and only sends while it is QUEUED); after a
// crash between "sent" and "saved", the adapter's findSent looks for the
// earlier post before sending again (Slack: message metadata in the thread).
import { adapterFor } from '../channels/registry.ts';
import { DeliveryError, type AdapterContext, type ConversationDetails, type OutboundReply } from '../channels/types.ts';
import type { Prisma } from '../db.ts';
import type { Message } from '../generated/prisma/client.ts';
import { publish } from '../graphql/events.ts';
import type { CredentialStore } from '../security/credentials.ts';
import { markIntegrationHealthy } from './integration-status.ts';
import { DELIVER_QUEUE, jobDb, type DeliverJob } from './queues.ts';
import type { InboxDeps } from './ingest.ts';

export const MAX_DELIVERY_ATTEMPTS = 6;
export const MAX_REPLY_LENGTH = 40_000;

export class ReplyError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_USER_INPUT',
    message: string,
    /** The argument at fault, when there is one. */
    readonly field?: 'body' | 'taskId',
  ) {
    super(message);
  }
}

type Tx = Prisma.TransactionClient;

async function enqueueDelivery(deps: InboxDeps, tx: Tx, messageId: string, delaySeconds = 0): Promise<void> {
  await deps.queue.boss.send(DELIVER_QUEUE, { messageId } satisfies DeliverJob, { singletonKey: messageId, startAfter: Math.ceil(delaySeconds), db: jobDb(tx) });
}

async function announce(tx: Tx, m: Pick<Message, 'id' | 'workspaceId' | 'taskId'>): Promise<void> {
  await publish(tx, { name: 'messageUpdated', workspaceId: m.workspaceId, id: m.id, taskId: m.taskId });
  if (m.taskId) await publish(tx, { name: 'taskUpdated', workspaceId: m.workspaceId, id: m.taskId });
}

export async function queueReply(deps: InboxDeps, viewer: { workspaceId: string; memberId: string }, taskId: string, body: string): Promise<Message> {
  const text = body.trim();
  if (!text) throw new ReplyError('BAD_USER_INPUT', 'The reply is empty.', 'body');
  if (text.length > MAX_REPLY_LENGTH) throw new ReplyError('BAD_USER_INPUT', `The reply is longer than ${MAX_REPLY_LENGTH} characters.`, 'body');
  const task = await deps.prisma.task.findFirst({ where: { id: taskId, workspaceId: viewer.workspaceId }, include: { integration: { select: { status: true, provider: true } } } });
  if (!task) throw new ReplyError('NOT_FOUND', `No task with id "${taskId}" in this workspace.`);
  const limit = adapterFor(task.integration.provider).maxReplyLength;
  if (limit !== undefined && text.length > limit) throw new ReplyError('BAD_USER_INPUT', `The reply is ${text.length} characters; ${task.integration.provider.toLowerCase()} takes at most ${limit} in one message.`, 'body');
  if (task.integration.status === 'DISCONNECTED') throw new ReplyError('BAD_USER_INPUT', 'This conversation\'s integration is disconnected: reconnect it to reply.');
  return deps.prisma.$transaction(async (tx) => {
    const message = await tx.message.create({
      data: {
        workspaceId: task.workspaceId, integrationId: task.integrationId, contactId: task.contactId, taskId: task.id, direction: 'OUTBOUND', status: 'QUEUED',
        channel: task.channel, body: text, conversationKey: task.conversationKey, threadKey: task.threadKey, authorId: viewer.memberId,
      },
    });
    await tx.task.update({ where: { id: task.id }, data: { lastMessageAt: message.createdAt } });
    await enqueueDelivery(deps, tx, message.id);
    await announce(tx, message);
    return message;
  });
}

/** A FAILED reply, queued again from scratch (a new send, not a look for an earlier one). */
export async function retryReply(deps: InboxDeps, viewer: { workspaceId: string }, messageId: string): Promise<Message> {
  const message = await deps.prisma.message.findFirst({ where: { id: messageId, workspaceId: viewer.workspaceId, direction: 'OUTBOUND' }, include: { integration: { select: { status: true } } } });
  if (!message) throw new ReplyError('NOT_FOUND', `No reply with id "${messageId}" in this workspace.`);
  if (message.status !== 'FAILED') throw new ReplyError('BAD_USER_INPUT', `Only a failed reply can be sent again; this one is ${message.status.toLowerCase()}.`);
  if (message.integration.status === 'DISCONNECTED') throw new ReplyError('BAD_USER_INPUT', 'This conversation\'s integration is disconnected: reconnect it to reply.');
  return deps.prisma.$transaction(async (tx) => {
    const res = await tx.message.updateMany({
      where: { id: message.id, status: 'FAILED' },
      data: { status: 'QUEUED', error: null, errorCode: null, deliveryAttempts: 0, sendStartedAt: null, sentAt: null, providerMessageId: null },
    });
    if (res.count === 0) throw new ReplyError('BAD_USER_INPUT', 'This reply is already being sent again.');
    await enqueueDelivery(deps, tx, message.id);
    await announce(tx, message);
    return tx.message.findUniqueOrThrow({ where: { id: message.id } });
  });
}

/** Backoff for transient failures: base, 2×base, 4×base… capped at 60 s, or what the provider asked for. */
function retryDelaySeconds(attempt: number, error: DeliveryError, baseSeconds: number): number {
  if (error.opts.retryAfterMs !== undefined) return Math.max(1, error.opts.retryAfterMs / 1000);
  return Math.min(60, baseSeconds * 2 ** (attempt - 1));
}

export async function runDelivery(deps: InboxDeps & { credentials: CredentialStore; adapterContext: AdapterContext; deliveryBackoffSeconds: number }, job: DeliverJob): Promise<Message['status'] | 'skipped'> {
  const { prisma } = deps;
  const message = await prisma.message.findUnique({ where: { id: job.messageId }, include: { task: true, integration: true } });
  if (!message || message.direction !== 'OUTBOUND' || message.status !== 'QUEUED' || !message.task) return 'skipped';
  const finish = async (data: Prisma.MessageUpdateManyMutationInput) => {
    await prisma.$transaction(async (tx) => {
      const res = await tx.message.updateMany({ where: { id: message.id, status: 'QUEUED' }, data });
      if (res.count) await announce(tx, message);
      // A status report can overtake this (e.g. Twilio's "sent" callback): keep its status, still record the provider's id.
      else if (data.providerMessageId) await tx.message.updateMany({ where: { id: message.id, providerMessageId: null }, data: { providerMessageId: data.providerMessageId, sentAt: data.sentAt ?? null } });
    });
  };
  if (message.integration.status === 'DISCONNECTED') {
    await finish({ status: 'FAILED', errorCode: 'disconnected', error: 'The integration was disconnected before the reply could be sent.' });
    return 'FAILED';
  }
  const adapter = adapterFor(message.integration.provider);
  const lastInbound = await prisma.message.findFirst({
    where: { taskId: message.task.id, direction: 'INBOUND' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { providerMessageId: true, conversation: true },
  });
  const reply: OutboundReply = {
    messageId: message.id,
    taskId: message.task.id,
    body: message.body,
    integration: message.integration,
    secrets: await deps.credentials.get(message.integrationId),
    conversation: message.task,
    lastInbound: lastInbound ? { providerMessageId: lastInbound.providerMessageId, conversation: (lastInbound.conversation ?? {}) as ConversationDetails } : null,
    previousAttemptAt: message.sendStartedAt,
  };
  /** Whether the failure came from the send itself (not from looking for an earlier one). */
  let sending = false;
  try {
    // Recorded before any call: if we crash after the provider accepted it, the next attempt checks first.
    await prisma.message.update({ where: { id: message.id }, data: { sendStartedAt: new Date(), deliveryAttempts: { increment: 1 } } });
    if (reply.previousAttemptAt && adapter.findSent) {
      const already = await adapter.findSent(reply, deps.adapterContext);
      if (already) {
        await finish({ status: 'SENT', providerMessageId: already, sentAt: new Date(), error: null, errorCode: null });
        return 'SENT';
      }
    }
    sending = true;
    const sent = await adapter.send(reply, deps.adapterContext);
    await finish({ status: sent.status, providerMessageId: sent.providerMessageId, sentAt: new Date(), error: null, errorCode: null });
    await markIntegrationHealthy(prisma, message.integrationId);
    return sent.status;
  } catch (err) {
    if (!(err instanceof DeliveryError)) throw err;
    const attempts = message.deliveryAttempts + 1;
    if (err.opts.permanent || attempts >= MAX_DELIVERY_ATTEMPTS) {
      await finish({ status: 'FAILED', errorCode: err.code, error: err.opts.permanent ? err.message : `${err.message} (gave up after ${attempts} attempts)` });
      deps.adapterContext.log.warn({ messageId: message.id, code: err.code, attempts }, 'reply failed');
      return 'FAILED';
    }
    await prisma.$transaction(async (tx) => {
      // A rate-limited send was not taken, and any earlier attempt was looked for just before: the next
      // attempt need not look again. A rate-limited look-up proves nothing, so the next attempt looks again.
      if (err.opts.retryAfterMs !== undefined && sending) await tx.message.update({ where: { id: message.id }, data: { sendStartedAt: null } });
      await tx.message.update({ where: { id: message.id }, data: { errorCode: err.code, error: `${err.message} Retrying.` } });
      await enqueueDelivery(deps, tx, message.id, retryDelaySeconds(attempts, err, deps.deliveryBackoffSeconds));
    });
    deps.adapterContext.log.info({ messageId: message.id, code: err.code, attempts }, 'reply will be retried');
    return 'QUEUED';
  }
}
