// Who is calling: resolved from a session token or an API key. Everything a
// resolver may see is scoped to viewer.workspaceId.
import type { PrismaClient } from '../db.ts';
import type { Role } from '../generated/prisma/client.ts';
import { API_KEY_PREFIX, SESSION_PREFIX, hashToken } from '../security/tokens.ts';

export interface Viewer {
  memberId: string;
  workspaceId: string;
  role: Role;
  via: 'session' | 'apiKey';
}

/** How often last-used timestamps are written: often enough to be useful, rarely enough not to cost a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export async function authenticate(prisma: PrismaClient, token: string | undefined, now = new Date()): Promise<Viewer | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  if (token.startsWith(SESSION_PREFIX)) {
    const session = await prisma.session.findUnique({ where: { tokenHash }, include: { member: true } });
    if (!session || session.expiresAt <= now) return null;
    if (now.getTime() - session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await prisma.session.update({ where: { id: session.id }, data: { lastUsedAt: now } }).catch(() => undefined);
    }
    const m = session.member;
    return { memberId: m.id, workspaceId: m.workspaceId, role: m.role, via: 'session' };
  }
  if (token.startsWith(API_KEY_PREFIX)) {
    const key = await prisma.apiKey.findUnique({ where: { keyHash: tokenHash }, include: { member: true } });
    if (!key || key.revokedAt || key.member.workspaceId !== key.workspaceId) return null;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } }).catch(() => undefined);
    }
    return { memberId: key.memberId, workspaceId: key.workspaceId, role: key.member.role, via: 'apiKey' };
  }
  return null;
}
