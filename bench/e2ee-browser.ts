/**
 * Sealing and opening message envelopes in Debian's Chromium: bench/e2ee/envelope-rate.ts,
 * bundled by Vite into a page served from 127.0.0.1 (WebCrypto needs a secure context),
 * run through playwright-core. Prints figures; never fails on one.
 *
 *   npx node bench/e2ee-browser.ts [--messages 2000]
 */
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "vite";
import { launchChromium } from "../test/support/browser.ts";
import type { EnvelopeRate } from "./e2ee/envelope-rate.ts";

const { values } = parseArgs({ options: { messages: { type: "string", default: "2000" } } });
const count = Number(values.messages);
const outDir = mkdtempSync(join(tmpdir(), "chatalot-e2ee-bench-"));
await build({
  configFile: false,
  logLevel: "error", // @hpke/common names node:crypto as a fallback it never takes in a browser
  build: {
    outDir,
    emptyOutDir: true,
    minify: false,
    target: "es2022",
    lib: { entry: join(import.meta.dirname, "e2ee", "page.ts"), formats: ["es"], fileName: () => "bench.js" },
  },
});
writeFileSync(join(outDir, "index.html"), '<!doctype html><script type="module" src="/bench.js"></script>');
// The bundle's chunks (ts-mls loads some crypto lazily) and the page, from the output folder only.
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
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => "envelopeRate" in globalThis);
  const version = browser.version();
  const rate = await page.evaluate(
    (messages) =>
      (globalThis as unknown as { envelopeRate(count: number): Promise<EnvelopeRate> }).envelopeRate(messages),
    count,
  );
  console.log(`Message envelopes of 200 bytes in Chromium ${version} (${count} each, one at a time)`);
  console.log(`seal (encrypt + sign): ${rate.sealedPerSecond} messages/s`);
  console.log(`open (verify + decrypt): ${rate.openedPerSecond} messages/s`);
  console.log(`envelope overhead: ${rate.overheadBytes} bytes`);
} finally {
  await browser.close();
  server.close();
}
