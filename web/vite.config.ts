/**
 * The web app's build. `vite build --config web/vite.config.ts` writes web/dist,
 * which the server serves; `vite --config web/vite.config.ts` serves the app in
 * development and forwards the API to `wrangler dev`.
 */
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/** Where `wrangler dev` listens. */
const WORKER_URL = "http://127.0.0.1:8787";
/**
 * The socket route refuses upgrades whose Origin is not PUBLIC_URL (wrangler.toml
 * sets http://localhost:8787); the dev server's own origin differs, so the proxy
 * presents the worker's.
 */
const WORKER_PUBLIC_URL = "http://localhost:8787";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/api": {
        target: WORKER_URL,
        ws: true,
        configure: (proxy) => {
          proxy.on("proxyReqWs", (request) => request.setHeader("Origin", WORKER_PUBLIC_URL));
        },
      },
      "/health": WORKER_URL,
      "/.well-known": WORKER_URL,
      // The admin page is built on its own (web/admin/) and served by the worker from web/dist,
      // behind its admin check: run `npm run build:web` once before opening /admin in development.
      "/admin": WORKER_URL,
    },
  },
});
