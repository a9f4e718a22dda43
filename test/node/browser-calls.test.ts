/**
 * A voice channel's call in real Chromium with fake camera, microphone and screen:
 * admin, bob and carol join Acme's "lounge" (two, then three), each receives the
 * others' audio and video, bob's mute silences him for the others, carol's beeping
 * microphone lights her speaking ring, carol's screen share reaches the others, bob
 * leaves and comes back, dave (in Acme, not in the call) sees who is in it from the
 * channel list, and carol's page, cut off from the server for a few seconds, goes on
 * in the call without anyone joining again. Last, carol asks for "relay only" and her
 * call goes through a real coturn (started as the compose profile runs it, with the
 * server's TURN secret) and nothing else. One server, relay and browser, in order.
 *
 * What each page receives is read from its own RTCPeerConnections, collected by an
 * init script that wraps the constructor: the page's outer edge, nothing in the app
 * exists for the test.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { FAKE_MEDIA_ARGS } from "../support/browser.ts";
import { browserJourney, channelLink } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";
import { startTurnRelay, type RunningRelay } from "../support/turn-relay.ts";
import { collectPeerConnections } from "../support/peer-connections.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/**
 * Joining and media starting take a few seconds on a busy two-core machine; at a load
 * average past 40 (other suites running) a DTLS handshake was seen to take over 20 s.
 */
const MEDIA_TIMEOUT_MS = 40_000;
/** The media sections in their fixed order (docs/calls.md): their mids in Chromium. */
const MID = { microphone: "0", camera: "1", screen: "2" } as const;

const TURN_SECRET = "5c1e9a7d3b2f4e6a8c0d1f3b5a7e9c2d4f6a8b0c1e3d5f7a9b2c4e6d8f0a1b3c";

// The relay starts first (this hook is registered before the journey's), so the server
// starts with its secret and address.
const serverEnv: Record<string, string> = {};
let relay: RunningRelay | undefined;
beforeAll(async () => {
  const secretFile = join(mkdtempSync(join(tmpdir(), "chatalot-turn-secret-")), "turn_secret");
  writeFileSync(secretFile, TURN_SECRET, { mode: 0o600 });
  // Loopback peers are denied by the profile; on one machine every peer is on loopback.
  relay = await startTurnRelay({
    secretFile,
    extraFlags: ["--allow-loopback-peers"],
    env: { TURN_RELAY_TO_SELF: "true" },
  });
  Object.assign(serverEnv, { TURN_SECRET_FILE: secretFile, TURN_URLS: `turn:127.0.0.1:${relay.port}` });
});
afterAll(async () => {
  await relay?.stop();
});
const journey = browserJourney("browser_calls", serverEnv, FAKE_MEDIA_ARGS);
let adminAccount: Account;
let acmeId = "";
const pages: Record<"admin" | "bob" | "carol" | "dave", Page> = {} as never;
/** Carol's channel sockets pass through the test, which can cut them. */
let isCarolOffline = false;
/** Closes both ends of each of carol's open channel sockets. */
const carolsLines = new Set<() => void>();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  adminAccount = await registerOn(journey.server, "admin", PASSWORD);
  acmeId = (await asAdmin("POST", "/api/communities", { name: "Acme" }, 201)).community.id;
  await asAdmin("POST", `/api/communities/${acmeId}/channels`, { name: "lounge", kind: "voice" }, 201);
  const { code } = await asAdmin("POST", `/api/communities/${acmeId}/invites`, {}, 201);
  for (const name of ["bob", "carol", "dave"]) {
    const account = await registerOn(journey.server, name, PASSWORD);
    const joined = await call(journey.server, "/api/community-invites/accept", {
      body: { code },
      token: account.token,
    });
    expect(joined.status, joined.text).toBe(200);
  }
  for (const name of ["admin", "bob", "carol", "dave"] as const) {
    pages[name] = await journey.openPage();
    await pages[name].addInitScript(collectPeerConnections);
  }
  await pages.carol.routeWebSocket(/\/api\/channels\/[^/]+\/socket$/, (page) => {
    if (isCarolOffline) return void page.close({ code: 1011, reason: "offline" });
    const room = page.connectToServer();
    const cut = () => {
      carolsLines.delete(cut);
      void page.close({ code: 1011, reason: "the test cut the line" }).catch(() => {});
      void room.close({ code: 1011, reason: "the test cut the line" }).catch(() => {});
    };
    carolsLines.add(cut);
    // Set handlers turn off Playwright's own forwarding of a close: pass it on as it came.
    const passOn = (to: typeof room) => (code: number | undefined, reason: string | undefined) => {
      carolsLines.delete(cut);
      const isSendable = code !== undefined && (code === 1000 || (code >= 3000 && code <= 4999));
      void to.close(isSendable ? { code, reason } : { code: 1000, reason }).catch(() => {});
    };
    page.onClose(passOn(room));
    room.onClose(passOn(page));
  });
  await Promise.all(Object.entries(pages).map(([name, page]) => signIn(page, name)));
}, 120_000);

