/**
 * The device's search index in Debian's Chromium: bench/search-index/index-rate.ts,
 * bundled by Vite into a page served from 127.0.0.1 (WebCrypto and IndexedDB need a
 * secure context), run through playwright-core at each size. Prints figures; never
 * fails on one. Decrypting what is indexed is bench/e2ee-browser.ts's figure, and the
 * app's background indexer reads at most 60 history pages a minute on purpose.
 *
 *   npx node bench/search-index.ts [--sizes 10000,100000] [--queries 300]
 */
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "vite";
import { launchChromium } from "../test/support/browser.ts";
import type { IndexFigures } from "./search-index/index-rate.ts";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "10000,100000" }, queries: { type: "string", default: "300" } },
});
const sizes = values.sizes.split(",").map(Number);
const queries = Number(values.queries);
const outDir = mkdtempSync(join(tmpdir(), "chatalot-search-bench-"));
await build({
  configFile: false,
  logLevel: "error",
  build: {
    outDir,
    emptyOutDir: true,
    minify: false,
    target: "es2022",
    lib: { entry: join(import.meta.dirname, "search-index", "page.ts"), formats: ["es"], fileName: () => "bench.js" },
  },
});
writeFileSync(join(outDir, "index.html"), '<!doctype html><script type="module" src="/bench.js"></script>');
const server = createServer((request, response) => {
  const name = basename(new URL(request.url ?? "/", "http://127.0.0.1").pathname) || "index.html";
  const file = join(outDir, name);
  if (!existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "Content-Type": name.endsWith(".js") ? "text/javascript" : "text/html" });
  response.end(readFileSync(file));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
// `gc()` in the page and exact heap sizes: the heap is read after a full collection.
const browser = await launchChromium(["--js-flags=--expose-gc", "--enable-precise-memory-info"]);
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => "measureIndex" in globalThis);
  console.log(`The device's search index in Chromium ${browser.version()} (${queries} queries per size)`);
  console.log(
    "messages | indexed/s | bytes at rest/message | query p50 | query p99 | first query from cold | p50: one word, two words, prefix | heap",
  );
  for (const size of sizes) {
    const figures = await page.evaluate(
      ([count, asked]) =>
        (globalThis as unknown as { measureIndex(count: number, queries: number): Promise<IndexFigures> }).measureIndex(
          count,
          asked,
        ),
      [size, queries] as const,
    );
    console.log(
      `${figures.messages} | ${figures.indexedPerSecond} | ${figures.bytesAtRestPerMessage} | ` +
        `${figures.queryMs.p50} ms | ${figures.queryMs.p99} ms | ${figures.coldFirstQueryMs} ms | ` +
        `${figures.kindP50Ms.oneWord} ms, ${figures.kindP50Ms.twoWords} ms, ${figures.kindP50Ms.prefix} ms | ` +
        `${figures.heapMegabytes} MB`,
    );
    const slowest = figures.slowest.map((query) => `"${query.text}" ${query.ms} ms (${query.matched} matched)`);
    console.log(`  slowest: ${slowest.join(", ")}`);
  }
} finally {
  await browser.close();
  server.close();
}
