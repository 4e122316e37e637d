// Live updates. Each subscription listens to its own workspace only (see
// events.ts); the entity is re-read scoped to the subscriber's workspace (not the
// event's) before it is sent, so a misrouted event can never leak a row.
import { builder } from '../builder.ts';
import { requireViewer } from '../context.ts';
import type { ParleyEvent } from '../events.ts';

builder.subscriptionFields((t) => ({
  taskCreated: t.prismaField({
    type: 'Task',
    subscribe: (_root, _args, ctx) => ctx.events.subscribe('taskCreated', requireViewer(ctx).workspaceId),
    resolve: (query, event, _args, ctx) => {
      const e = event as unknown as ParleyEvent;
      return ctx.prisma.task.findFirstOrThrow({ ...query, where: { id: e.id, workspaceId: requireViewer(ctx).workspaceId } });
    },
  }),
  taskUpdated: t.prismaField({
    type: 'Task',
    description: 'Triage, assignment, status, new messages.',
    subscribe: (_root, _args, ctx) => ctx.events.subscribe('taskUpdated', requireViewer(ctx).workspaceId),
    resolve: (query, event, _args, ctx) => {
      const e = event as unknown as ParleyEvent;
      return ctx.prisma.task.findFirstOrThrow({ ...query, where: { id: e.id, workspaceId: requireViewer(ctx).workspaceId } });
    },
  }),
  messageUpdated: t.prismaField({
    type: 'Message',
    description: 'New messages and status changes; with taskId, only that task\'s.',
    args: { taskId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const taskId = args.taskId == null ? undefined : String(args.taskId);
      return ctx.events.subscribe('messageUpdated', requireViewer(ctx).workspaceId, (e) => taskId === undefined || e.taskId === taskId);
    },
    resolve: (query, event, _args, ctx) => {
      const e = event as unknown as ParleyEvent;
      return ctx.prisma.message.findFirstOrThrow({ ...query, where: { id: e.id, workspaceId: requireViewer(ctx).workspaceId } });
    },
  }),
}));
