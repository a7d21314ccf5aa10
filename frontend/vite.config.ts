import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { viewerDocument, viewerURL } from './src/lib/mail/viewer';

// The mail viewer's two documents, each under its own policy (see viewer.ts).
const viewerDocuments: Plugin = {
  name: 'carnet-viewer-documents',
  generateBundle() {
    for (const allowRemote of [false, true]) {
      this.emitFile({ type: 'asset', fileName: viewerURL(allowRemote).slice(1), source: viewerDocument('', allowRemote) });
    }
  },
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const allowRemote = [false, true].find((a) => req.url === viewerURL(a));
      if (allowRemote === undefined) return next();
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(viewerDocument('', allowRemote));
    });
  },
};

export default defineConfig({
  plugins: [svelte(), viewerDocuments],
  build: {
    // dist/ keeps a committed .gitkeep so that Go's //go:embed works from a
    // clean clone; scripts/clean-dist.mjs empties the rest before a build.
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
