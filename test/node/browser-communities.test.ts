/**
 * What a community member sees in a real browser when the community changes
 * around them: bob joins Acme with a pasted invite code; the admin (through the
 * API, as a moderator's own client would) adds and archives channels, turns on
 * slow mode, times bob out and finally removes him, and bob's open page follows
 * each change at once: the composer says why it is shut, refusals say why in
 * words and are not resent, and a lost channel stays closed. One journey, in order.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected, withoutFrameType } from "../support/browser.ts";
import { browserJourney, saveRecoveryKey } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Access changes reach an open page in moments, not on its next reload. */
const LIVE_TIMEOUT_MS = 5_000;

const journey = browserJourney("browser_communities");
let admin: Account;
let bob: Page;
let bobId = "";
let acmeId = "";
let inviteCode = "";
/** Bob's socket frames pass through the test, which can hold back the room's permission updates. */
let isHidingPermissionUpdates = false;
let cutBobsLine = async () => {};
const sentFrames: { type: string; clientId?: string }[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  bob = await journey.openPage();
  // His channel sockets only: the account socket (/api/events/socket) goes straight through.
  await bob.routeWebSocket(/\/api\/channels\/[^/]+\/socket$/, (page) => {
    const room = page.connectToServer();
    page.onMessage((frame) => {
      sentFrames.push(JSON.parse(String(frame)));
      room.send(frame);
    });
    room.onMessage((frame) => {
      const passed = isHidingPermissionUpdates ? withoutFrameType(frame, "permissions") : String(frame);
      if (passed !== null) page.send(passed);
    });
    cutBobsLine = async () => {
      await page.close({ code: 1011, reason: "the test cut the line" });
      await room.close();
    };
  });

  admin = await registerOn(journey.server, "admin", PASSWORD);
  acmeId = (await asAdmin("POST", "/api/communities", { name: "Acme" }, 201)).community.id;
  inviteCode = (await asAdmin("POST", `/api/communities/${acmeId}/invites`, {}, 201)).code;
});

