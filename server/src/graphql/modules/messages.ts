import type { Attachment } from '../../channels/types.ts';
import { builder } from '../builder.ts';
import { DirectionEnum, MessageStatusEnum } from './enums.ts';

const AttachmentRef = builder.objectRef<Attachment & { workspaceId: string }>('Attachment').implement({
  description: 'A file that came with a message.',
  fields: (t) => ({
    name: t.exposeString('name'),
    contentType: t.string({ nullable: true, resolve: (a) => a.contentType ?? null }),
    size: t.int({ nullable: true, description: 'Bytes, when known.', resolve: (a) => a.size ?? null }),
    url: t.string({
      nullable: true,
      description: 'Where to get it: Parley\'s own signed link (valid for an hour) when Parley keeps the file, else where the provider serves it (which may need the provider\'s sign-in).',
      resolve: (a, _args, ctx) => (a.fileId ? `${ctx.config.publicUrl}${ctx.fileUrls.sign(a.fileId, a.workspaceId)}` : (a.url ?? null)),
    }),
    omitted: t.string({ nullable: true, description: 'Why the content was not kept (e.g. over the size cap); the name and size still are.', resolve: (a) => a.omitted ?? null }),
  }),
});

export const MessageRef = builder.prismaObject('Message', {
  fields: (t) => ({
    id: t.exposeID('id'),
    direction: t.expose('direction', { type: DirectionEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    error: t.exposeString('error', { nullable: true, description: 'The provider\'s reason when FAILED.' }),
    body: t.exposeString('body', { description: 'The text to show; for an email reply, the new part without the quoted history.' }),
    fullBody: t.string({ description: 'The whole text as received, including any quoted history.', resolve: (m) => m.fullBody ?? m.body }),
    errorCode: t.exposeString('errorCode', { nullable: true, description: 'The provider\'s error code when FAILED (e.g. Twilio 30003, SendGrid bounce:5.1.1).' }),
    author: t.relation('author', { nullable: true, description: 'OUTBOUND: who sent it.' }),
    attachments: t.field({
      type: [AttachmentRef],
      resolve: (m) => (Array.isArray(m.attachments) ? (m.attachments as unknown as Attachment[]).map((a) => ({ ...a, workspaceId: m.workspaceId })) : []),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
