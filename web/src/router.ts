import { nextTick, watch } from 'vue';
import { createRouter, createWebHistory, type LocationQueryValue, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router';
import AppShell from './components/AppShell.vue';
import { isSignedIn } from './composables/useSession';
import type { Role } from './graphql/generated/graphql';
import InboxPage from './pages/inbox/InboxPage.vue';
import NoTaskSelected from './pages/inbox/NoTaskSelected.vue';
import TaskPage from './pages/inbox/TaskPage.vue';
import SignInPage from './pages/SignInPage.vue';
import SignUpPage from './pages/SignUpPage.vue';
import { contactsRoutes } from './pages/contacts/routes';
import { settingsRoutes } from './pages/settings/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** The document title; the nearest route's wins, else "Parley". */
    title?: string;
    /** Only for signed-in people; others are sent to sign in. */
    requiresAuth?: boolean;
    /** Only for signed-out people; others are sent home. */
    guestOnly?: boolean;
    /** Only for admins; members are sent to the inbox. Settings routes have it unless they say otherwise. */
    requiresAdmin?: boolean;
  }
}

/** Where to go after signing in: an in-app path from `?next=`, never another origin. */
function afterSignIn(next: LocationQueryValue | LocationQueryValue[] | undefined): RouteLocationRaw {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : { name: 'inbox' };
}

/** Settings are for admins: each settings route is guarded unless it explicitly opts out. */
function adminOnly(route: RouteRecordRaw): RouteRecordRaw {
  return { ...route, meta: { requiresAdmin: true, ...route.meta } } as RouteRecordRaw;
}

export interface AppRouterOptions {
  /** The signed-in member's role, for `requiresAdmin` routes. */
  viewerRole: () => Promise<Role | null>;
}

export function createAppRouter({ viewerRole }: AppRouterOptions) {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      {
        // The signed-in app: navigation, workspace, live indicator around every screen.
        path: '/',
        component: AppShell,
        meta: { requiresAuth: true },
        children: [
          {
            path: '',
            component: InboxPage,
            children: [
              { path: '', name: 'inbox', component: NoTaskSelected, meta: { title: 'Inbox · Parley' } },
              { path: 'tasks/:id', name: 'task', component: TaskPage, meta: { title: 'Task · Parley' } },
            ],
          },
          ...contactsRoutes,
          ...settingsRoutes.map(adminOnly),
        ],
      },
      { path: '/signin', name: 'signin', component: SignInPage, meta: { title: 'Sign in · Parley', guestOnly: true } },
      { path: '/signup', name: 'signup', component: SignUpPage, meta: { title: 'Create a workspace · Parley', guestOnly: true } },
      { path: '/:unknown(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach(async (to) => {
    if (to.meta.requiresAuth && !isSignedIn.value) {
      return { name: 'signin', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    }
    if (to.meta.guestOnly && isSignedIn.value) return afterSignIn(to.query.next);
    if (to.matched.some((r) => r.meta.requiresAdmin) && (await viewerRole()) !== 'ADMIN') return { name: 'inbox' };
    return true;
  });

  router.afterEach((to, from, failure) => {
    if (failure) return;
    document.title = to.meta.title ?? 'Parley';
    // Filters change the query only: the page stays, and so does focus.
    if (from.matched.length === 0 || to.path === from.path) return;
    // A screen reader hears nothing when an app swaps pages; moving focus to the new heading announces it.
    void nextTick(() => document.querySelector<HTMLElement>('[data-page-heading]:not([hidden]), h1')?.focus({ preventScroll: true }));
  });

  // The session can also change without a click here: an expired token, or another tab.
  watch(isSignedIn, (signedIn) => {
    const route = router.currentRoute.value;
    if (!signedIn && route.meta.requiresAuth) void router.replace({ name: 'signin' });
    if (signedIn && route.meta.guestOnly) void router.replace(afterSignIn(route.query.next));
  });

  return router;
}

