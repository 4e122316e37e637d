// Attachment contents a provider hands over instead of hosting (email files):
// stored before the message, keyed by the message's provider id, so a
// provider retry stores nothing twice. The message keeps only the metadata
// and the stored file's id.
import type { Attachment, InboundMessage } from '../channels/types.ts';
import type { PrismaClient } from '../db.ts';
import type { Integration } from '../generated/prisma/client.ts';
import { isUniqueViolation } from '../validation.ts';

export async function storeAttachmentContents(prisma: PrismaClient, integration: Integration, msg: InboundMessage, maxBytes: number): Promise<InboundMessage> {
  if (!msg.attachments.some((a) => a.content)) return msg;
  const attachments: Attachment[] = [];
  for (const [part, attachment] of msg.attachments.entries()) {
    const { content, ...meta } = attachment;
    if (!content) {
      attachments.push(meta);
      continue;
    }
    if (content.length > maxBytes) {
      attachments.push({ ...meta, size: content.length, omitted: `Larger than ${Number((maxBytes / 1024 / 1024).toPrecision(3))} MB: not kept (MAX_ATTACHMENT_MB).` });
      continue;
    }
    const where = { integrationId_providerMessageId_part: { integrationId: integration.id, providerMessageId: msg.providerMessageId, part } };
    // Prisma runs this upsert as a read, then an insert: a retry arriving at the same time (providers do
    // that when we are slow) can insert between them. The winner's row is the same file, so take it.
    const file = await prisma.storedFile.upsert({
      where,
      create: {
        workspaceId: integration.workspaceId,
        integrationId: integration.id,
        providerMessageId: msg.providerMessageId,
        part,
        name: meta.name,
        contentType: meta.contentType ?? 'application/octet-stream',
        size: content.length,
        content: Uint8Array.from(content),
      },
      update: {},
      select: { id: true },
    }).catch(async (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      return prisma.storedFile.findUniqueOrThrow({ where, select: { id: true } });
    });
    attachments.push({ ...meta, size: content.length, fileId: file.id });
  }
  return { ...msg, attachments };
}
