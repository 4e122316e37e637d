import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';
import {
  SettingsAddMemberDocument,
  SettingsMembersDocument,
  SettingsUpdateMemberDocument,
  type SettingsAddMemberMutationVariables,
  type SettingsMemberFieldsFragment,
  type SettingsUpdateMemberMutationVariables,
  type Role,
} from '../../graphql/generated/graphql';
import { describeError } from '../../graphql/errors';
import { outcome, type Outcome } from './outcome';

export type SettingsMember = SettingsMemberFieldsFragment;

/** What the add and edit member forms collect. */
export interface MemberFormValues {
  name: string;
  email: string;
  password: string;
  role: Role;
  slackUserId: string;
  phone: string;
}

/** The workspace's members, adding them and changing their role and identities. */
export function useMembers() {
  const query = useQuery({ query: SettingsMembersDocument });
  const addMutation = useMutation(SettingsAddMemberDocument);
  const updateMutation = useMutation(SettingsUpdateMemberDocument);

  function refresh() {
    return query.executeQuery({ requestPolicy: 'network-only' });
  }

  return {
    members: computed(() => query.data.value?.members ?? []),
    loaded: computed(() => query.data.value?.members != null),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    refresh,
    async add(variables: SettingsAddMemberMutationVariables): Promise<Outcome<SettingsMember>> {
      const r = await addMutation.executeMutation(variables);
      const result = outcome(r.data?.addMember, r.error);
      if (result.ok) await refresh();
      return result;
    },
    async update(variables: SettingsUpdateMemberMutationVariables): Promise<Outcome<SettingsMember>> {
      const r = await updateMutation.executeMutation(variables);
      const result = outcome(r.data?.updateMember, r.error);
      if (result.ok) await refresh();
      return result;
    },
  };
}
