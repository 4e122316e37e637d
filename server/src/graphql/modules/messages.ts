import { builder } from '../builder.ts';
import { DirectionEnum, MessageStatusEnum } from './enums.ts';

export const MessageRef = builder.prismaObject('Message', {
  fields: (t) => ({
    id: t.exposeID('id'),
    direction: t.expose('direction', { type: DirectionEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    error: t.exposeString('error', { nullable: true, description: 'The provider\'s reason when FAILED.' }),
    body: t.exposeString('body'),
    author: t.relation('author', { nullable: true, description: 'OUTBOUND: who sent it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
