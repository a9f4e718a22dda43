/**
 * Precompresses the built web app: beside every text file of web/dist (scripts,
 * styles, pages, the manifest, SVG) it writes a brotli `.br` and a gzip `.gz` copy
 * at the highest levels, once at build time, so the server serves compressed bytes
 * without compressing on each request (functions/routes/assets.ts picks the copy
 * the browser accepts). `npm run build:web` runs it after the three Vite builds.
 *
 *   npx node scripts/precompress-web.ts [directory]   (default web/dist)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The files worth compressing: text. PNGs and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|js|css|svg|json|webmanifest|txt)$/;

function compressFile(path: string): number {
  const original = readFileSync(path);
  const brotli = brotliCompressSync(original, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
    },
  });
  const gzip = gzipSync(original, { level: constants.Z_BEST_COMPRESSION });
  // Both copies for every file, even a tiny one a few bytes longer compressed: the server
  // then never asks the asset store for a copy that is missing (Wrangler's would answer
  // a missing file with the app's index.html).
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzip);
  return 1;
}

function precompress(directory: string): number {
  let count = 0;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    // The admin code is served only by its own route, as it is: no copies of it lie around.
    if (relative(directory, entry.parentPath).split(sep)[0] === "admin-assets") continue;
    if (entry.isFile() && COMPRESSIBLE.test(entry.name)) count += compressFile(join(entry.parentPath, entry.name));
  }
  return count;
}

const directory = process.argv[2] ?? join(import.meta.dirname, "..", "web", "dist");
console.log(`precompressed ${precompress(directory)} files in ${directory} (brotli and gzip)`);
