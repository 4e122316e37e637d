// Replying from the inbox: the message is stored QUEUED and delivered by a job.
import { userError } from '../../errors.ts';
import { ReplyError } from '../../inbox/replies.ts';
import { builder } from '../builder.ts';
import { requireViewer } from '../context.ts';

builder.mutationField('replyToTask', (t) =>
  t.prismaField({
    type: 'Message',
    description: 'Any member. Returns the QUEUED message at once; messageUpdated follows its delivery.',
    args: { taskId: t.arg.id({ required: true }), body: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const viewer = requireViewer(ctx);
      try {
        const message = await ctx.inbox.reply(viewer, String(args.taskId), args.body);
        return ctx.prisma.message.findUniqueOrThrow({ ...query, where: { id: message.id } });
      } catch (err) {
        if (err instanceof ReplyError) throw userError(err.code, err.message, err.field ? { field: err.field } : {});
        throw err;
      }
    },
  }),
);

builder.mutationField('retryMessage', (t) =>
  t.prismaField({
    type: 'Message',
    description: 'Any member. Sends a FAILED reply again: it goes back to QUEUED and a new delivery starts.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const viewer = requireViewer(ctx);
      try {
        const message = await ctx.inbox.retry(viewer, String(args.messageId));
        return ctx.prisma.message.findUniqueOrThrow({ ...query, where: { id: message.id } });
      } catch (err) {
        if (err instanceof ReplyError) throw userError(err.code, err.message, err.field ? { field: err.field } : {});
        throw err;
      }
    },
  }),
);
