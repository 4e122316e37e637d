// Sign-up, sign-in, sign-out and API keys.
import { clearFailures, recordFailure, throttleCheck } from '../../auth/throttle.ts';
import { userError } from '../../errors.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../security/passwords.ts';
import { API_KEY_PREFIX, SESSION_PREFIX, displayPrefix, hashToken, newToken } from '../../security/tokens.ts';
import * as v from '../../validation.ts';
import { builder } from '../builder.ts';
import { requireAdmin, requireViewer, type Context } from '../context.ts';
import { MemberRef } from './members.ts';
import { WorkspaceRef } from './workspace.ts';
import type { Member, Workspace } from '../../generated/prisma/client.ts';

interface AuthPayloadShape {
  token: string;
  member: Member;
  workspace: Workspace;
}

const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token'),
    member: t.field({ type: MemberRef, resolve: (p) => p.member }),
    workspace: t.field({ type: WorkspaceRef, resolve: (p) => p.workspace }),
  }),
});

const ApiKeyPayload = builder.objectRef<{ key: string }>('ApiKeyPayload').implement({
  description: 'The key is shown once: only its hash is stored.',
  fields: (t) => ({ key: t.exposeString('key') }),
});

builder.prismaObject('ApiKey', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('member'),
  }),
});

async function createSession(ctx: Context, memberId: string): Promise<string> {
  const token = newToken(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlHours * 3_600_000);
  await ctx.prisma.session.create({ data: { memberId, tokenHash: hashToken(token), expiresAt } });
  return token;
}

function minutes(ms: number): string {
  const m = Math.ceil(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: 'Creates a workspace and its first member, an ADMIN.',
    args: {
      workspaceName: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const workspaceName = v.requiredText(args.workspaceName, 'workspaceName');
      const name = v.requiredText(args.name, 'name');
      const email = v.email(args.email);
      const passwordHash = await hashPassword(v.password(args.password));
      try {
        const { member, workspace } = await ctx.prisma.$transaction(async (tx) => {
          const workspace = await tx.workspace.create({ data: { name: workspaceName } });
          const member = await tx.member.create({ data: { workspaceId: workspace.id, name, email, passwordHash, role: 'ADMIN' } });
          return { member, workspace };
        });
        ctx.log.info({ workspaceId: workspace.id, memberId: member.id }, 'workspace created');
        return { token: await createSession(ctx, member.id), member, workspace };
      } catch (err) {
        if (v.isUniqueViolation(err)) throw userError('CONFLICT', 'This email is already registered with Parley: sign in instead.', { field: 'email' });
        throw err;
      }
    },
  }),

  signIn: t.field({
    type: AuthPayload,
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const email = args.email.trim().toLowerCase();
      const keys = [`email:${email}`, `ip:${ctx.clientIp}`];
      const { lockedForMs } = await throttleCheck(ctx.prisma, keys);
      if (lockedForMs > 0) {
        ctx.log.warn({ ip: ctx.clientIp }, 'sign-in throttled');
        throw userError('TOO_MANY_REQUESTS', `Too many failed sign-ins. Try again in ${minutes(lockedForMs)}.`, { retryAfterSeconds: Math.ceil(lockedForMs / 1000) });
      }
      const member = await ctx.prisma.member.findUnique({ where: { email }, include: { workspace: true } });
      // Verify against a decoy when the email is unknown so both paths take as long.
      const ok = await verifyPassword(args.password, member?.passwordHash ?? (await decoyHash()));
      if (!member || !ok) {
        await recordFailure(ctx.prisma, keys);
        ctx.log.info({ ip: ctx.clientIp }, 'sign-in failed');
        throw userError('UNAUTHENTICATED', 'Wrong email or password.');
      }
      // Only the account's counter: a valid account must not reset an address's count.
      await clearFailures(ctx.prisma, [keys[0]!]);
      const { workspace, ...plain } = member;
      return { token: await createSession(ctx, member.id), member: plain, workspace };
    },
  }),

  signOut: t.boolean({
    description: 'Ends the session whose token made this request. API keys are revoked with revokeApiKey.',
    resolve: async (_root, _args, ctx) => {
      requireViewer(ctx);
      if (!ctx.token?.startsWith(SESSION_PREFIX)) return false;
      const res = await ctx.prisma.session.deleteMany({ where: { tokenHash: hashToken(ctx.token) } });
      return res.count > 0;
    },
  }),

  createApiKey: t.field({
    type: ApiKeyPayload,
    description: 'ADMIN only. The key acts as the admin who created it; it is shown once.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireAdmin(ctx);
      const key = newToken(API_KEY_PREFIX);
      await ctx.prisma.apiKey.create({
        data: { workspaceId: viewer.workspaceId, memberId: viewer.memberId, name: v.requiredText(args.name, 'name', 100), prefix: displayPrefix(key), keyHash: hashToken(key) },
      });
      return { key };
    },
  }),

  revokeApiKey: t.boolean({
    description: 'ADMIN only.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireAdmin(ctx);
      const res = await ctx.prisma.apiKey.updateMany({
        where: { id: String(args.id), workspaceId: viewer.workspaceId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      return res.count > 0;
    },
  }),
}));

builder.queryField('apiKeys', (t) =>
  t.prismaField({
    type: ['ApiKey'],
    description: 'ADMIN only. Keys that are not revoked, newest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.apiKey.findMany({ ...query, where: { workspaceId: requireAdmin(ctx).workspaceId, revokedAt: null }, orderBy: { createdAt: 'desc' } }),
  }),
);
