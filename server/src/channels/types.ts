// The one interface every provider implements. The pipeline (inbox/) reaches
// providers only through it, via the registry: it never imports a provider.
import type { Channel, Integration, Provider } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db.ts';

/** Where a conversation lives and where replies go; mirrors the Task's conversation columns. */
export interface ConversationDetails {
  slackChannelId?: string | null;
  slackChannelName?: string | null;
  slackThreadTs?: string | null;
  address?: string | null;
  ourAddress?: string | null;
  subject?: string | null;
  emailReferences?: string[];
}

export interface Attachment {
  name: string;
  contentType?: string | null;
  size?: number | null;
  /** Where the provider serves it (Slack, Twilio media). */
  url?: string | null;
  providerId?: string | null;
  /** The bytes, when the provider hands them over instead of hosting them (email). The pipeline stores them. */
  content?: Buffer;
  /** Set by the pipeline once the content is stored (served through a signed URL). */
  fileId?: string | null;
  /** Why the content was not kept (e.g. larger than the per-file cap). */
  omitted?: string | null;
}

/** What the provider tells us about who wrote. */
export interface SenderIdentity {
  /** The provider's id for the sender (Slack user id, E.164 number, email address). */
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  slackUserId?: string | null;
}

/** One new customer message, parsed and verified, ready to be stored. */
export interface InboundMessage {
  channel: Channel;
  /** Unique per integration: retries of the same message carry the same id. */
  providerMessageId: string;
  sender: SenderIdentity;
  /** True when the sender is only an id and the adapter can look up the rest (lookupSender), in a job. */
  senderNeedsLookup: boolean;
  /** The text to show (for an email reply: without the quoted history). */
  body: string;
  /** The whole text, when body leaves part of it out. */
  fullBody?: string | null;
  attachments: Attachment[];
  /** Messages of one person with the same bundle key form one burst. */
  bundleKey: string;
  /** The thread this message belongs to; joins an OPEN task with the same thread key. */
  threadKey: string;
  /** The thread key replies to a burst starting with this message go to. */
  replyThreadKey: string;
  conversation: ConversationDetails;
  raw: unknown;
}

/** A provider telling us what happened to a message we sent: named by the provider's id, or by ours where the provider echoes it back. */
export interface StatusUpdate {
  providerMessageId?: string;
  messageId?: string;
  status: 'SENT' | 'DELIVERED' | 'READ' | 'FAILED';
  errorCode?: string | null;
  error?: string | null;
}

export interface WebhookRequest {
  integration: Integration;
  secrets: Record<string, string>;
  method: string;
  /** The URL the provider called, rebuilt from PUBLIC_URL (what signatures are computed over). */
  publicUrl: string;
  /** Path below /webhooks/<provider>/<integrationId>, e.g. '' or '/status'. */
  subpath: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  receivedAt: Date;
}

export interface WebhookResult {
  status: number;
  body: string;
  contentType?: string;
  messages?: InboundMessage[];
  statusUpdates?: StatusUpdate[];
  /** Why an event was dropped (for logs); nothing is stored for it. */
  dropped?: string;
}

/** A request the adapter refuses: answered with this status, logged, nothing stored. */
export class WebhookError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** The customer's latest message in the conversation (what an email reply answers). */
export interface LastInbound {
  providerMessageId: string | null;
  conversation: ConversationDetails;
}

export interface OutboundReply {
  messageId: string;
  taskId: string;
  body: string;
  integration: Integration;
  secrets: Record<string, string>;
  /** The task's conversation (channel, thread, address...) and its routing token (see Task.routingToken). */
  conversation: ConversationDetails & { channel: Channel; threadKey: string; routingToken: string };
  lastInbound: LastInbound | null;
  /** Set when an earlier attempt may have reached the provider before a crash. */
  previousAttemptAt: Date | null;
}

export interface SendResult {
  providerMessageId: string;
  status: 'SENT' | 'DELIVERED';
}

/**
 * A failed send. Permanent errors are not retried; transient ones are, after
 * retryAfterMs when the provider said so. integrationBroken marks the
 * integration ERROR (e.g. a revoked token).
 */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly opts: { permanent: boolean; retryAfterMs?: number; integrationBroken?: boolean },
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface AdapterContext {
  config: Config;
  log: Logger;
  /** For provider-specific state (e.g. which Slack channels are monitored). */
  prisma: PrismaClient;
  /** Records a provider error on the integration (status ERROR, lastError). */
  markIntegrationError(integrationId: string, error: string): Promise<void>;
  /**
   * The thread key of the task a reference points at, within the integration:
   * a task's routing token, or ids of messages in it (ours or the provider's).
   * Null when none matches.
   */
  findThread(integrationId: string, ref: ThreadReference): Promise<string | null>;
}

export interface ThreadReference {
  routingToken?: string | null;
  /** Parley message ids (e.g. taken from our own email Message-IDs). */
  messageIds?: string[];
  /** Provider message ids of messages already stored (e.g. the customer's earlier Message-IDs). */
  providerMessageIds?: string[];
}

/** A long-lived provider connection (e.g. Slack Socket Mode) run by the worker. */
export interface Connector {
  /** Whether this integration needs a connection. */
  wants(integration: Integration): boolean;
  start(
    integration: Integration,
    secrets: Record<string, string>,
    ctx: AdapterContext,
    /** Stores the messages; resolves once they are committed. */
    deliver: (messages: InboundMessage[]) => Promise<void>,
  ): Promise<{ stop(): Promise<void> }>;
}

export interface ChannelAdapter {
  provider: Provider;
  /** The URL to paste into the provider's console; secrets for providers whose URL carries one. */
  webhookUrl(integration: Pick<Integration, 'id' | 'config'>, publicUrl: string, secrets: () => Promise<Record<string, string>>): Promise<string | null>;
  /** Where the provider posts delivery events, when it is configured once (not per message). */
  statusWebhookUrl?(integration: Pick<Integration, 'id' | 'config'>, publicUrl: string, secrets: () => Promise<Record<string, string>>): Promise<string | null>;
  /** Largest webhook body the provider sends (default 1 MB). */
  maxBodyBytes?: number;
  /** Longest reply the provider takes in one message (checked when the reply is queued). */
  maxReplyLength?: number;
  /** The subject replies are sent with, for providers that have subjects (email). */
  replySubject?(subject: string | null): string;
  handleWebhook(req: WebhookRequest, ctx: AdapterContext): Promise<WebhookResult>;
  /** Completes an identity that arrived as a bare id (e.g. Slack users.info). */
  lookupSender?(integration: Integration, secrets: Record<string, string>, senderId: string, ctx: AdapterContext): Promise<SenderIdentity>;
  /** Before sending again after a crash: finds the message if the earlier attempt did reach the provider. */
  findSent?(reply: OutboundReply, ctx: AdapterContext): Promise<string | null>;
  send(reply: OutboundReply, ctx: AdapterContext): Promise<SendResult>;
  connector?: Connector;
}
