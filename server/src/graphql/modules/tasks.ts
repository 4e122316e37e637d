import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Prisma } from '../../generated/prisma/client.ts';
import { badInput, notFound } from '../../errors.ts';
import { builder } from '../builder.ts';
import { requireViewer, type Context } from '../context.ts';
import { publish } from '../events.ts';
import { afterCursor, newestFirst, pageSize, toConnection } from '../pagination.ts';
import { ChannelEnum, PriorityEnum, TaskStatusEnum, TaskTypeEnum } from './enums.ts';
import { findAdapter } from '../../channels/registry.ts';
import { IntegrationRef } from './integrations.ts';
import { PageInfo, type PageInfoShape } from './page-info.ts';

type TaskWithIntegration = Prisma.TaskGetPayload<{ include: { integration: true } }>;

/** Where a reply goes; shown on the compose sheet. Backed by the task's own columns. */
const Conversation = builder.objectRef<TaskWithIntegration>('Conversation').implement({
  description: 'Where a reply goes: shown on the compose sheet.',
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, resolve: (task) => task.channel }),
    integration: t.field({ type: IntegrationRef, resolve: (task) => task.integration }),
    slackChannelId: t.string({ nullable: true, resolve: (task) => task.slackChannelId }),
    slackChannelName: t.string({ nullable: true, resolve: (task) => task.slackChannelName }),
    slackThreadTs: t.string({ nullable: true, description: 'The thread a Slack reply is posted in.', resolve: (task) => task.slackThreadTs }),
    address: t.string({ nullable: true, description: "EMAIL: the customer's address; SMS/WHATSAPP: the customer's E.164 number.", resolve: (task) => task.address }),
    subject: t.string({ nullable: true, description: 'EMAIL only.', resolve: (task) => task.subject }),
    replySubject: t.string({
      nullable: true,
      description: 'EMAIL: the subject a reply is sent with (the compose sheet shows it). Null for channels without subjects.',
      resolve: (task) => findAdapter(task.integration.provider)?.replySubject?.(task.subject) ?? null,
    }),
    ourAddress: t.string({ nullable: true, description: 'SMS/WHATSAPP: our number the customer wrote to (replies come from it); EMAIL: the address they wrote to.', resolve: (task) => task.ourAddress }),
  }),
});

export const PREVIEW_LENGTH = 140;

/** One line of the latest message, for the inbox list. */
function preview(message: { body: string; attachments: unknown } | undefined): string {
  if (!message) return '';
  const text = message.body.replace(/\s+/g, ' ').trim();
  if (!text) return Array.isArray(message.attachments) && message.attachments.length ? 'Attachment' : '';
  return text.length <= PREVIEW_LENGTH ? text : `${text.slice(0, PREVIEW_LENGTH - 1).trimEnd()}…`;
}

export const TaskRef = builder.prismaObject('Task', {
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: TaskStatusEnum }),
    channel: t.expose('channel', { type: ChannelEnum }),
    title: t.exposeString('title'),
    contact: t.relation('contact'),
    conversation: t.field({ type: Conversation, select: { integration: true }, resolve: (task) => task as TaskWithIntegration }),
    messages: t.relation('messages', { description: 'Oldest first, inbound and outbound.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    type: t.expose('type', { type: TaskTypeEnum, nullable: true, description: 'Triage. Null until the classifier has run.' }),
    priority: t.expose('priority', { type: PriorityEnum, nullable: true }),
    suggestedAssignee: t.relation('suggestedAssignee', { nullable: true }),
    triageReason: t.exposeString('triageReason', { nullable: true, description: 'Why triage chose the suggested assignee.' }),
    assignee: t.relation('assignee', { nullable: true }),
    preview: t.string({
      description: 'The latest message (inbound or outbound) on one line, shortened.',
      select: { messages: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1, select: { body: true, attachments: true } } },
      resolve: (task) => preview(task.messages[0]),
    }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

type TaskRow = Prisma.TaskGetPayload<object>;

const TaskEdge = builder.objectRef<{ cursor: string; node: TaskRow }>('TaskEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: TaskRef, resolve: (edge) => edge.node }),
  }),
});

