// The confirmation shown on the kept contact's page right after a merge.
import { shallowRef } from 'vue';

export interface MergeNotice {
  keptId: string;
  text: string;
}

export const mergeNotice = shallowRef<MergeNotice | null>(null);
