/**
 * What a first visit costs: a page loaded with an empty cache and no service worker,
 * the scripts and styles it fetched until it showed what a person came for, their
 * bytes as sent (brotli: Chromium asks for it) and as gzip would send them (the
 * build's .gz copies of the same files), and the time from navigation to that moment.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { root } from "../../test/support/server.ts";

const DIST = join(root, "web", "dist");

export interface FirstLoad {
  /** Milliseconds from navigation start until the page showed what was waited for. */
  readyMs: number;
  /** Paths of the scripts and styles fetched, in order. */
  files: string[];
  /** Their bodies as transferred. */
  transferredBytes: number;
  brotliBytes: number;
  gzipBytes: number;
  /** Requests the server refused ("401 /api/auth/refresh"): each is an error in the console. */
  refused: string[];
}

/**
 * Loads `url` in a new page of `context` with Chromium's cache emptied; `ready(arg)` runs
 * in the page, polled every frame, and returns performance.now() once the page is ready.
 */
export async function firstLoad(
  context: BrowserContext,
  url: string,
  ready: (arg: string) => number | null,
  arg = "",
): Promise<FirstLoad> {
  const page = await context.newPage();
  try {
    const devtools = await context.newCDPSession(page);
    await devtools.send("Network.clearBrowserCache");
    const fetched: Promise<{ path: string; bytes: number }>[] = [];
    const refused: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on("requestfinished", (request) => {
      if (!["script", "stylesheet"].includes(request.resourceType())) return;
      const path = new URL(request.url()).pathname;
      fetched.push(request.sizes().then((sizes) => ({ path, bytes: sizes.responseBodySize })));
    });
    await page.goto(url);
    const readyMs = (await (
      await page.waitForFunction(ready, arg, { polling: "raf", timeout: 60_000 })
    ).jsonValue()) as number;
    await page.waitForLoadState("networkidle");
    const files = await Promise.all(fetched);
    return {
      readyMs,
      files: files.map((file) => file.path),
      transferredBytes: sum(files.map((file) => file.bytes)),
      brotliBytes: sum(files.map((file) => sizeOnDisk(`${file.path}.br`))),
      gzipBytes: sum(files.map((file) => sizeOnDisk(`${file.path}.gz`))),
      refused,
    };
  } finally {
    await page.close();
  }
}

function sizeOnDisk(path: string): number {
  return statSync(join(DIST, path)).size;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** In the page: the sign-in form is there and its button can be pressed. */
export function signInFormReady(): number | null {
  const button = Array.from(document.querySelectorAll("button")).find((element) => element.textContent === "Sign in");
  return button && !button.disabled ? performance.now() : null;
}

/** In the page: the channel's timeline shows `text` (its last message). */
export function messageShown(text: string): number | null {
  const log = document.querySelector('[role="log"]');
  return log?.textContent?.includes(text) ? performance.now() : null;
}
