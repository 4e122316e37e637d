import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../builder.ts';
import { badInput, notFound } from '../../errors.ts';
import { publish } from '../events.ts';
import { requireAdmin, requireViewer } from '../context.ts';
import { afterCursor, newestFirst, pageSize, toConnection } from '../pagination.ts';
import { PageInfo, type PageInfoShape } from './page-info.ts';

export const ContactRef = builder.prismaObject('Contact', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true, description: 'E.164, e.g. +14155550100' }),
    slackUserId: t.exposeString('slackUserId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

type ContactRow = Prisma.ContactGetPayload<object>;

const ContactEdge = builder.objectRef<{ cursor: string; node: ContactRow }>('ContactEdge').implement({
  fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: ContactRef, resolve: (e) => e.node }) }),
});

const ContactConnection = builder.objectRef<{ edges: { cursor: string; node: ContactRow }[]; pageInfo: PageInfoShape }>('ContactConnection').implement({
  fields: (t) => ({ edges: t.field({ type: [ContactEdge], resolve: (c) => c.edges }), pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }) }),
});

/** Matches name, email or phone, case-insensitively; a search that looks like a phone number also matches when typed with spaces, dashes or brackets. */
export function contactSearch(search: string | null | undefined): Prisma.ContactWhereInput {
  const s = search?.trim();
  if (!s) return {};
  const looksLikePhone = /^[\d\s+().-]+$/.test(s);
  const digits = s.replace(/[^\d+]/g, '');
  // contains becomes LIKE '%…%' without escaping: "%" or "_" typed by the user would be wildcards.
  const literal = s.replace(/[\\%_]/g, '\\$&');
  return {
    OR: [
      { name: { contains: literal, mode: 'insensitive' } },
      { email: { contains: literal, mode: 'insensitive' } },
      { phone: { contains: literal } },
      ...(looksLikePhone && digits.length >= 3 && digits !== s ? [{ phone: { contains: digits } }] : []),
    ],
  };
}

builder.queryField('contact', (t) =>
  t.prismaField({
    type: 'Contact',
    nullable: true,
    description: 'Null when absent or in another workspace.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.contact.findFirst({ ...query, where: { id: String(args.id), workspaceId: requireViewer(ctx).workspaceId } }),
  }),
);

builder.queryField('contacts', (t) =>
  t.field({
    type: ContactConnection,
    description: 'Newest first. search matches name, email or phone.',
    args: {
      search: t.arg.string({ required: false }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const { workspaceId } = requireViewer(ctx);
      const take = pageSize(args.first);
      const rows = await ctx.prisma.contact.findMany({
        where: { AND: [{ workspaceId }, contactSearch(args.search), afterCursor(args.after)] },
        orderBy: newestFirst,
        take: take + 1,
      });
      return toConnection(rows, take);
    },
  }),
);

builder.mutationField('mergeContacts', (t) =>
  t.prismaField({
    type: 'Contact',
    description:
      'ADMIN only. One person, one contact: moves the source\'s tasks and messages to the target, gives the target the identities (email, phone, Slack id) and name it lacks, and deletes the source. Returns the target.',
    args: { sourceId: t.arg.id({ required: true }), targetId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { workspaceId } = requireAdmin(ctx);
      const sourceId = String(args.sourceId);
      const targetId = String(args.targetId);
      if (sourceId === targetId) throw badInput('Choose two different contacts to merge.', 'targetId');
      const moved = await ctx.prisma.$transaction(async (tx) => {
        // Both rows locked, in a fixed order, so two merges of the same pair cannot interleave.
        const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
          'SELECT id FROM "Contact" WHERE "workspaceId" = $1 AND id IN ($2, $3) ORDER BY id FOR UPDATE',
          workspaceId, sourceId, targetId,
        );
        if (!rows.some((r) => r.id === sourceId)) throw notFound('contact', sourceId);
        if (!rows.some((r) => r.id === targetId)) throw notFound('contact', targetId);
        const source = await tx.contact.findUniqueOrThrow({ where: { id: sourceId } });
        const target = await tx.contact.findUniqueOrThrow({ where: { id: targetId } });
        const fill = {
          ...(!target.name && source.name ? { name: source.name } : {}),
          ...(!target.email && source.email ? { email: source.email } : {}),
          ...(!target.phone && source.phone ? { phone: source.phone } : {}),
          ...(!target.slackUserId && source.slackUserId ? { slackUserId: source.slackUserId } : {}),
        };
        // The target's own tasks change too: their contact gains identities.
        const tasks = await tx.task.findMany({ where: { contactId: { in: [sourceId, targetId] } }, select: { id: true } });
        await tx.task.updateMany({ where: { contactId: sourceId }, data: { contactId: targetId } });
        await tx.message.updateMany({ where: { contactId: sourceId }, data: { contactId: targetId } });
        // The source goes first: its identities are unique per workspace and move to the target.
        await tx.contact.delete({ where: { id: sourceId } });
        if (Object.keys(fill).length) await tx.contact.update({ where: { id: targetId }, data: fill });
        for (const task of tasks) await publish(tx, { name: 'taskUpdated', workspaceId, id: task.id });
        return tasks.length;
      });
      ctx.log.info({ sourceId, targetId, tasks: moved }, 'contacts merged');
      return ctx.prisma.contact.findUniqueOrThrow({ ...query, where: { id: targetId } });
    },
  }),
);
