// The per-request (or per-socket) GraphQL context.
import type { Viewer } from '../auth/viewer.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CredentialStore } from '../security/credentials.ts';
import type { FileUrlSigner } from '../security/signed-urls.ts';
import type { EventHub } from './events.ts';
import type { Inbox } from '../inbox/inbox.ts';

/** What the app shares with every resolver. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  log: Logger;
  events: EventHub;
  credentials: CredentialStore;
  inbox: Inbox;
  fileUrls: FileUrlSigner;
}

export interface Context extends Services {
  viewer: Viewer | null;
  /** The bearer token of this request, if any (sign-out needs it). */
  token: string | undefined;
  /** The client's address, for sign-in throttling. */
  clientIp: string;
}

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

export function requireAdmin(ctx: Context): Viewer {
  const viewer = requireViewer(ctx);
  if (viewer.role !== 'ADMIN') throw forbidden();
  return viewer;
}
