// Data for the contacts screens: the searchable list, one contact with its
// tasks, and whether the viewer may merge.
import { useClientHandle, useQuery } from '@urql/vue';
import { computed, ref, type Ref } from 'vue';
import { ContactListDocument, ContactTasksDocument, ContactViewerDocument, type ContactFieldsFragment, type ContactTasksQuery } from '../../graphql/generated/graphql';
import type { TaskCount } from './mergePreview';
import { pageOf } from './paging';
import { usePaged } from './usePaged';

/** A contact as the screens use it (createdAt as the ISO string the API sends). */
export type ContactItem = Omit<ContactFieldsFragment, 'createdAt'> & { createdAt: string };
export type ContactTaskItem = Omit<ContactTasksQuery['tasks']['edges'][number]['node'], 'createdAt' | 'lastMessageAt'> & {
  createdAt: string;
  lastMessageAt: string;
};

export const SEARCH_DEBOUNCE_MS = 250;

export function toContactItem(contact: ContactFieldsFragment): ContactItem {
  return { ...contact, createdAt: String(contact.createdAt) };
}

/** Contacts matching a search (name, email or phone), newest first, a page at a time. */
export function useContactSearch(search: Ref<string>, opts: { pageSize: number }) {
  const { client } = useClientHandle();
  return usePaged<ContactItem>({
    source: () => search.value.trim(),
    debounceMs: SEARCH_DEBOUNCE_MS,
    async fetchPage(after) {
      const term = search.value.trim();
      const result = await client
        .query(ContactListDocument, { search: term || null, first: opts.pageSize, after }, { requestPolicy: 'network-only' })
        .toPromise();
      if (!result.data) return { error: result.error };
      const page = pageOf(result.data.contacts);
      return { page: { ...page, nodes: page.nodes.map(toContactItem) } };
    },
  });
}

/** A contact's tasks, newest first, a page at a time. */
export function useContactTasks(contactId: Ref<string>, opts: { pageSize: number }) {
  const { client } = useClientHandle();
  return usePaged<ContactTaskItem>({
    source: contactId,
    async fetchPage(after) {
      const result = await client
        .query(ContactTasksDocument, { contactId: contactId.value, first: opts.pageSize, after }, { requestPolicy: 'network-only' })
        .toPromise();
      if (!result.data) return { error: result.error };
      const page = pageOf(result.data.tasks);
      return {
        page: { ...page, nodes: page.nodes.map((t) => ({ ...t, createdAt: String(t.createdAt), lastMessageAt: String(t.lastMessageAt) })) },
      };
    },
  });
}

/** The signed-in member's role (null until known); only admins merge contacts. */
export function useViewerRole() {
  const query = useQuery({ query: ContactViewerDocument });
  const role = computed(() => query.data.value?.me.role ?? null);
  return { role, isAdmin: computed(() => role.value === 'ADMIN') };
}

/** The last search on the contacts list, kept while the app is open so "back" returns to it. */
export const rememberedSearch = ref('');

/** What the merge dialog reports once two contacts are one. */
export interface MergedEvent {
  /** As it is now. */
  kept: ContactItem;
  /** As it was, for naming it in the confirmation. */
  keptBefore: ContactItem;
  removed: ContactItem;
  tasks: TaskCount | null;
}
