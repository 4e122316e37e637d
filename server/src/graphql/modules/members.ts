import { userError } from '../../errors.ts';
import { hashPassword } from '../../security/passwords.ts';
import * as v from '../../validation.ts';
import { builder } from '../builder.ts';
import { requireAdmin, requireViewer } from '../context.ts';
import { RoleEnum } from './enums.ts';

export const MemberRef = builder.prismaObject('Member', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    slackUserId: t.exposeString('slackUserId', { nullable: true, description: 'Identities used to recognise the team\'s own messages, which never become inbound tasks.' }),
    phone: t.exposeString('phone', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  me: t.prismaField({
    type: 'Member',
    resolve: (query, _root, _args, ctx) => ctx.prisma.member.findUniqueOrThrow({ ...query, where: { id: requireViewer(ctx).memberId } }),
  }),
  members: t.prismaField({
    type: ['Member'],
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.member.findMany({ ...query, where: { workspaceId: requireViewer(ctx).workspaceId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
}));

builder.mutationField('addMember', (t) =>
  t.prismaField({
    type: 'Member',
    description: 'ADMIN only.',
    args: {
      name: t.arg.string({ required: true }),
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true, defaultValue: 'MEMBER' }),
      slackUserId: t.arg.string({ required: false }),
      phone: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const viewer = requireAdmin(ctx);
      const data = {
        workspaceId: viewer.workspaceId,
        name: v.requiredText(args.name, 'name'),
        email: v.email(args.email),
        role: args.role,
        slackUserId: v.optionalSlackUserId(args.slackUserId),
        phone: v.optionalPhone(args.phone),
        passwordHash: await hashPassword(v.password(args.password)),
      };
      try {
        return await ctx.prisma.member.create({ ...query, data });
      } catch (err) {
        if (!v.isUniqueViolation(err)) throw err;
        const target = String(err.meta?.target ?? '');
        if (target.includes('slackUserId')) throw userError('CONFLICT', 'Another member already has this Slack user id.', { field: 'slackUserId' });
        if (target.includes('phone')) throw userError('CONFLICT', 'Another member already has this phone number.', { field: 'phone' });
        throw userError('CONFLICT', 'This email is already registered with Parley.', { field: 'email' });
      }
    },
  }),
);
