/**
 * The admin page's code, as one ES module (web/dist/admin-assets/admin.js) and
 * its stylesheet (admin.css). The server hands these out only to an instance admin
 * holding the minute-long cookie of POST /api/admin/console, so they are built
 * apart from everything public, under fixed names (the shell imports admin.js by
 * name; the server never lets them be cached) and in one chunk, keeping `mount` exported.
 */
import preact from "@preact/preset-vite";
import { join } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  publicDir: false,
  build: {
    outDir: join(import.meta.dirname, "..", "dist", "admin-assets"),
    emptyOutDir: true,
    // A module imported by script, not a page: no preload helper to inject.
    modulePreload: false,
    rolldownOptions: {
      input: join(import.meta.dirname, "app", "mount.tsx"),
      preserveEntrySignatures: "exports-only",
      output: {
        entryFileNames: "admin.js",
        assetFileNames: "admin[extname]",
      },
    },
  },
});
