import type { Attachment } from '../../channels/types.ts';
import { builder } from '../builder.ts';
import { DirectionEnum, MessageStatusEnum } from './enums.ts';

const AttachmentRef = builder.objectRef<Attachment>('Attachment').implement({
  description: 'A file that came with a message (kept as the provider described it).',
  fields: (t) => ({
    name: t.exposeString('name'),
    contentType: t.string({ nullable: true, resolve: (a) => a.contentType ?? null }),
    size: t.int({ nullable: true, description: 'Bytes, when the provider said.', resolve: (a) => a.size ?? null }),
    url: t.string({ nullable: true, description: 'Where the provider serves it (may need the provider\'s sign-in).', resolve: (a) => a.url ?? null }),
  }),
});

export const MessageRef = builder.prismaObject('Message', {
  fields: (t) => ({
    id: t.exposeID('id'),
    direction: t.expose('direction', { type: DirectionEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    error: t.exposeString('error', { nullable: true, description: 'The provider\'s reason when FAILED.' }),
    body: t.exposeString('body'),
    author: t.relation('author', { nullable: true, description: 'OUTBOUND: who sent it.' }),
    attachments: t.field({ type: [AttachmentRef], resolve: (m) => (Array.isArray(m.attachments) ? (m.attachments as unknown as Attachment[]) : []) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
