import urql from '@urql/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { viewerRoleLoader } from './composables/useViewer';
import { createApiClient } from './graphql/client';
import { createAppRouter } from './router';
import './styles.css';

const client = createApiClient();
const router = createAppRouter({ viewerRole: viewerRoleLoader(client) });

createApp(App).use(urql, client).use(router).mount('#app');
