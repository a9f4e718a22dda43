/**
 * The admin page's public shell: web/admin.html and its loader script, built into
 * web/dist beside the main app (after it: the main build empties web/dist). The
 * shell holds no admin code; it signs in from the refresh cookie, asks the server
 * for the admin bundle's cookie and loads the bundle (vite.app.config.ts).
 */
import preact from "@preact/preset-vite";
import { join } from "node:path";
import { defineConfig } from "vite";

const WEB = join(import.meta.dirname, "..");

export default defineConfig({
  root: WEB,
  plugins: [preact()],
  build: {
    outDir: "dist",
    // web/dist already holds the main app, built just before.
    emptyOutDir: false,
    rolldownOptions: {
      input: join(WEB, "admin.html"),
      // Public files, named so nobody mistakes them for the admin code itself.
      output: {
        entryFileNames: "assets/admin-shell-[hash].js",
        assetFileNames: "assets/admin-shell-[hash][extname]",
      },
    },
  },
});
