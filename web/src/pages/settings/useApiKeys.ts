import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';
import { SettingsApiKeysDocument, SettingsCreateApiKeyDocument, SettingsRevokeApiKeyDocument } from '../../graphql/generated/graphql';
import { describeError } from '../../graphql/errors';
import { outcome, type Outcome } from './outcome';

/** The workspace's API keys: listing, creating (the key is returned once) and revoking. */
export function useApiKeys() {
  const query = useQuery({ query: SettingsApiKeysDocument });
  const createMutation = useMutation(SettingsCreateApiKeyDocument);
  const revokeMutation = useMutation(SettingsRevokeApiKeyDocument);

  function refresh() {
    return query.executeQuery({ requestPolicy: 'network-only' });
  }

  return {
    keys: computed(() => query.data.value?.apiKeys ?? []),
    loaded: computed(() => query.data.value?.apiKeys != null),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    refresh,
    /** Resolves to the key itself, which the API never returns again. */
    async create(name: string): Promise<Outcome<string>> {
      const r = await createMutation.executeMutation({ name });
      const result = outcome(r.data?.createApiKey.key, r.error);
      if (result.ok) await refresh();
      return result;
    },
    async revoke(id: string): Promise<Outcome<boolean>> {
      const r = await revokeMutation.executeMutation({ id });
      const result = outcome(r.data?.revokeApiKey, r.error);
      if (result.ok) await refresh();
      return result;
    },
  };
}
