// The bundle job: once a burst has been quiet for DEBOUNCE_SECONDS, all its
// unbundled messages become ONE task, in one transaction. A per-conversation
// advisory lock makes concurrent runs (two workers, a retried job) wait for
// each other, and the "taskId IS NULL" guard means no message lands in two
// tasks. If the burst is still active the job re-arms itself for the rest.
import type { ConversationDetails } from '../channels/types.ts';
import type { Channel, Prisma } from '../generated/prisma/client.ts';
import { publish } from '../graphql/events.ts';
import { armBundle, type InboxDeps } from './ingest.ts';
import type { BundleJob } from './queues.ts';

export const MAX_TITLE_LENGTH = 100;

/** The first non-empty line of the first message, shortened on a word boundary. */
export function taskTitle(body: string, fallback: string): string {
  const line = body.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  if (!line) return fallback;
  if (line.length <= MAX_TITLE_LENGTH) return line;
  const cut = line.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_LENGTH * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

type StoredConversation = ConversationDetails & { replyThreadKey?: string };

function conversationColumns(c: StoredConversation) {
  return {
    slackChannelId: c.slackChannelId ?? null,
    slackChannelName: c.slackChannelName ?? null,
    slackThreadTs: c.slackThreadTs ?? null,
    address: c.address ?? null,
    ourAddress: c.ourAddress ?? null,
    subject: c.subject ?? null,
    emailReferences: c.emailReferences ?? [],
  };
}

export type BundleOutcome = { kind: 'none' } | { kind: 'waiting'; remainingSeconds: number } | { kind: 'created' | 'appended'; taskId: string; messages: number };

export async function runBundle(deps: InboxDeps, job: BundleJob, now = () => new Date()): Promise<BundleOutcome> {
  return deps.prisma.$transaction(async (tx: Prisma.TransactionClient): Promise<BundleOutcome> => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', `bundle:${job.conversationKey}`);
    const unbundled = { conversationKey: job.conversationKey, taskId: null, direction: 'INBOUND' } as const;
    // Is the burst over? Asked first with an aggregate: a burst that goes on is not read again and again.
    const newest = await tx.message.aggregate({ where: unbundled, _max: { createdAt: true } });
    const lastAt = newest._max.createdAt;
    if (!lastAt) return { kind: 'none' };
    const quietFor = (now().getTime() - lastAt.getTime()) / 1000;
    if (quietFor < deps.debounceSeconds) {
      const remainingSeconds = deps.debounceSeconds - quietFor;
      await armBundle(deps, tx, job.conversationKey, remainingSeconds);
      return { kind: 'waiting', remainingSeconds };
    }
    const messages = await tx.message.findMany({
      where: unbundled,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, workspaceId: true, integrationId: true, contactId: true, channel: true, body: true, attachments: true, conversation: true, threadKey: true, createdAt: true },
    });
    const first = messages[0];
    const last = messages.at(-1);
    if (!first || !last || !first.contactId) return { kind: 'none' };
    const ids = messages.map((m) => m.id);
    const conversation = (first.conversation ?? {}) as StoredConversation;
    const threadKey = conversation.replyThreadKey ?? first.threadKey;
    // Two bursts can share a thread (a top-level burst and a reply under its first message):
    // serialise on the thread too, so only one of them opens its task and the other joins it.
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', `thread:${first.integrationId}|${threadKey}`);
    // The thread may have got an OPEN task since these arrived: join it rather than open a second one.
    const open = await tx.task.findFirst({ where: { integrationId: first.integrationId, threadKey, status: 'OPEN' }, select: { id: true } });
    if (open) {
      await tx.message.updateMany({ where: { id: { in: ids }, taskId: null }, data: { taskId: open.id } });
      await tx.task.update({ where: { id: open.id }, data: { lastMessageAt: last.createdAt } });
      for (const m of messages) await publish(tx, { name: 'messageUpdated', workspaceId: first.workspaceId, id: m.id, taskId: open.id });
      await publish(tx, { name: 'taskUpdated', workspaceId: first.workspaceId, id: open.id });
      return { kind: 'appended', taskId: open.id, messages: ids.length };
    }
    // The thread's earlier messages (e.g. its root, in a top-level burst) are still waiting in another
    // burst: let that one open the task, so the task starts where the conversation started; join it next round.
    const earlier = await tx.message.findFirst({
      where: { integrationId: first.integrationId, threadKey, taskId: null, direction: 'INBOUND', conversationKey: { not: job.conversationKey }, createdAt: { lte: first.createdAt } },
      select: { id: true },
    });
    if (earlier) {
      await armBundle(deps, tx, job.conversationKey, 1);
      return { kind: 'waiting', remainingSeconds: 1 };
    }
    const task = await tx.task.create({
      data: {
        workspaceId: first.workspaceId,
        integrationId: first.integrationId,
        contactId: first.contactId,
        channel: first.channel as Channel,
        title: taskTitle(first.body, first.attachments && Array.isArray(first.attachments) && first.attachments.length ? 'Attachment' : 'New message'),
        conversationKey: job.conversationKey,
        threadKey,
        ...conversationColumns(conversation),
        lastMessageAt: last.createdAt,
      },
    });
    const moved = await tx.message.updateMany({ where: { id: { in: ids }, taskId: null }, data: { taskId: task.id } });
    if (moved.count !== ids.length) throw new Error(`bundle ${job.conversationKey}: ${ids.length - moved.count} message(s) changed under the lock`);
    await publish(tx, { name: 'taskCreated', workspaceId: first.workspaceId, id: task.id });
    return { kind: 'created', taskId: task.id, messages: ids.length };
  });
}
