/**
 * The call's frame encryption in real Chromium: alice's and bob's peer connections in
 * one page (test/support/media-call-page, built here with Vite, never shipped), each
 * with its own `createMediaEncryption` worker, alice sending the fake camera and
 * microphone. With the same epoch's secret bob decodes her video and hears her; with
 * another secret, or her frames taken for another device's, he decodes no frame and
 * no audio sample reaches his player (with the right key it does, and has energy); a
 * rotation both take keeps the picture going, no frame lost; a rotation bob never gets
 * (he was removed from the group) stops it.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireProgram } from "../support/browser.ts";
import { root } from "../support/server.ts";
import type { CallInput, CallReading, SecretInput } from "../support/media-call-page/main.ts";

const CHROMIUM_PATH = "/usr/bin/chromium";
const MIME: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };

let outDir: string;
let server: Server;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const secret = (epoch: number, seed: number): SecretInput => ({
  epoch,
  bytes: Array.from({ length: 32 }, (_, index) => (seed * 31 + index * 7) % 256),
});

const start = (input: CallInput) =>
  page.evaluate((input) => (globalThis as never as Harness).mediaHarness.start(input), input);
const rotate = (to: { alice?: SecretInput | null; bob?: SecretInput | null }) =>
  page.evaluate((to) => (globalThis as never as Harness).mediaHarness.rotate(to), to);
const read = () => page.evaluate(() => (globalThis as never as Harness).mediaHarness.read());
interface Harness {
  mediaHarness: {
    start(input: CallInput): Promise<void>;
    rotate(to: { alice?: SecretInput | null; bob?: SecretInput | null }): void;
    read(): Promise<CallReading>;
  };
}

/** Polls the page's reading until `done` holds for it (frames arrive at their own pace). */
async function readingWhen(done: (reading: CallReading) => boolean, what: string): Promise<CallReading> {
  const deadline = Date.now() + 20_000;
  let reading = await read();
  while (!done(reading)) {
    if (Date.now() > deadline) throw new Error(`${what}: never happened; last reading ${JSON.stringify(reading)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    reading = await read();
  }
  return reading;
}

beforeAll(async () => {
  requireProgram(CHROMIUM_PATH, "chromium");
  outDir = mkdtempSync(join(tmpdir(), "chatalot-media-page-"));
  await build({
    configFile: false,
    logLevel: "warn",
    root: join(root, "test", "support", "media-call-page"),
    build: { outDir, emptyOutDir: true },
  });
  server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    try {
      const body = readFileSync(join(outDir, path === "/" ? "index.html" : path));
      response.writeHead(200, { "Content-Type": MIME[extname(path || ".html")] ?? "text/html" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  page = await browser.newPage();
  page.on("pageerror", (error) => problems.push(error.message));
  const address = server.address() as { port: number };
  await page.goto(`http://127.0.0.1:${address.port}/`);
  await page.waitForFunction(() => "mediaHarness" in globalThis);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("a call's media frames in Chromium", () => {
  it("decodes alice's video and hears her when bob holds the same epoch's secret", async () => {
    await start({ alice: secret(3, 1), bob: secret(3, 1), aliceDeviceAsBobSees: "alice-device" });
    const reading = await readingWhen(
      (reading) => reading.framesDecoded >= 30 && reading.totalAudioEnergy > 0,
      "bob decoding alice's frames",
    );
    expect(reading.openedByBob).toBeGreaterThan(0);
    expect(reading.droppedByBob).toBe(0);
  });

  it("decodes no frame and hears nothing when bob's secret is another epoch's", async () => {
    await start({ alice: secret(3, 1), bob: secret(3, 2), aliceDeviceAsBobSees: "alice-device" });
    const reading = await readingWhen((reading) => reading.droppedByBob >= 100, "bob dropping alice's frames");
    expect(reading.sealedByAlice).toBeGreaterThan(0);
    expect(reading).toMatchObject({ framesDecoded: 0, totalSamplesReceived: 0, totalAudioEnergy: 0, openedByBob: 0 });
  });

  it("decodes no frame when bob takes alice's frames for another device's", async () => {
    await start({ alice: secret(3, 1), bob: secret(3, 1), aliceDeviceAsBobSees: "mallory-device" });
    const reading = await readingWhen((reading) => reading.droppedByBob >= 100, "bob dropping alice's frames");
    expect(reading).toMatchObject({ framesDecoded: 0, totalSamplesReceived: 0, totalAudioEnergy: 0, openedByBob: 0 });
  });

  it("keeps decoding through a rotation both take, and stops for a bob left in the old epoch", async () => {
    await start({ alice: secret(3, 1), bob: secret(3, 1), aliceDeviceAsBobSees: "alice-device" });
    const before = await readingWhen((reading) => reading.framesDecoded >= 30, "bob decoding alice's frames");
    // Someone joined: a new epoch; bob's device takes the commit a little after alice's.
    await rotate({ alice: secret(4, 5) });
    await rotate({ bob: secret(4, 5) });
    const rotated = await readingWhen(
      (reading) => reading.framesDecoded >= before.framesDecoded + 60,
      "bob decoding after the rotation",
    );
    // Alice keeps sealing with the old key a moment after she has the new one, so bob, who
    // took the commit just after her, dropped nothing.
    expect(rotated.droppedByBob).toBe(0);
    // Bob is removed: alice's device moves on to an epoch bob never learns.
    await rotate({ alice: secret(5, 9) });
    const removed = await readingWhen(
      (reading) => reading.droppedByBob >= rotated.droppedByBob + 60,
      "bob dropping alice's frames after his removal",
    );
    const later = await readingWhen(
      (reading) => reading.droppedByBob >= removed.droppedByBob + 60,
      "more of alice's frames reaching bob",
    );
    expect(later.framesDecoded).toBe(removed.framesDecoded);
    expect(later.openedByBob).toBe(removed.openedByBob);
  });

  it("does the same through encoded insertable streams where RTCRtpScriptTransform is missing", async () => {
    await page.evaluate(() => Reflect.deleteProperty(globalThis, "RTCRtpScriptTransform"));
    await start({ alice: secret(3, 1), bob: secret(3, 1), aliceDeviceAsBobSees: "alice-device" });
    await readingWhen(
      (reading) => reading.framesDecoded >= 30 && reading.totalAudioEnergy > 0 && reading.openedByBob > 0,
      "bob decoding alice's frames through the fallback",
    );
    await start({ alice: secret(3, 1), bob: secret(3, 2), aliceDeviceAsBobSees: "alice-device" });
    const wrong = await readingWhen((reading) => reading.droppedByBob >= 100, "bob dropping alice's frames");
    expect(wrong).toMatchObject({ framesDecoded: 0, totalSamplesReceived: 0, openedByBob: 0 });
    expect(problems).toEqual([]);
  });
});
