import urql from '@urql/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { createApiClient } from './graphql/client';
import { createAppRouter } from './router';
import './styles.css';

createApp(App).use(urql, createApiClient()).use(createAppRouter()).mount('#app');
