/**
 * The browser's attachment encryption rate: bench/files/encryption-rate.ts bundled by
 * Vite into a page served from 127.0.0.1 (WebCrypto needs a secure context), run in
 * Debian's Chromium through playwright-core, as bench/e2ee-browser.ts does for messages.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "vite";
import { launchChromium } from "../../test/support/browser.ts";
import type { EncryptionRate } from "./encryption-rate.ts";

export async function browserEncryptionRate(mebibytes: number): Promise<EncryptionRate & { browser: string }> {
  const outDir = mkdtempSync(join(tmpdir(), "chatalot-files-bench-"));
  const server = createServer((request, response) => {
    const name = basename(new URL(request.url ?? "/", "http://127.0.0.1").pathname) || "index.html";
    const file = join(outDir, name);
    if (!existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { "Content-Type": name.endsWith(".js") ? "text/javascript" : "text/html" });
    response.end(readFileSync(file));
  });
  try {
    await build({
      configFile: false,
      logLevel: "error",
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        target: "es2022",
        lib: { entry: join(import.meta.dirname, "page.ts"), formats: ["es"], fileName: () => "bench.js" },
      },
    });
    writeFileSync(join(outDir, "index.html"), '<!doctype html><script type="module" src="/bench.js"></script>');
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => "encryptionRate" in globalThis);
      const rate = await page.evaluate(
        (size) =>
          (globalThis as unknown as { encryptionRate(size: number): Promise<EncryptionRate> }).encryptionRate(size),
        mebibytes,
      );
      return { ...rate, browser: `Chromium ${browser.version()}` };
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
