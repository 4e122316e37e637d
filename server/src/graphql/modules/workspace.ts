import { builder } from '../builder.ts';
import { requireViewer } from '../context.ts';

export const WorkspaceRef = builder.prismaObject('Workspace', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
  }),
});

builder.queryField('workspace', (t) =>
  t.prismaField({
    type: 'Workspace',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: requireViewer(ctx).workspaceId } }),
  }),
);
