// Matching a sender to a contact, per workspace: Slack user id, then email
// (case-insensitive), then phone (E.164). Unique constraints make concurrent
// creations safe: the loser re-reads the winner's row.
import type { SenderIdentity } from '../channels/types.ts';
import type { PrismaClient } from '../db.ts';
import type { Contact, Prisma } from '../generated/prisma/client.ts';
import { isUniqueViolation } from '../validation.ts';

type Db = PrismaClient | Prisma.TransactionClient;

function identityFilters(identity: SenderIdentity): Prisma.ContactWhereInput[] {
  const filters: Prisma.ContactWhereInput[] = [];
  if (identity.slackUserId) filters.push({ slackUserId: identity.slackUserId });
  if (identity.email) filters.push({ email: identity.email.toLowerCase() });
  if (identity.phone) filters.push({ phone: identity.phone });
  return filters;
}

/** True when the sender is one of the team (their own messages never become tasks). */
export async function isTeamMember(db: Db, workspaceId: string, identity: SenderIdentity): Promise<boolean> {
  const or: Prisma.MemberWhereInput[] = [];
  if (identity.slackUserId) or.push({ slackUserId: identity.slackUserId });
  if (identity.email) or.push({ email: identity.email.toLowerCase() });
  if (identity.phone) or.push({ phone: identity.phone });
  if (or.length === 0) return false;
  return (await db.member.count({ where: { workspaceId, OR: or } })) > 0;
}

export async function findContact(db: Db, workspaceId: string, identity: SenderIdentity): Promise<Contact | null> {
  const filters = identityFilters(identity);
  if (filters.length === 0) return null;
  const matches = await db.contact.findMany({ where: { workspaceId, OR: filters } });
  // The most specific identity wins: Slack id, then email, then phone.
  return (
    matches.find((c) => identity.slackUserId && c.slackUserId === identity.slackUserId) ??
    matches.find((c) => identity.email && c.email === identity.email?.toLowerCase()) ??
    matches.find((c) => identity.phone && c.phone === identity.phone) ??
    null
  );
}

/**
 * The contact for this sender: an existing one (filling in identities it lacks,
 * e.g. linking a Slack id to the contact with that email), or a new one.
 */
export async function upsertContact(db: PrismaClient, workspaceId: string, identity: SenderIdentity): Promise<Contact> {
  for (let attempt = 0; ; attempt++) {
    const existing = await findContact(db, workspaceId, identity);
    try {
      if (existing) {
        const fill: Prisma.ContactUpdateInput = {};
        if (!existing.slackUserId && identity.slackUserId) fill.slackUserId = identity.slackUserId;
        if (!existing.email && identity.email) fill.email = identity.email.toLowerCase();
        if (!existing.phone && identity.phone) fill.phone = identity.phone;
        if (!existing.name && identity.name) fill.name = identity.name;
        return Object.keys(fill).length ? await db.contact.update({ where: { id: existing.id }, data: fill }) : existing;
      }
      return await db.contact.create({
        data: {
          workspaceId,
          name: identity.name ?? null,
          email: identity.email?.toLowerCase() ?? null,
          phone: identity.phone ?? null,
          slackUserId: identity.slackUserId ?? null,
        },
      });
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
      // An identity we tried to add belongs to another contact: keep this one as it is.
      if (existing) return existing;
      // Someone else created it meanwhile: the next round reads theirs.
    }
  }
}
