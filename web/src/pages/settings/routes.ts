// The settings screens (admins), mounted by the router inside the signed-in shell.
import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [];
