/**
 * Chatalot as an installable app, in Chromium against the production server: the
 * web app manifest and its icons, the service worker that controls alice's page
 * from her second visit, the app shell that opens with no network and says so, and
 * a sign-in page that leaves the encryption library and the workspace unloaded.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { generalChannel, registerOn } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, openGeneral, signInToGeneral } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const ASSETS = join(root, "web", "dist", "assets");
const OFFLINE_WORDS = "You are offline: Chatalot will reconnect when the network is back.";
/** A string only ts-mls's code holds: its ciphersuite table names this one. */
const MLS_MARKER = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";

const journey = browserJourney("browser_installable");
let alice: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const admin = await registerOn(journey.server, "admin", PASSWORD);
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  await generalChannel(journey.server, admin, [aliceAccount]);
});

/** The built scripts that hold ts-mls, by their path under /assets/. */
function encryptionChunks(): string[] {
  return readdirSync(ASSETS)
    .filter((name) => name.endsWith(".js") && readFileSync(join(ASSETS, name), "utf8").includes(MLS_MARKER))
    .map((name) => `/assets/${name}`);
}

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): string {
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe("the web app manifest", () => {
  it("names Chatalot, opens standalone at /, and has icons that load at their sizes", async () => {
    const response = await fetch(`${journey.server.url}/manifest.webmanifest`);
    expect(response.headers.get("content-type")).toBe("application/manifest+json");
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ name: "Chatalot", short_name: "Chatalot", start_url: "/", display: "standalone" });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
      "192x192 any",
      "512x512 any",
      "512x512 maskable",
    ]);
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, journey.server.url));
      expect(image.headers.get("content-type")).toBe("image/png");
      expect(pngSize(Buffer.from(await image.arrayBuffer()))).toBe(icon.sizes);
    }
  });
});

describe("the sign-in page", () => {
  it("loads neither the encryption library nor the workspace", async () => {
    const encryption = encryptionChunks();
    expect(encryption.length).toBeGreaterThan(0);
    const visitor = await journey.openPage();
    const scripts: string[] = [];
    // The page's own requests: the service worker's precaching is not the page's first load.
    visitor.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await visitor.goto(`${journey.server.url}/sign-in`);
    await visitor.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await visitor.waitForLoadState("networkidle");
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((path) => encryption.includes(path) || path.includes("workspace"))).toEqual([]);

    // Signed in, the workspace loads them: the check above watches the right files.
    await signInToGeneral(visitor, journey.server.url, "alice", PASSWORD);
    expect(scripts.filter((path) => encryption.includes(path))).not.toEqual([]);
    await visitor.context().close();
  });
});

describe("alice's installed Chatalot", () => {
  it("is controlled by the service worker from her second visit", async () => {
    alice = await journey.openPage();
    await signInToGeneral(alice, journey.server.url, "alice", PASSWORD);
    expect(
      await alice.evaluate(() => navigator.serviceWorker.ready.then((registration) => registration.active?.state)),
    ).toBe("activated");
    await alice.reload();
    await openGeneral(alice);
    // What it keeps is the app shell: never an API answer.
    const cached = await alice.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain("/index.html");
    expect(cached.filter((path) => path.startsWith("/api/"))).toEqual([]);
    expect(await alice.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${journey.server.url}/sw.js`,
    );
  });

  it("is installable: Chromium finds nothing missing", async () => {
    const devtools = await alice.context().newCDPSession(alice);
    const { installabilityErrors } = (await devtools.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    // Playwright's contexts are off-the-record profiles, which Chromium never installs into.
    expect(installabilityErrors.filter((error) => error.errorId !== "in-incognito")).toEqual([]);
  });

  it("tells alice when her network goes, and stops once it is back", async () => {
    await alice.context().setOffline(true);
    await alice.getByRole("status").filter({ hasText: OFFLINE_WORDS }).waitFor();
    await alice.context().setOffline(false);
    await alice.getByRole("status").filter({ hasText: OFFLINE_WORDS }).waitFor({ state: "detached" });
    await waitUntilConnected(alice);
  });

  it("opens its shell with no network, says she is offline, and restores her session once it is back", async () => {
    await alice.context().setOffline(true);
    await alice.reload();
    await alice.getByRole("status").filter({ hasText: OFFLINE_WORDS }).waitFor();
    expect(
      await alice
        .getByRole("status")
        .filter({ hasText: /^Connected$/ })
        .count(),
    ).toBe(0);
    await screenshot(alice, "installable-offline.png");
    await alice.context().setOffline(false);
    // Back online, the page starts again and her saved session comes back: no new sign-in.
    await alice.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: "#general" }).waitFor();
    expect(await alice.getByRole("status").filter({ hasText: OFFLINE_WORDS }).count()).toBe(0);
  });
});

describe("the installable pages under the server's Content-Security-Policy", () => {
  it("run without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}
