// One task with its whole conversation, live: delivery status and new messages
// arrive through messageUpdated(taskId) and land in the cache.
import { useMutation, useQuery, useSubscription } from '@urql/vue';
import { computed, ref, watch, type MaybeRefOrGetter, toValue } from 'vue';
import { connectionState } from '../graphql/client';
import { describeError, type UserFacingError } from '../graphql/errors';
import {
  TaskAssignDocument,
  TaskDetailDocument,
  TaskMessageUpdatedDocument,
  TaskReplyDocument,
  TaskRetryMessageDocument,
  TaskSetStatusDocument,
  type TaskDetailQuery,
  type TaskStatus,
} from '../graphql/generated/graphql';

export type TaskDetail = NonNullable<TaskDetailQuery['task']>;
export type TaskMessage = TaskDetail['messages'][number];

export function useTask(id: MaybeRefOrGetter<string>) {
  const query = useQuery({ query: TaskDetailDocument, variables: () => ({ id: toValue(id) }), requestPolicy: 'cache-and-network' });
  useSubscription({ query: TaskMessageUpdatedDocument, variables: () => ({ taskId: toValue(id) }) });

  watch(connectionState, (state, before) => {
    if (state === 'connected' && before === 'reconnecting') query.executeQuery({ requestPolicy: 'network-only' });
  });

  // While the next task loads, the previous one's data is not shown as if it were this one.
  const task = computed(() => {
    const current = query.data.value?.task ?? null;
    return current && current.id === toValue(id) ? current : null;
  });
  const messages = computed(() =>
    // Oldest first; ISO timestamps sort as text.
    [...(task.value?.messages ?? [])].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt))),
  );
  const answeredFor = computed(() => query.operation.value?.variables.id);

  return {
    task,
    messages,
    /** True until this task's data is there. */
    loading: computed(() => query.fetching.value && !task.value),
    /** The task does not exist or is in another workspace. */
    notFound: computed(
      () => !query.fetching.value && !query.error.value && answeredFor.value === toValue(id) && query.data.value !== undefined && query.data.value.task === null,
    ),
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    retry: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}

/** Marking done, reopening and assigning, for any task (the inbox list uses them too). */
export function useTaskActions() {
  const statusMutation = useMutation(TaskSetStatusDocument);
  const assignMutation = useMutation(TaskAssignDocument);
  const error = ref<UserFacingError | null>(null);

  async function setStatus(taskId: string, status: TaskStatus): Promise<boolean> {
    error.value = null;
    const result = await statusMutation.executeMutation({ taskId, status });
    if (result.error) error.value = describeError(result.error);
    return !result.error;
  }

  async function assign(taskId: string, memberId: string | null): Promise<boolean> {
    error.value = null;
    const result = await assignMutation.executeMutation({ taskId, memberId });
    if (result.error) error.value = describeError(result.error);
    return !result.error;
  }

  return {
    setStatus,
    assign,
    settingStatus: statusMutation.fetching,
    assigning: assignMutation.fetching,
    error,
    clearError: () => (error.value = null),
  };
}

/** Sending a reply and retrying a failed one. The reply shows as queued from the mutation's answer. */
export function useReply() {
  const replyMutation = useMutation(TaskReplyDocument);
  const retryMutation = useMutation(TaskRetryMessageDocument);
  const error = ref<UserFacingError | null>(null);
  const retrying = ref<string | null>(null);

  async function send(taskId: string, body: string): Promise<boolean> {
    error.value = null;
    const result = await replyMutation.executeMutation({ taskId, body });
    if (result.error) error.value = describeError(result.error);
    return !result.error;
  }

  async function retry(messageId: string): Promise<UserFacingError | null> {
    retrying.value = messageId;
    const result = await retryMutation.executeMutation({ messageId });
    retrying.value = null;
    return result.error ? describeError(result.error) : null;
  }

  return { send, sending: replyMutation.fetching, error, retry, retrying };
}
