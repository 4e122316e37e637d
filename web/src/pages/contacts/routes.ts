// The contacts screens, mounted by the router inside the signed-in shell.
import type { RouteRecordRaw } from 'vue-router';

export const contactsRoutes: RouteRecordRaw[] = [];