afterAll(() => {
  expect(journey.problems).toEqual([]);
});

describe("admin, bob and carol in Acme's lounge", () => {
  it("connects two people who then hear and see each other", async () => {
    await Promise.all([joinLounge(pages.admin, "Join with video"), joinLounge(pages.bob, "Join with video")]);
    for (const page of [pages.admin, pages.bob]) {
      await callStatus(page, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expectEveryLinkReceiving(page, 1, ["microphone", "camera"]);
    }
  });

  it("adds a third, and everyone receives everyone else's audio and video", async () => {
    await joinLounge(pages.carol, "Join with video");
    for (const page of [pages.admin, pages.bob, pages.carol]) {
      await callStatus(page, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expectEveryLinkReceiving(page, 2, ["microphone", "camera"]);
      await expect.poll(() => tiles(page).count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(3);
      // Frames decode only when opened with the sender device's key from the channel's group.
      await page.locator(".voice-header").getByText("End-to-end encrypted", { exact: true }).waitFor();
    }
    await pages.admin.setViewportSize({ width: 1280, height: 800 });
    await pages.admin.screenshot({ path: join(SCREENSHOTS, "voice-channel.png") });
    await pages.admin.setViewportSize({ width: 960, height: 600 });
  });

  it("shows dave, who is not in the call, who is in the Lounge", async () => {
    await loungeLink(pages.dave).waitFor();
    const people = pages.dave.getByRole("list", { name: "In lounge" });
    for (const name of ["admin", "bob", "carol"]) await people.getByText(name, { exact: true }).waitFor();
  });

  it("silences bob for the others when he mutes", async () => {
    await pages.bob.getByRole("main").getByRole("button", { name: "Mute", exact: true }).click();
    await tile(pages.admin, "bob")
      .and(pages.admin.getByRole("listitem", { name: /muted/ }))
      .waitFor();
    // On the admin's page one of the two connections (bob's) now carries no energy; carol's still does.
    await expect
      .poll(async () => (await audioEnergyGrowth(pages.admin)).map((growth) => growth > 0).sort(), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toEqual([false, true]);
  });

  // Once retried: in one full run of the suite (load ~13 on two cores) carol's tile showed no
  // ring for 40 s, and it never failed alone or beside two other journeys; what stalled is not
  // known yet. The retry waits on the same call, so a detector that never fires still fails.
  it("rings carol's tile while her fake microphone beeps, and not bob's while he is muted", { retry: 1 }, async () => {
    await tile(pages.admin, "carol")
      .and(pages.admin.getByRole("listitem", { name: /speaking/ }))
      .waitFor({
        timeout: MEDIA_TIMEOUT_MS,
      });
    expect(await tile(pages.admin, "bob").getAttribute("aria-label")).not.toMatch(/speaking/);
  });

  it("brings carol's shared screen to the others", async () => {
    await pages.carol.getByRole("button", { name: "Share screen" }).click();
    for (const page of [pages.admin, pages.bob]) {
      await page.getByLabel("carol’s screen").waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expect.poll(() => framesDecodedGrowth(page, MID.screen), { timeout: MEDIA_TIMEOUT_MS }).toContain(true);
    }
    await pages.carol.getByRole("button", { name: "Stop sharing" }).click();
  });

  it("lets bob leave and join again", async () => {
    await pages.bob.getByRole("main").getByRole("button", { name: "Leave call" }).click();
    await pages.bob.getByRole("button", { name: "Join voice" }).waitFor();
    await expect.poll(() => tiles(pages.admin).count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(2);
    await expect
      .poll(() => pages.dave.getByRole("list", { name: "In lounge" }).getByText("bob", { exact: true }).count(), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(0);

    await joinLounge(pages.bob, "Join with video");
    await callStatus(pages.bob, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect.poll(() => tiles(pages.admin).count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(3);
    await expectEveryLinkReceiving(pages.bob, 2, ["microphone", "camera"]);
  });

  it("keeps carol in the call through a few seconds without the server, without joining again", async () => {
    isCarolOffline = true;
    await pages.carol.context().setOffline(true);
    for (const cut of [...carolsLines]) cut();
    await callStatus(pages.carol, "Reconnecting…").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await tile(pages.admin, "carol")
      .and(pages.admin.getByRole("listitem", { name: /reconnecting/ }))
      .waitFor({ timeout: MEDIA_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        const seen = `admin: ${await describeCall(pages.admin)}; carol: ${await describeCall(pages.carol)}`;
        throw new Error(`the admin never saw carol reconnecting: ${seen}`, { cause: error });
      });
    isCarolOffline = false;
    await pages.carol.context().setOffline(false);

    await callStatus(pages.carol, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect
      .poll(() => pages.carol.getByRole("button", { name: "Join voice" }).count(), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(0);
    await expect
      .poll(() => tile(pages.admin, "carol").getAttribute("aria-label"), { timeout: MEDIA_TIMEOUT_MS })
      .not.toMatch(/reconnecting/);
    await expect.poll(() => tiles(pages.admin).count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(3);
    for (const page of [pages.carol, pages.admin]) await expectEveryLinkReceiving(page, 2, ["microphone", "camera"]);
  });

  it("shows the call's bar in the sidebar while carol reads another channel", async () => {
    await channelLink(pages.carol, "#general").click();
    const bar = pages.carol.getByRole("region", { name: "Your call" });
    await bar.getByText("Voice connected").waitFor();
    await expectEveryLinkReceiving(pages.carol, 2, ["microphone"]);
    await bar.getByRole("button", { name: "Leave call" }).click();
    await expect.poll(() => bar.count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(0);
  });

  it("sends carol's call only through the TURN relay once she asks for relay only", async () => {
    await loungeLink(pages.carol).click();
    await pages.carol.getByRole("button", { name: "Call settings" }).click();
    await pages.carol.getByLabel(/Relay only/).check();
    await pages.carol.getByRole("button", { name: "Join with video" }).click();
    await callStatus(pages.carol, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expectEveryLinkReceiving(pages.carol, 2, ["microphone", "camera"]);
    expect(await localCandidateTypes(pages.carol)).toEqual(["relay", "relay"]);
    await expectEveryLinkReceiving(pages.admin, 2, ["camera"]);
  });

  it("opens carol's microphone only while she holds Space, once push-to-talk is on", async () => {
    await pages.carol.getByRole("button", { name: "Call settings" }).click();
    await pages.carol.getByLabel(/Push to talk/).check();
    const carolOnAdmin = tile(pages.admin, "carol");
    await carolOnAdmin.and(pages.admin.getByRole("listitem", { name: /muted/ })).waitFor();
    // Space typed into a field is the field's: push-to-talk listens outside them.
    await pages.carol.locator("#voice-heading").click();
    await pages.carol.keyboard.down("Space");
    await expect
      .poll(() => carolOnAdmin.getAttribute("aria-label"), { timeout: MEDIA_TIMEOUT_MS })
      .not.toMatch(/muted/);
    await pages.carol.keyboard.up("Space");
    await carolOnAdmin.and(pages.admin.getByRole("listitem", { name: /muted/ })).waitFor();
  });
});

async function asAdmin(method: string, path: string, body: unknown, status: number) {
  const response = await call(journey.server, path, { method, body, token: adminAccount.token });
  expect(response.status, response.text).toBe(status);
  return response.body;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: "Acme" }).click();
  await loungeLink(page).waitFor();
}

async function joinLounge(page: Page, button: "Join voice" | "Join with video"): Promise<void> {
  await loungeLink(page).click();
  await page.getByRole("button", { name: button }).click();
}

/** The voice channel's link (its name and the word "voice"). */
const loungeLink = (page: Page) =>
  page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: /^lounge/ });
const callStatus = (page: Page, words: string) =>
  page.locator(".call-stage").getByRole("status").filter({ hasText: words });
const tiles = (page: Page) => page.getByRole("list", { name: "People in the call" }).getByRole("listitem");
const tile = (page: Page, name: string) => tiles(page).filter({ has: page.getByText(name, { exact: true }) });

/** The type of this side's candidate in each open connection's selected pair ("host", "relay", …). */
function localCandidateTypes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
    const open = all.filter((connection) => connection.connectionState !== "closed");
    return Promise.all(
      open.map(async (connection) => {
        const stats = new Map<string, Record<string, unknown>>();
        (await connection.getStats()).forEach((stat: Record<string, unknown>) => stats.set(String(stat.id), stat));
        const transport = [...stats.values()].find((stat) => stat.type === "transport");
        const pair = stats.get(String(transport?.selectedCandidatePairId));
        return String(stats.get(String(pair?.localCandidateId))?.candidateType ?? "none");
      }),
    );
  });
}

interface Received {
  mid: string;
  framesDecoded: number;
  totalSamplesReceived: number;
  totalAudioEnergy: number;
}

/** The inbound media of each open peer connection of the page, by mid. */
function readInbound(page: Page): Promise<Received[][]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
    const open = all.filter((connection) => connection.connectionState !== "closed");
    return Promise.all(
      open.map(async (connection) => {
        const inbound: Received[] = [];
        (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type !== "inbound-rtp") return;
          inbound.push({
            mid: String(stat.mid),
            framesDecoded: Number(stat.framesDecoded ?? 0),
            totalSamplesReceived: Number(stat.totalSamplesReceived ?? 0),
            totalAudioEnergy: Number(stat.totalAudioEnergy ?? 0),
          });
        });
        return inbound;
      }),
    );
  });
}

/** How much each open connection's `field` on `mid` grew over a second (one number per connection). */
async function growthOver(page: Page, mid: string, field: keyof Omit<Received, "mid">): Promise<number[]> {
  const valueOf = (inbound: Received[]) => inbound.find((entry) => entry.mid === mid)?.[field] ?? 0;
  const before = (await readInbound(page)).map(valueOf);
  await page.waitForTimeout(1_000);
  const after = (await readInbound(page)).map(valueOf);
  if (after.length !== before.length) return [];
  return after.map((value, index) => value - before[index]!);
}

const audioEnergyGrowth = (page: Page) => growthOver(page, MID.microphone, "totalAudioEnergy");
const framesDecodedGrowth = async (page: Page, mid: string) =>
  (await growthOver(page, mid, "framesDecoded")).map((growth) => growth > 0);

/** The page has `count` open peer connections, and on every one the given media keep arriving. */
async function expectEveryLinkReceiving(page: Page, count: number, media: ("microphone" | "camera")[]): Promise<void> {
  for (const kind of media) {
    const field = kind === "camera" ? "framesDecoded" : "totalSamplesReceived";
    try {
      await expect
        .poll(async () => (await growthOver(page, MID[kind], field)).map((growth) => growth > 0), {
          timeout: MEDIA_TIMEOUT_MS,
        })
        .toEqual(Array<boolean>(count).fill(true));
    } catch (error) {
      throw new Error(`${kind} is not arriving on every connection: ${await describeCall(page)}`, { cause: error });
    }
  }
}

/** What a failing step needs to know: the call's words on the page and each connection's state. */
async function describeCall(page: Page): Promise<string> {
  const words = await page.locator(".voice-stage, .voice-connected").allInnerTexts();
  const connections = await page.evaluate(() =>
    (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections.map(
      (connection) => `${connection.connectionState}/${connection.iceConnectionState}/${connection.signalingState}`,
    ),
  );
  return JSON.stringify({ words, connections, inbound: await readInbound(page) });
}
