import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../builder.ts';
import { requireViewer } from '../context.ts';
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