describe("bob in the Acme community, as it changes around him", () => {
  it("tells bob in words that only admins may create communities here", async () => {
    await bob.goto(`${journey.server.url}/register`);
    await bob.getByLabel("Username").fill("bob");
    await bob.getByLabel("Password").fill(PASSWORD);
    await bob.getByRole("button", { name: "Create account", exact: true }).click();
    await saveRecoveryKey(bob);
    await bob.getByText("You are not in a community yet").waitFor();

    await bob.getByLabel("Community name").fill("Bob's own");
    await bob.getByRole("button", { name: "Create community" }).click();
    await bob
      .getByRole("alert")
      .filter({ hasText: "Only instance admins may create communities on this server." })
      .waitFor();
  });

  it("refuses an invite code that does not exist, in words", async () => {
    await bob.getByLabel("Invite link or code").fill("nope-nope-nope");
    await bob.getByRole("button", { name: "Join community" }).click();
    await bob.getByRole("alert").filter({ hasText: "That invite is unknown, expired, revoked or used up." }).waitFor();
  });

  it("lets bob join Acme by pasting the invite code, without the tools only managers get", async () => {
    await bob.getByRole("link", { name: "Back to your communities" }).click();
    await bob.getByLabel("Invite link or code").fill(` ${inviteCode} `);
    await bob.getByRole("button", { name: "Join community" }).click();
    await bob.getByRole("main").getByRole("heading", { name: "Acme" }).waitFor();
    await channelLink("#general").waitFor();
    // @everyone may invite but not manage channels.
    expect(await bob.getByText("Create a channel").count()).toBe(0);
    await bob.getByRole("button", { name: "Invite people" }).waitFor();
    const { members } = await asAdmin("GET", `/api/communities/${acmeId}/members`, undefined, 200);
    bobId = (members as { userId: string; username: string }[]).find((member) => member.username === "bob")!.userId;
  });

  it("lets carol, who already has an account, sign in from an invite link and land in Acme", async () => {
    await registerOn(journey.server, "carol", PASSWORD);
    const carol = await journey.openPage();
    try {
      await carol.goto(`${journey.server.url}/join/${inviteCode}`);
      await carol.getByText("You have been invited to a community on Chatalot").waitFor();
      await carol.getByLabel("Username").fill("carol");
      await carol.getByLabel("Password").fill(PASSWORD);
      await carol.getByRole("button", { name: "Sign in", exact: true }).click();
      // The invitation shows Acme's name too: wait for the community itself.
      await carol.waitForURL(`**/communities/${acmeId}`);
      await carol.getByRole("main").getByRole("heading", { name: "Acme" }).waitFor();
    } finally {
      await carol.context().close();
    }
  });

  it("shows bob a channel the admin created at once, voice channels marked", async () => {
    await asAdmin("POST", `/api/communities/${acmeId}/channels`, { name: "announcements" }, 201);
    await asAdmin("POST", `/api/communities/${acmeId}/channels`, { name: "lounge", kind: "voice" }, 201);
    // The account socket tells bob's open page that the channel list changed.
    await channelLink("#announcements").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await channelLink("lounge voice").waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("shuts bob's composer, saying why, the moment #announcements is archived", async () => {
    await channelLink("#announcements").click();
    await waitUntilConnected(bob);
    const announcements = await channelNamed("announcements");
    await asAdmin("PATCH", `/api/channels/${announcements.id}`, { isArchived: true }, 200);
    await bob.getByText("This channel is archived: it can be read but not written in.").waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await bob.getByLabel("Message #announcements").isDisabled()).toBe(true);
    expect(await bob.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await channelLink("#announcements archived").waitFor();
  });

  it("marks a message refused for a missing permission as not sent, and never resends it", async () => {
    // Un-archived, then archived again while bob's page does not hear about it: his composer is still open.
    const announcements = await channelNamed("announcements");
    await asAdmin("PATCH", `/api/channels/${announcements.id}`, { isArchived: false }, 200);
    await bob.getByLabel("Message #announcements").and(bob.locator(":enabled")).waitFor({ timeout: LIVE_TIMEOUT_MS });
    isHidingPermissionUpdates = true;
    await asAdmin("PATCH", `/api/channels/${announcements.id}`, { isArchived: true }, 200);
    await bob.getByLabel("Message #announcements").fill("can anyone read this?");
    await bob.getByRole("button", { name: "Send" }).click();
    await bob.getByText("Not sent: This channel is archived: it is read-only.").waitFor({ timeout: LIVE_TIMEOUT_MS });
    isHidingPermissionUpdates = false;

    // After a reconnect the refused message stays refused: only bob's "Try again" would send it.
    // (Before the refusal it may have gone twice: sealed again after a stale epoch, same client id.)
    const refused = sentFrames.filter((frame) => frame.type === "send").at(-1)!;
    const sentBefore = sentFrames.length;
    await cutBobsLine();
    await waitUntilConnected(bob);
    await bob.getByText("This channel is archived: it can be read but not written in.").waitFor();
    expect(sentFrames.slice(sentBefore).filter((frame) => frame.clientId === refused.clientId)).toEqual([]);
  });

  it("tells bob about slow mode, and refuses a message sent too soon in words, without resending it", async () => {
    await channelLink("#general").click();
    await waitUntilConnected(bob);
    const general = await channelNamed("general");
    await asAdmin("PATCH", `/api/channels/${general.id}`, { slowModeSeconds: 60 }, 200);
    await bob.getByText("Slow mode: one message every minute.").waitFor({ timeout: LIVE_TIMEOUT_MS });

    const composer = bob.getByLabel("Message #general");
    await composer.fill("first");
    await composer.press("Enter");
    await bob.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
    await composer.fill("second, too soon");
    await composer.press("Enter");
    await bob
      .getByRole("log")
      .getByText(/Not sent: Slow mode is on in this channel: wait \d+ s before sending again\./)
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    const tooSoon = sentFrames.filter((frame) => frame.type === "send").at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sentFrames.filter((frame) => frame.clientId === tooSoon.clientId)).toHaveLength(1);
    await asAdmin("PATCH", `/api/channels/${general.id}`, { slowModeSeconds: 0 }, 200);
  });

  it("shuts bob's composer while he is timed out, saying until when, and opens it when the time-out is lifted", async () => {
    await asAdmin("POST", `/api/communities/${acmeId}/members/${bobId}/timeout`, { minutes: 10 }, 200);
    await bob.getByText(/You are timed out until .+ \(in 10 minutes\)\. You can read, but not send\./).waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await bob.getByLabel("Message #general").isDisabled()).toBe(true);
    await asAdmin("DELETE", `/api/communities/${acmeId}/members/${bobId}/timeout`, undefined, 204);
    await bob.getByLabel("Message #general").and(bob.locator(":enabled")).waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("fits a phone-sized screen: the lists, then the open channel with a way back", async () => {
    await bob.setViewportSize({ width: 360, height: 740 });
    try {
      await expectNothingSticksOut();
      await bob.getByRole("link", { name: "← Channels" }).click();
      await channelLink("#general").waitFor();
      await expectNothingSticksOut();
      await bob.screenshot({ path: join(SCREENSHOTS, "community-phone.png") });
      await channelLink("#general").click();
      await waitUntilConnected(bob);
    } finally {
      await bob.setViewportSize({ width: 960, height: 600 });
    }
  });

  it("closes #general for good when bob is removed from Acme, and says so", async () => {
    let ticketRequests = 0;
    bob.on("request", (request) => {
      if (request.url().endsWith("/socket-ticket")) ticketRequests++;
    });
    await asAdmin("POST", `/api/communities/${acmeId}/members/${bobId}/kick`, {}, 204);
    await bob.getByRole("alert").filter({ hasText: "You no longer have access to this channel." }).waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await bob.getByLabel("Message #general").count()).toBe(0);
    await bob.getByRole("status").filter({ hasText: "Not connected" }).waitFor();
    // The lists are read again: Acme is gone from bob's communities.
    await bob.getByText("You are not in a community yet").waitFor();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(ticketRequests).toBe(0);
  });
});

describe("the community pages under the server's Content-Security-Policy", () => {
  it("run without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

async function asAdmin(method: string, path: string, body: unknown, expectedStatus: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: admin.token });
  expect(response.status, `${method} ${path}: ${response.text}`).toBe(expectedStatus);
  return response.body;
}

async function channelNamed(name: string): Promise<{ id: string }> {
  const { channels } = await asAdmin("GET", `/api/communities/${acmeId}/channels`, undefined, 200);
  return (channels as { id: string; name: string }[]).find((channel) => channel.name === name)!;
}

const channelLink = (name: string) =>
  bob.getByRole("navigation", { name: "Channels" }).getByRole("link", { name, exact: true });

/** No sideways scrolling: nothing visible reaches past the right edge. */
async function expectNothingSticksOut(): Promise<void> {
  const sticking = await bob.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter(
        (element) =>
          element.getClientRects().length > 0 && element.getBoundingClientRect().right > window.innerWidth + 0.5,
      )
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  expect(sticking).toEqual([]);
}
