import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

// The dev server fronts the API so the browser sees one origin, as in
// production where the API server also serves web/dist.
const api = process.env.PARLEY_API_URL ?? 'http://localhost:4000';

const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: api, ws: true },
  '/webhooks': { target: api },
  '/healthz': { target: api },
  '/metrics': { target: api },
};

/** The budget for JavaScript loaded before the first screen: the entry chunk and its static imports. */
const INITIAL_JS_BUDGET_KB = 150;

/** Prints the gzipped size of the initial JS after a build, and fails the build when it is over budget. */
function initialJsSize(): Plugin {
  return {
    name: 'parley-initial-js-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
      const initial = new Set<string>();
      const visit = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || initial.has(name)) return;
        initial.add(name);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gzipped = [...initial].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length, 0);
      const kb = gzipped / 1024;
      const lazy = chunks.size - initial.size;
      const line = `initial JS: ${kb.toFixed(1)} KB gzipped in ${initial.size} file(s), budget ${INITIAL_JS_BUDGET_KB} KB; ${lazy} lazy chunk(s)`;
      if (kb > INITIAL_JS_BUDGET_KB) this.error(`${line}: over budget. Lazy-load more (routes: component: () => import(...)).`);
      console.log(`\n[parley] ${line}`);
    },
  };
}

export default defineConfig({
  plugins: [vue(), initialJsSize()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: { proxy },
  preview: { proxy },
});