const TaskConnection = builder.objectRef<{ edges: { cursor: string; node: TaskRow }[]; pageInfo: PageInfoShape }>('TaskConnection').implement({
  fields: (t) => ({ edges: t.field({ type: [TaskEdge], resolve: (c) => c.edges }), pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }) }),
});

builder.queryFields((t) => ({
  task: t.prismaField({
    type: 'Task',
    nullable: true,
    description: 'Null when absent or in another workspace.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.task.findFirst({ ...query, where: { id: String(args.id), workspaceId: requireViewer(ctx).workspaceId } }),
  }),
  tasks: t.field({
    type: TaskConnection,
    description: 'Newest first.',
    args: {
      status: t.arg({ type: TaskStatusEnum, required: false }),
      channel: t.arg({ type: ChannelEnum, required: false }),
      assigneeId: t.arg.id({ required: false, description: 'Only tasks assigned to this member.' }),
      unassigned: t.arg.boolean({ required: false, description: 'true: only tasks nobody is assigned to; false: only assigned tasks.' }),
      contactId: t.arg.id({ required: false }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx, info) => {
      const { workspaceId } = requireViewer(ctx);
      const take = pageSize(args.first);
      if (args.assigneeId && args.unassigned) throw badInput('Use either assigneeId or unassigned: true, not both.', 'unassigned');
      const where: Prisma.TaskWhereInput = {
        workspaceId,
        ...(args.status ? { status: args.status } : {}),
        ...(args.channel ? { channel: args.channel } : {}),
        ...(args.assigneeId ? { assigneeId: String(args.assigneeId) } : {}),
        ...(args.unassigned === true ? { assigneeId: null } : {}),
        ...(args.unassigned === false && !args.assigneeId ? { assigneeId: { not: null } } : {}),
        ...(args.contactId ? { contactId: String(args.contactId) } : {}),
      };
      const rows = await ctx.prisma.task.findMany({
        where: { AND: [where, afterCursor(args.after)] },
        orderBy: newestFirst,
        take: take + 1,
        // One query for the page, shaped by what the client selected under edges.node.
        ...queryFromInfo({ context: ctx, info, path: ['edges', 'node'] }),
      });
      return toConnection(rows, take);
    },
  }),
}));

/** Updates a task of the viewer's workspace and announces it; the event is delivered only if the update commits. */
async function updateTask(ctx: Context, taskId: string, data: Prisma.TaskUncheckedUpdateManyInput): Promise<void> {
  const { workspaceId } = requireViewer(ctx);
  const found = await ctx.prisma.$transaction(async (tx) => {
    const res = await tx.task.updateMany({ where: { id: taskId, workspaceId }, data });
    if (res.count === 0) return false;
    await publish(tx, { name: 'taskUpdated', workspaceId, id: taskId });
    return true;
  });
  if (!found) throw notFound('task', taskId);
}

builder.mutationFields((t) => ({
  assignTask: t.prismaField({
    type: 'Task',
    description: 'Any member. memberId null unassigns.',
    args: { taskId: t.arg.id({ required: true }), memberId: t.arg.id({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const { workspaceId } = requireViewer(ctx);
      const taskId = String(args.taskId);
      const memberId = args.memberId == null ? null : String(args.memberId);
      if (memberId && !(await ctx.prisma.member.findFirst({ where: { id: memberId, workspaceId }, select: { id: true } }))) {
        throw notFound('member', memberId);
      }
      await updateTask(ctx, taskId, { assigneeId: memberId });
      return ctx.prisma.task.findUniqueOrThrow({ ...query, where: { id: taskId } });
    },
  }),
  setTaskStatus: t.prismaField({
    type: 'Task',
    description: 'Any member.',
    args: { taskId: t.arg.id({ required: true }), status: t.arg({ type: TaskStatusEnum, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const taskId = String(args.taskId);
      await updateTask(ctx, taskId, { status: args.status });
      return ctx.prisma.task.findUniqueOrThrow({ ...query, where: { id: taskId } });
    },
  }),
}));
