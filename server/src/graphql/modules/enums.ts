import {
  Channel, Direction, IntegrationStatus, MessageStatus, Priority, Provider, Role, TaskStatus, TaskType,
} from '../../generated/prisma/enums.ts';
import { builder } from '../builder.ts';

export const RoleEnum = builder.enumType(Role, { name: 'Role' });
export const ChannelEnum = builder.enumType(Channel, { name: 'Channel' });
export const ProviderEnum = builder.enumType(Provider, { name: 'Provider' });
export const IntegrationStatusEnum = builder.enumType(IntegrationStatus, { name: 'IntegrationStatus' });
export const TaskStatusEnum = builder.enumType(TaskStatus, { name: 'TaskStatus' });
export const TaskTypeEnum = builder.enumType(TaskType, { name: 'TaskType' });
export const PriorityEnum = builder.enumType(Priority, { name: 'Priority' });
export const DirectionEnum = builder.enumType(Direction, {
  name: 'Direction',
});
export const MessageStatusEnum = builder.enumType(MessageStatus, {
  name: 'MessageStatus',
  description: 'INBOUND messages are RECEIVED. OUTBOUND ones go QUEUED -> SENT, then DELIVERED / READ where the provider reports it, or FAILED (see error).',
});
