import { useMutation, useQuery } from '@urql/vue';
import { computed, toValue, type MaybeRefOrGetter } from 'vue';
import { SettingsSetMonitoredChannelsDocument, SettingsSlackChannelsDocument } from '../../graphql/generated/graphql';
import { describeError } from '../../graphql/errors';
import { outcome, type Outcome } from './outcome';

/** A Slack integration's channels, live from Slack, and choosing which ones Parley watches. */
export function useSlackChannels(integrationId: MaybeRefOrGetter<string>) {
  const query = useQuery({
    query: SettingsSlackChannelsDocument,
    variables: computed(() => ({ integrationId: toValue(integrationId) })),
    // Slack is asked each time: a bot invited a minute ago should show up.
    requestPolicy: 'cache-and-network',
  });
  const saveMutation = useMutation(SettingsSetMonitoredChannelsDocument);

  function refresh() {
    return query.executeQuery({ requestPolicy: 'network-only' });
  }

  return {
    channels: computed(() => query.data.value?.slackChannels ?? []),
    loaded: computed(() => query.data.value?.slackChannels != null),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    saving: saveMutation.fetching,
    refresh,
    async save(channelIds: string[]): Promise<Outcome<unknown>> {
      const r = await saveMutation.executeMutation({ integrationId: toValue(integrationId), channelIds });
      const result = outcome(r.data?.setMonitoredChannels, r.error);
      if (result.ok) await refresh();
      return result;
    },
  };
}
