// Who should take a task: the member who last replied to this contact (they
// know the conversation), else the least busy member whose skills include the
// task's type. Ties go to the member who joined first, so the choice is stable.
import type { PrismaClient } from '../db.ts';
import type { TaskType } from '../generated/prisma/client.ts';

export interface Suggestion {
  memberId: string;
  reason: string;
}

export async function suggestAssignee(
  prisma: PrismaClient,
  task: { id: string; workspaceId: string; contactId: string },
  type: TaskType | null,
): Promise<Suggestion | null> {
  // Members are deleted with their workspace and authorId is set null when one leaves, so a found author is a current member.
  const last = await prisma.message.findFirst({
    where: { workspaceId: task.workspaceId, contactId: task.contactId, direction: 'OUTBOUND', authorId: { not: null }, author: { workspaceId: task.workspaceId } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { author: { select: { id: true, name: true } } },
  });
  if (last?.author) return { memberId: last.author.id, reason: `${last.author.name} last replied to this contact.` };
  if (!type) return null;
  const skilled = await prisma.member.findMany({
    where: { workspaceId: task.workspaceId, skills: { has: type } },
    select: { id: true, name: true, createdAt: true, _count: { select: { assignedTasks: { where: { status: 'OPEN' } } } } },
  });
  if (skilled.length === 0) return null;
  skilled.sort((a, b) => a._count.assignedTasks - b._count.assignedTasks || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const pick = skilled[0]!;
  const open = pick._count.assignedTasks;
  return { memberId: pick.id, reason: `${pick.name} handles ${type.toLowerCase().replace('_', ' ')} and has the fewest open tasks (${open}).` };
}
