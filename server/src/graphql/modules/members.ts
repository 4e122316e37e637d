import { notFound, userError } from '../../errors.ts';
import { hashPassword } from '../../security/passwords.ts';
import * as v from '../../validation.ts';
import { builder } from '../builder.ts';
import { requireAdmin, requireViewer } from '../context.ts';
import { RoleEnum, TaskTypeEnum } from './enums.ts';

export const MemberRef = builder.prismaObject('Member', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    slackUserId: t.exposeString('slackUserId', { nullable: true, description: 'Identities used to recognise the team\'s own messages, which never become inbound tasks.' }),
    phone: t.exposeString('phone', { nullable: true }),
    skills: t.field({ type: [TaskTypeEnum], description: 'Task types this member handles; triage suggests them for those.', resolve: (m) => m.skills }),
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
      const conflict = (field: 'email' | 'slackUserId' | 'phone') => {
        if (field === 'slackUserId') return userError('CONFLICT', 'Another member already has this Slack user id.', { field });
        if (field === 'phone') return userError('CONFLICT', 'Another member already has this phone number.', { field });
        return userError('CONFLICT', 'This email is already registered with Parley.', { field });
      };
      // Check first, so the error names the right field whatever shape the driver gives a unique violation.
      const taken = await ctx.prisma.member.findFirst({
        where: {
          OR: [
            { email: data.email },
            ...(data.slackUserId ? [{ workspaceId: data.workspaceId, slackUserId: data.slackUserId }] : []),
            ...(data.phone ? [{ workspaceId: data.workspaceId, phone: data.phone }] : []),
          ],
        },
        select: { email: true, slackUserId: true, phone: true },
      });
      if (taken) {
        if (taken.email === data.email) throw conflict('email');
        throw conflict(data.slackUserId && taken.slackUserId === data.slackUserId ? 'slackUserId' : 'phone');
      }
      try {
        return await ctx.prisma.member.create({ ...query, data });
      } catch (err) {
        // A concurrent insert won the race.
        if (!v.isUniqueViolation(err)) throw err;
        const target = v.uniqueViolationTarget(err);
        if (target.includes('slackUserId')) throw conflict('slackUserId');
        if (target.includes('phone')) throw conflict('phone');
        throw conflict('email');
      }
    },
  }),
);

builder.mutationField('updateMember', (t) =>
  t.prismaField({
    type: 'Member',
    description: 'ADMIN only. Omitted arguments keep their value; an empty slackUserId or phone clears it. The last admin cannot be made a member.',
    args: {
      id: t.arg.id({ required: true }),
      name: t.arg.string({ required: false }),
      role: t.arg({ type: RoleEnum, required: false }),
      slackUserId: t.arg.string({ required: false }),
      phone: t.arg.string({ required: false }),
      skills: t.arg({ type: [TaskTypeEnum], required: false, description: 'Replaces the list; [] clears it.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const viewer = requireAdmin(ctx);
      const id = String(args.id);
      const data = {
        ...(args.name != null ? { name: v.requiredText(args.name, 'name') } : {}),
        ...(args.role != null ? { role: args.role } : {}),
        ...(args.slackUserId !== undefined ? { slackUserId: v.optionalSlackUserId(args.slackUserId) } : {}),
        ...(args.phone !== undefined ? { phone: v.optionalPhone(args.phone) } : {}),
        ...(args.skills != null ? { skills: [...new Set(args.skills)] } : {}),
      };
      try {
        await ctx.prisma.$transaction(async (tx) => {
          // Admins locked in a fixed order, so two concurrent demotions cannot both pass the check.
          await tx.$queryRawUnsafe('SELECT id FROM "Member" WHERE "workspaceId" = $1 AND role = \'ADMIN\' ORDER BY id FOR UPDATE', viewer.workspaceId);
          const member = await tx.member.findFirst({ where: { id, workspaceId: viewer.workspaceId } });
          if (!member) throw notFound('member', id);
          if (member.role === 'ADMIN' && data.role === 'MEMBER' && (await tx.member.count({ where: { workspaceId: viewer.workspaceId, role: 'ADMIN' } })) <= 1) {
            throw userError('BAD_USER_INPUT', 'This is the only admin: make someone else an admin first.', { field: 'role' });
          }
          await tx.member.update({ where: { id }, data });
        });
      } catch (err) {
        if (!v.isUniqueViolation(err)) throw err;
        const target = v.uniqueViolationTarget(err);
        if (target.includes('slackUserId')) throw userError('CONFLICT', 'Another member already has this Slack user id.', { field: 'slackUserId' });
        throw userError('CONFLICT', 'Another member already has this phone number.', { field: 'phone' });
      }
      return ctx.prisma.member.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
