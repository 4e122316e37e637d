// The contacts screens, mounted by the router inside the signed-in shell.
import type { RouteRecordRaw } from 'vue-router';

const meta = { title: 'Contacts · Parley', requiresAuth: true };

export const contactsRoutes: RouteRecordRaw[] = [
  { path: 'contacts', name: 'contacts', component: () => import('./ContactsPage.vue'), meta },
  { path: 'contacts/:id', name: 'contact', component: () => import('./ContactPage.vue'), meta },
];
