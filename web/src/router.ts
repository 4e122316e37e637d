import { nextTick, watch } from 'vue';
import { createRouter, createWebHistory, type LocationQueryValue, type RouteLocationRaw } from 'vue-router';
import { isSignedIn } from './composables/useSession';
import HomePage from './pages/HomePage.vue';
import SignInPage from './pages/SignInPage.vue';
import SignUpPage from './pages/SignUpPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    /** Only for signed-in people; others are sent to sign in. */
    requiresAuth?: boolean;
    /** Only for signed-out people; others are sent home. */
    guestOnly?: boolean;
  }
}

/** Where to go after signing in: an in-app path from `?next=`, never another origin. */
function afterSignIn(next: LocationQueryValue | LocationQueryValue[] | undefined): RouteLocationRaw {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : { name: 'home' };
}

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/', name: 'home', component: HomePage, meta: { title: 'Parley', requiresAuth: true } },
      { path: '/signin', name: 'signin', component: SignInPage, meta: { title: 'Sign in · Parley', guestOnly: true } },
      { path: '/signup', name: 'signup', component: SignUpPage, meta: { title: 'Create a workspace · Parley', guestOnly: true } },
      { path: '/:unknown(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach((to) => {
    if (to.meta.requiresAuth && !isSignedIn.value) {
      return { name: 'signin', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    }
    if (to.meta.guestOnly && isSignedIn.value) return afterSignIn(to.query.next);
    return true;
  });

  router.afterEach((to, from, failure) => {
    if (failure) return;
    document.title = to.meta.title;
    // A screen reader hears nothing when an app swaps pages; moving focus to the new heading announces it.
    if (from.matched.length > 0) void nextTick(() => document.querySelector<HTMLElement>('h1')?.focus());
  });

  // The session can also change without a click here: an expired token, or another tab.
  watch(isSignedIn, (signedIn) => {
    const route = router.currentRoute.value;
    if (!signedIn && route.meta.requiresAuth) void router.replace({ name: 'signin' });
    if (signedIn && route.meta.guestOnly) void router.replace(afterSignIn(route.query.next));
  });

  return router;
}
