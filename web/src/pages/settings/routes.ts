// The settings screens (admins), mounted by the router inside the signed-in shell.
import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [
  { path: 'settings', redirect: { name: 'settings-members' } },
  {
    path: 'settings/members',
    name: 'settings-members',
    component: () => import('./MembersPage.vue'),
    meta: { title: 'Members · Settings · Parley', requiresAuth: true, requiresAdmin: true },
  },
  {
    path: 'settings/integrations',
    name: 'settings-integrations',
    component: () => import('./IntegrationsPage.vue'),
    meta: { title: 'Integrations · Settings · Parley', requiresAuth: true, requiresAdmin: true },
  },
  {
    path: 'settings/api-keys',
    name: 'settings-api-keys',
    component: () => import('./ApiKeysPage.vue'),
    meta: { title: 'API keys · Settings · Parley', requiresAuth: true, requiresAdmin: true },
  },
];
