/**
 * A call when the server lies about who is in it, in real Chromium with fake devices:
 * alice and bob join Acme's "lounge" through a proxy in front of the real server
 * (test/support/lying-server.ts) that names another encryption device for bob in every
 * call roster. Bob still sees and hears alice (her device is named truly); alice's page
 * receives bob's frames but decodes none: his media key is his device's, and the
 * device the server named holds another. A server can spoil a call, never show one
 * person's media as another's.
 *
 * What each page receives is read from its own RTCPeerConnections, collected by an
 * init script that wraps the constructor: the page's outer edge, nothing in the app
 * exists for the test.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { FAKE_MEDIA_ARGS } from "../support/browser.ts";
import { browserJourney, channelLink } from "../support/browser-journey.ts";
import { startLyingServer } from "../support/lying-server.ts";
import { collectPeerConnections } from "../support/peer-connections.ts";

const PASSWORD = "correct horse battery";
/** Joining and media starting take a few seconds on a busy two-core machine. */
const MEDIA_TIMEOUT_MS = 20_000;
/** What the liar says bob's encryption device is. */
const GHOST_DEVICE = "ghost-device-of-the-server";

// The liar starts first: the real server must accept the browser's calls from its address.
const liar = await startLyingServer({
  get url() {
    return journey.server.url;
  },
});
const journey = browserJourney(
  "browser_call_lies",
  { CORS_ORIGINS: liar.url, COMMUNITY_CREATION_MODE: "open" },
  FAKE_MEDIA_ARGS,
);
let bobAccount: Account;
const pages: Record<"alice" | "bob", Page> = {} as never;

beforeAll(async () => {
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const asAlice = async (path: string, body: unknown) => {
    const answer = await call(journey.server, path, { body, token: aliceAccount.token });
    expect(answer.status, answer.text).toBeLessThan(300);
    return answer.body;
  };
  const { community } = await asAlice("/api/communities", { name: "Acme" });
  await asAlice(`/api/communities/${community.id}/channels`, { name: "lounge", kind: "voice" });
  const { code } = await asAlice(`/api/communities/${community.id}/invites`, {});
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);
  liar.frameLies.push((_path, frame) => {
    if (frame.type === "call.roster" && frame.call) return [{ ...frame, call: withGhostForBob(frame.call) }];
    if (frame.type === "call.joined") return [{ ...frame, call: withGhostForBob(frame.call) }];
    return undefined;
  });
  for (const name of ["alice", "bob"] as const) {
    pages[name] = await journey.openPage();
    await pages[name].addInitScript(collectPeerConnections);
    await signIn(pages[name], name);
  }
}, 120_000);

afterAll(async () => {
  await liar.stop();
  expect(journey.problems).toEqual([]);
});

describe("a call through a server that names another device for bob", () => {
  it("lets bob see and hear alice, while alice receives bob's frames and decodes none", async () => {
    for (const page of [pages.alice, pages.bob]) {
      await lounge(page).click();
      await page.getByRole("button", { name: "Join with video" }).click();
      await page.locator(".call-stage").getByRole("status").filter({ hasText: "Voice connected" }).waitFor({
        timeout: MEDIA_TIMEOUT_MS,
      });
    }
    const isDecoding = (growth: Inbound) => growth.framesDecoded > 0 && growth.totalSamplesReceived > 0;
    await expect.poll(async () => isDecoding(await inboundGrowth(pages.bob)), { timeout: MEDIA_TIMEOUT_MS }).toBe(true);
    // Bob's frames keep reaching alice (the connection works), and not one of them decodes.
    const isArriving = (growth: Inbound) => growth.packetsReceived > 20;
    await expect
      .poll(async () => isArriving(await inboundGrowth(pages.alice)), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(true);
    expect(await inbound(pages.alice)).toMatchObject({ framesDecoded: 0, totalSamplesReceived: 0 });
  });
});

/** The call as the server shows it, with bob's participant named with a device that is not his. */
function withGhostForBob(view: CallView): CallView {
  return {
    ...view,
    participants: view.participants.map((participant) =>
      participant.userId === bobAccount.id ? { ...participant, deviceId: GHOST_DEVICE } : participant,
    ),
  };
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${liar.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: "Acme" }).click();
  await lounge(page).waitFor();
  // The channel's text side makes this device a member of the channel's group.
  await channelLink(page, "#general").waitFor();
}

const lounge = (page: Page) =>
  page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: /^lounge/ });

interface Inbound {
  framesDecoded: number;
  totalSamplesReceived: number;
  packetsReceived: number;
}

/** The page's inbound media summed over its open connections. */
function inbound(page: Page): Promise<Inbound> {
  return page.evaluate(async () => {
    const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
    const sum = { framesDecoded: 0, totalSamplesReceived: 0, packetsReceived: 0 };
    for (const connection of all.filter((candidate) => candidate.connectionState !== "closed")) {
      (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
        if (stat.type !== "inbound-rtp") return;
        sum.framesDecoded += Number(stat.framesDecoded ?? 0);
        sum.totalSamplesReceived += Number(stat.totalSamplesReceived ?? 0);
        sum.packetsReceived += Number(stat.packetsReceived ?? 0);
      });
    }
    return sum;
  });
}

/** How much the page's inbound media grew over a second. */
async function inboundGrowth(page: Page): Promise<Inbound> {
  const before = await inbound(page);
  await page.waitForTimeout(1_000);
  const after = await inbound(page);
  return {
    framesDecoded: after.framesDecoded - before.framesDecoded,
    totalSamplesReceived: after.totalSamplesReceived - before.totalSamplesReceived,
    packetsReceived: after.packetsReceived - before.packetsReceived,
  };
}
