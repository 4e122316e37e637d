// Words for the API's enums, in one place. Pure; unit-tested with the filters.
import type { MessageStatus, Priority, TaskType } from '../graphql/generated/graphql';

export const taskTypeLabels: Record<TaskType, string> = {
  BILLING: 'Billing',
  BUG: 'Bug',
  FEATURE_REQUEST: 'Feature request',
  OTHER: 'Other',
  SALES: 'Sales',
  SPAM: 'Spam',
  SUPPORT: 'Support',
};

export const priorityLabels: Record<Priority, string> = {
  URGENT: 'Urgent',
  HIGH: 'High',
  NORMAL: 'Normal',
  LOW: 'Low',
};

/** Delivery status as a sender reads it, with what it means for the tooltip. */
export const deliveryLabels: Record<MessageStatus, { label: string; hint: string }> = {
  RECEIVED: { label: 'Received', hint: 'Received from the customer.' },
  QUEUED: { label: 'Queued', hint: 'Waiting to be handed to the provider.' },
  SENT: { label: 'Sent', hint: 'The provider accepted the message.' },
  DELIVERED: { label: 'Delivered', hint: 'The provider reports it reached the customer.' },
  READ: { label: 'Read', hint: 'The customer has read it.' },
  FAILED: { label: 'Failed', hint: 'The message was not delivered.' },
};
