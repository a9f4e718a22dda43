/**
 * The web app's build. `vite build --config web/vite.config.ts` writes web/dist,
 * which the server serves; `vite --config web/vite.config.ts` serves the app in
 * development and forwards the API to `wrangler dev`.
 *
 * The build also makes the app installable: vite-plugin-pwa writes the web app
 * manifest and compiles our service worker (web/sw/sw.ts) with the list of files it
 * precaches (Workbox's injectManifest). `npm run build:web` then precompresses
 * web/dist (scripts/precompress-web.ts) for the server to serve as brotli or gzip.
 */
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/** Where `wrangler dev` listens. */
const WORKER_URL = "http://127.0.0.1:8787";
/**
 * The socket route refuses upgrades whose Origin is not PUBLIC_URL (wrangler.toml
 * sets http://localhost:8787); the dev server's own origin differs, so the proxy
 * presents the worker's.
 */
const WORKER_PUBLIC_URL = "http://localhost:8787";

/** The brand colour (styles.css's light --accent) and the light page background. */
const THEME_COLOUR = "#2f5fd0";
const BACKGROUND_COLOUR = "#f6f7f9";

const installable = VitePWA({
  strategies: "injectManifest",
  srcDir: "sw",
  filename: "sw.ts",
  // main.tsx registers the worker itself, after the page has loaded.
  injectRegister: false,
  injectManifest: {
    rollupFormat: "iife",
    // The app shell: every script, style and page of the main build, and the icons.
    globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
    // The admin page is built after this one and is never served offline.
    // Chunks only some screens load (the emoji catalogue, ~117 KB, and the code highlighter,
    // ~51 KB, compressed) are fetched when first needed, not with every install.
    globIgnores: ["admin*.html", "assets/admin-*", "assets/emoji-catalog-*", "assets/highlight-code-*"],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
  },
  manifest: {
    name: "Chatalot",
    short_name: "Chatalot",
    description: "Self-hosted, end-to-end encrypted chat: communities, channels and direct messages.",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    theme_color: THEME_COLOUR,
    background_color: BACKGROUND_COLOUR,
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  },
});

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), installable],
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
