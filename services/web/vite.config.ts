import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The dev server answers /portal/<slug>… with the portal's page, as the gateway does.
const portalPages: Plugin = {
  name: 'helpdesk-portal-pages',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/portal(\/|$|\?)/.test(req.url) && !/\.[a-z0-9]+(\?|$)/i.test(req.url))
        req.url = '/portal.html';
      next();
    });
  },
};

export default defineConfig({
  plugins: [react(), portalPages],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline module-preload polyfill: the CSP allows no inline script
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: { input: { console: 'index.html', portal: 'portal.html' } },
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    // `npm start` runs the API on 8080; HELPDESK_API_URL points the dev server at another gateway
    proxy: {
      '/api': { target: process.env.HELPDESK_API_URL ?? 'http://localhost:8080', changeOrigin: false },
    },
  },
});
