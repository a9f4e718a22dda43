/**
 * Debian's Chromium started with a DevTools port and a profile of its own (a real
 * profile, not an off-the-record one: Chromium installs web apps only into those),
 * so that playwright-core and Lighthouse can drive the same browser.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { requireProgram } from "../../test/support/browser.ts";
import { onCleanup } from "../cleanup.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export interface DebuggableChromium {
  browser: Browser;
  /** The DevTools port, for Lighthouse. */
  port: number;
}

export async function startDebuggableChromium(): Promise<DebuggableChromium> {
  requireProgram(CHROMIUM_PATH, "chromium");
  const profile = mkdtempSync(join(tmpdir(), "chatalot-web-budgets-profile-"));
  const child = spawn(
    CHROMIUM_PATH,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  onCleanup("stop Chromium and remove its profile", async () => {
    child.kill();
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(profile, { recursive: true, force: true });
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}) before listening:\n${output}`)));
  });
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  return { browser, port };
}
