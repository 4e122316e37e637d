import vue from '@vitejs/plugin-vue';
import { defineConfig, type ProxyOptions } from 'vite';

// The dev server fronts the API so the browser sees one origin, as in
// production where the API server also serves web/dist.
const api = process.env.PARLEY_API_URL ?? 'http://localhost:4000';

const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: api, ws: true },
  '/webhooks': { target: api },
  '/healthz': { target: api },
  '/metrics': { target: api },
};

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: { proxy },
  preview: { proxy },
});
