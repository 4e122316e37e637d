import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';
import {
  SettingsConnectSendGridDocument,
  SettingsConnectSlackDocument,
  SettingsConnectTwilioDocument,
  SettingsDisconnectIntegrationDocument,
  SettingsIntegrationsDocument,
  SettingsSetSlackAllowedUsersDocument,
  type ConnectSendGridInput,
  type ConnectSlackInput,
  type ConnectTwilioInput,
  type Provider,
  type SettingsIntegrationFieldsFragment,
} from '../../graphql/generated/graphql';
import { describeError } from '../../graphql/errors';
import { outcome, type Outcome } from './outcome';

export type SettingsIntegration = SettingsIntegrationFieldsFragment;

/** The workspace's integrations, and connecting, disconnecting and configuring them. */
export function useIntegrations() {
  const query = useQuery({ query: SettingsIntegrationsDocument });
  const connectSlackMutation = useMutation(SettingsConnectSlackDocument);
  const connectTwilioMutation = useMutation(SettingsConnectTwilioDocument);
  const connectSendGridMutation = useMutation(SettingsConnectSendGridDocument);
  const disconnectMutation = useMutation(SettingsDisconnectIntegrationDocument);
  const allowedUsersMutation = useMutation(SettingsSetSlackAllowedUsersDocument);

  /** Live connections (disconnected ones are history), by provider, oldest first. */
  const byProvider = computed(() => {
    const out: Record<Provider, SettingsIntegration[]> = { SLACK: [], TWILIO: [], SENDGRID: [] };
    for (const i of query.data.value?.integrations ?? []) if (i.status !== 'DISCONNECTED') out[i.provider].push(i);
    return out;
  });

  function refresh() {
    return query.executeQuery({ requestPolicy: 'network-only' });
  }

  async function afterMutation<T>(result: Outcome<T>): Promise<Outcome<T>> {
    if (result.ok) await refresh();
    return result;
  }

  return {
    byProvider,
    loaded: computed(() => query.data.value?.integrations != null),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    refresh,

    async connectSlack(input: ConnectSlackInput): Promise<Outcome<SettingsIntegration>> {
      const r = await connectSlackMutation.executeMutation({ input });
      return afterMutation(outcome(r.data?.connectSlack, r.error));
    },
    async connectTwilio(input: ConnectTwilioInput): Promise<Outcome<SettingsIntegration>> {
      const r = await connectTwilioMutation.executeMutation({ input });
      return afterMutation(outcome(r.data?.connectTwilio, r.error));
    },
    async connectSendGrid(input: ConnectSendGridInput): Promise<Outcome<SettingsIntegration>> {
      const r = await connectSendGridMutation.executeMutation({ input });
      return afterMutation(outcome(r.data?.connectSendGrid, r.error));
    },
    async disconnect(id: string): Promise<Outcome<unknown>> {
      const r = await disconnectMutation.executeMutation({ id });
      return afterMutation(outcome(r.data?.disconnectIntegration, r.error));
    },
    async setSlackAllowedUsers(integrationId: string, userIds: string[]): Promise<Outcome<unknown>> {
      const r = await allowedUsersMutation.executeMutation({ integrationId, userIds });
      return afterMutation(outcome(r.data?.setSlackAllowedUsers, r.error));
    },
  };
}
