/**
 * Debian's Chromium for the browser journeys, driven by playwright-core (which never
 * downloads a browser). A missing Chromium fails the test with the command to install it.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { unpackFrames, type ServerFrame } from "../../protocol/index.ts";

const CHROMIUM_PATH = "/usr/bin/chromium";
/** Headless and quiet: without the background-networking flags Chromium tries to reach Google. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Fails with the install command when a Debian program a test needs is missing. */
export function requireProgram(path: string, debianPackage: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${debianPackage} is missing at ${path}: install it with \`apt-get update && apt-get install -y ${debianPackage}\``,
    );
  }
}

/**
 * For calls: a fake camera (a moving pattern) and microphone (a beep every second), and
 * every permission prompt answered yes. On Chromium 156 headless these two flags also
 * make getDisplayMedia share a fake screen with a fake audio track; no other flag needed.
 */
export const FAKE_MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  requireProgram(CHROMIUM_PATH, "chromium");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * A page in its own context (no storage shared with other pages: another device, as
 * far as the app can tell). Page errors and CSP violations go into `problems`: a CSP
 * violation means an inline style or script slipped in.
 */
export async function openPage(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return page;
}

/** The chat view's connection status says the channel socket is open. */
export async function waitUntilConnected(page: Page): Promise<void> {
  await page
    .getByRole("status")
    .filter({ hasText: /^Connected$/ })
    .waitFor();
}

/**
 * A socket message from a room with every frame of `type` left out, for tests that play
 * a lost frame: a `frames` batch keeps the rest, in order; null when nothing is left.
 */
export function withoutFrameType(message: string | Buffer, type: ServerFrame["type"]): string | null {
  const kept = unpackFrames(JSON.parse(String(message)) as ServerFrame).filter((frame) => frame.type !== type);
  if (kept.length === 0) return null;
  return JSON.stringify(kept.length === 1 ? kept[0] : { type: "frames", frames: kept });
}
