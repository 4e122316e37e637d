// The provider-agnostic pipeline as one object the app wires up: ingest (from
// webhooks and provider connections), the bundle / sender / delivery jobs,
// replies, and provider status callbacks.
import pg from 'pg';
import type { AdapterContext, InboundMessage, StatusUpdate } from '../channels/types.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db.ts';
import type { Integration, Message } from '../generated/prisma/client.ts';
import { publish } from '../graphql/events.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Logger } from '../logger.ts';
import type { CredentialStore } from '../security/credentials.ts';
import { runBundle } from './bundle.ts';
import { ingestMessages, type InboxDeps, type IngestResult } from './ingest.ts';
import { markIntegrationError } from './integration-status.ts';
import { BUNDLE_QUEUE, DELIVER_QUEUE, SENDER_QUEUE, createInboxQueues, type BundleJob, type DeliverJob, type SenderJob } from './queues.ts';
import { queueReply, retryReply, runDelivery } from './replies.ts';
import { runSenderLookup } from './sender.ts';
import { findThread } from './threads.ts';

/** Status order: a late "sent" after "delivered" changes nothing. */
const RANK: Record<Message['status'], number> = { RECEIVED: 0, QUEUED: 1, SENT: 2, DELIVERED: 3, READ: 4, FAILED: 5 };

export class Inbox {
  readonly adapterContext: AdapterContext;
  private readonly deps: InboxDeps & { credentials: CredentialStore; adapterContext: AdapterContext; deliveryBackoffSeconds: number };

  private readonly pool: pg.Pool;

  constructor(opts: { config: Config; databaseUrl: string; prisma: PrismaClient; queue: Queue; credentials: CredentialStore; log: Logger }) {
    // As many connections as batches may be written at once (IngestBatcher.MAX_IN_FLIGHT).
    this.pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
    // An idle connection dropped by the server is replaced on next use; without a listener it would crash the process.
    this.pool.on('error', (err) => opts.log.warn({ err: err.message }, 'ingest connection lost'));
    this.adapterContext = {
      config: opts.config,
      log: opts.log,
      prisma: opts.prisma,
      markIntegrationError: (id, error) => markIntegrationError(opts.prisma, id, error),
      findThread: (integrationId, ref) => findThread(opts.prisma, integrationId, ref),
    };
    this.deps = { prisma: opts.prisma, pool: this.pool, queue: opts.queue, debounceSeconds: opts.config.debounceSeconds, maxAttachmentBytes: opts.config.maxAttachmentBytes, credentials: opts.credentials, adapterContext: this.adapterContext, deliveryBackoffSeconds: opts.config.deliveryBackoffSeconds };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  ingest(integration: Integration, messages: InboundMessage[]): Promise<IngestResult> {
    return ingestMessages(this.deps, integration, messages);
  }

  reply(viewer: { workspaceId: string; memberId: string }, taskId: string, body: string): Promise<Message> {
    return queueReply(this.deps, viewer, taskId, body);
  }

  retry(viewer: { workspaceId: string }, messageId: string): Promise<Message> {
    return retryReply(this.deps, viewer, messageId);
  }

  /** Provider delivery reports (e.g. Twilio status callbacks). Never moves a status backwards. */
  async applyStatusUpdates(integration: Integration, updates: StatusUpdate[]): Promise<number> {
    let changed = 0;
    for (const u of updates) {
      await this.deps.prisma.$transaction(async (tx) => {
        const m = u.messageId
          ? await tx.message.findFirst({ where: { id: u.messageId, integrationId: integration.id } })
          : u.providerMessageId
            ? await tx.message.findUnique({ where: { integrationId_providerMessageId: { integrationId: integration.id, providerMessageId: u.providerMessageId } } })
            : null;
        if (!m || m.direction !== 'OUTBOUND') return;
        // The report may overtake the moment delivery stores the provider's id (e.g. its answer was lost): store it here.
        if (u.messageId && u.providerMessageId && !m.providerMessageId) {
          await tx.message.updateMany({ where: { id: m.id, providerMessageId: null }, data: { providerMessageId: u.providerMessageId, sentAt: m.sentAt ?? new Date() } });
        }
        // Conditional on the current status, so concurrent reports cannot move it backwards either.
        const before = (Object.keys(RANK) as Message['status'][]).filter((st) => st !== 'FAILED' && st !== 'RECEIVED' && RANK[st] < RANK[u.status]);
        const res = await tx.message.updateMany({ where: { id: m.id, status: { in: before } }, data: { status: u.status, errorCode: u.errorCode ?? null, error: u.error ?? null } });
        if (res.count === 0) return;
        await publish(tx, { name: 'messageUpdated', workspaceId: m.workspaceId, id: m.id, taskId: m.taskId });
        if (m.taskId) await publish(tx, { name: 'taskUpdated', workspaceId: m.workspaceId, id: m.taskId });
        changed++;
      });
    }
    return changed;
  }

  /** Creates the queues; with runWorkers, registers the handlers. */
  async registerJobs(queue: Queue): Promise<void> {
    await createInboxQueues(queue);
    // Several pollers per queue and instance: a burst of new customers is looked up in parallel.
    const polling = { pollingIntervalSeconds: 0.5, concurrency: 4 };
    await queue.work<BundleJob>(BUNDLE_QUEUE, polling, async (job) => {
      await runBundle(this.deps, job.data);
    });
    await queue.work<SenderJob>(SENDER_QUEUE, polling, async (job) => {
      await runSenderLookup(this.deps, job.data);
    });
    await queue.work<DeliverJob>(DELIVER_QUEUE, polling, async (job) => {
      await runDelivery(this.deps, job.data);
    });
  }
}
