/**
 * Profile cards and moderation in a real browser: alice owns Gardeners and gives
 * carol a Moderators role (kick and time out). Carol opens mallory's profile card
 * from the timeline (pronouns, bio, roles; Esc closes it and focus goes back to her
 * name) and times her out for an hour for spamming from the card's member menu;
 * mallory's composer says until when and why. Carol is offered nothing on alice, and
 * a kick the server refuses says why in words. Alice bans mallory from the member
 * menu: mallory's page loses Gardeners at once; the bans list shows her, and alice
 * lifts the ban. One journey, in order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { seriousAxeFindings } from "../support/axe.ts";
import { waitUntilConnected } from "../support/browser.ts";
import {
  browserJourney,
  channelLink,
  communityLink,
  messageItem,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { PHONE } from "../support/layout.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Changes reach an open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;
/** A first message sets up its channel's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;
const DESKTOP = { width: 1280, height: 800 };

const journey = browserJourney("browser_moderation", { ADMIN_USERNAME: "alice" });
let alice: Account;
let carol: Account;
let mallory: Account;
let communityId = "";
let moderatorsId = "";
let inviteCode = "";
let alicePage: Page;
let carolPage: Page;
let malloryPage: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [alice, carol, mallory] = await Promise.all(
    ["alice", "carol", "mallory"].map((name) => registerOn(journey.server, name, PASSWORD)),
  );
  const { community } = await as(alice, "POST", "/api/communities", { name: "Gardeners" }, 201);
  communityId = community.id;
  const { code } = await as(alice, "POST", `/api/communities/${communityId}/invites`, {}, 201);
  inviteCode = code;
  for (const person of [carol, mallory]) await as(person, "POST", "/api/community-invites/accept", { code }, 200);
  const { role } = await as(
    alice,
    "POST",
    `/api/communities/${communityId}/roles`,
    { name: "Moderators", permissions: ["KICK_MEMBERS", "TIMEOUT_MEMBERS"], position: 2 },
    201,
  );
  moderatorsId = role.id;
  await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.id}/roles/${moderatorsId}`, undefined, 204);
  const { role: visitors } = await as(
    alice,
    "POST",
    `/api/communities/${communityId}/roles`,
    { name: "Visitors", permissions: [], position: 1 },
    201,
  );
  await as(alice, "PUT", `/api/communities/${communityId}/members/${mallory.id}/roles/${visitors.id}`, undefined, 204);
  await as(mallory, "PATCH", "/api/account/profile", { pronouns: "she/her", bio: "Seeds, bulbs and bargains." }, 200);

  [alicePage, carolPage, malloryPage] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  await Promise.all([alicePage, carolPage, malloryPage].map((page) => page.setViewportSize(DESKTOP)));
  await Promise.all([signIn(alicePage, "alice"), signIn(carolPage, "carol"), signIn(malloryPage, "mallory")]);
  await Promise.all([openGeneral(alicePage), openGeneral(carolPage), openGeneral(malloryPage)]);
});

describe("profile cards and moderation", () => {
  it("shows mallory's and alice's messages to carol", async () => {
    await send(malloryPage, "cheap bulbs at my shop, click here");
    await send(alicePage, "welcome to the garden, everyone");
    await messageItem(carolPage, "cheap bulbs").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await messageItem(carolPage, "welcome to the garden").waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("opens mallory's card from her name: pronouns, bio and roles; Esc closes it, focus back on her name", async () => {
    const name = messageItem(carolPage, "cheap bulbs").getByRole("button", { name: "mallory", exact: true });
    await name.click();
    const card = profileCardOf(carolPage, "mallory");
    await card.waitFor();
    await card.getByText("she/her").waitFor();
    await card.getByText("Seeds, bulbs and bargains.").waitFor();
    await card.getByRole("region", { name: "Roles" }).getByText("Visitors").waitFor();
    expect(await seriousAxeFindings(carolPage, ".profile-card")).toEqual([]);
    await card.screenshot({ path: join(SCREENSHOTS, "profile-card.png") });

    await carolPage.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it("lets carol time mallory out for an hour for spamming from the member menu", async () => {
    await messageItem(carolPage, "cheap bulbs").getByRole("button", { name: "mallory", exact: true }).click();
    const card = profileCardOf(carolPage, "mallory");
    await card.getByRole("button", { name: "Actions for mallory" }).click();
    const menu = card.getByRole("dialog", { name: "Actions for mallory" });
    await menu.getByRole("button", { name: "Time out mallory…" }).waitFor();
    // Carol's role has no BAN_MEMBERS: no ban offered.
    expect(await menu.getByRole("button", { name: /^Ban/ }).count()).toBe(0);
    await carolPage.screenshot({ path: join(SCREENSHOTS, "member-menu.png") });
    await menu.getByRole("button", { name: "Time out mallory…" }).click();

    const form = carolPage.getByRole("dialog", { name: "Time out mallory" });
    await form.getByRole("radio", { name: "1 hour" }).check();
    await form.getByLabel("Reason (optional)").fill("spamming");
    await form.getByRole("button", { name: "Time out", exact: true }).click();
    await form.waitFor({ state: "detached" });
    await card
      .getByText(/mallory is timed out until .* \(in 1 hour\): spamming\./)
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await carolPage.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });
  });

  it("tells mallory in her composer until when and why, without a reload", async () => {
    const note = malloryPage.locator("#composer-note");
    await expect
      .poll(() => note.textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toMatch(/^You are timed out until .+ \(in 1 hour\): spamming\. You can read, but not send\.$/);
    expect(await malloryPage.getByLabel("Message #general").isDisabled()).toBe(true);
  });

  it("offers carol nothing on alice, who owns Gardeners, and says why", async () => {
    await messageItem(carolPage, "welcome to the garden").getByRole("button", { name: "alice", exact: true }).click();
    const card = profileCardOf(carolPage, "alice");
    await card.getByRole("button", { name: "Actions for alice" }).click();
    const menu = card.getByRole("dialog", { name: "Actions for alice" });
    await menu.getByText("alice owns Gardeners: nobody can time out, kick or ban them.").waitFor();
    expect(await menu.getByRole("button", { name: /^(Kick|Ban|Time out)/ }).count()).toBe(0);
    await carolPage.keyboard.press("Escape");
    await carolPage.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });

    // Forced past the page, the server refuses the same, in words.
    const forced = await call(journey.server, `/api/communities/${communityId}/members/${alice.id}/kick`, {
      method: "POST",
      body: {},
      token: carol.token,
    });
    expect(forced.status).toBe(403);
    expect(forced.body.error.message).toMatch(/below yours/);
  });

  it("shows carol the server's refusal in words when mallory rose to her rank before the kick went", async () => {
    await messageItem(carolPage, "cheap bulbs").getByRole("button", { name: "mallory", exact: true }).click();
    const card = profileCardOf(carolPage, "mallory");
    await card.getByRole("button", { name: "Actions for mallory" }).click();
    await card.getByRole("button", { name: "Kick mallory…" }).click();
    const form = carolPage.getByRole("dialog", { name: "Kick mallory" });
    await form.getByText("They can come back with an invite.", { exact: false }).waitFor();

    // Meanwhile alice makes mallory a moderator too: carol's role is no longer above hers.
    await as(
      alice,
      "PUT",
      `/api/communities/${communityId}/members/${mallory.id}/roles/${moderatorsId}`,
      undefined,
      204,
    );
    await form.getByRole("button", { name: "Kick mallory" }).click();
    await form
      .getByRole("alert")
      .getByText("You can only act on members whose highest role is below yours.")
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await form.getByRole("button", { name: "Cancel" }).click();
    await form.waitFor({ state: "detached" });
    await carolPage.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });
    // Alice's page reads the roles again when they change: that read starts before the next
    // step loses one on the way, so the one lost is her menu's own.
    const rolesReread = alicePage.waitForRequest((request) => request.url().endsWith(`/${communityId}/roles`), {
      timeout: LIVE_TIMEOUT_MS,
    });
    await as(
      alice,
      "DELETE",
      `/api/communities/${communityId}/members/${mallory.id}/roles/${moderatorsId}`,
      undefined,
      204,
    );
    await rolesReread;
  });

  it("lets alice ban mallory from the member menu, and mallory's page loses Gardeners at once", async () => {
    await messageItem(alicePage, "cheap bulbs").getByRole("button", { name: "mallory", exact: true }).click();
    const card = profileCardOf(alicePage, "mallory");
    // The first look at the roles is lost on the way: the menu says so, and asks again when told to.
    const roles = `**/api/communities/${communityId}/roles`;
    await alicePage.route(roles, (route) => route.abort("connectionreset"), { times: 1 });
    await card.getByRole("button", { name: "Actions for mallory" }).click();
    await card.getByRole("alert").filter({ hasText: "Could not load your actions." }).waitFor();
    expect(await card.getByRole("button", { name: "Ban mallory…" }).count()).toBe(0);
    await card.getByRole("button", { name: "Try again" }).click();
    await card.getByRole("button", { name: "Ban mallory…" }).click();
    const form = alicePage.getByRole("dialog", { name: "Ban mallory" });
    await form.getByText("cannot come back, even with an invite", { exact: false }).waitFor();
    await form.getByLabel("Reason (optional)").fill("selling bulbs in every channel");
    await form.getByRole("button", { name: "Ban mallory" }).click();
    await form.waitFor({ state: "detached" });
    await card.waitFor({ state: "detached" });

    await communityLink(malloryPage, "Gardeners").waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
    await channelLink(malloryPage, "#general").waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
  });

  it("lists mallory in Gardeners' bans, with why, when and by whom, and alice lifts the ban", async () => {
    await alicePage.goto(`${journey.server.url}/communities/${communityId}/settings/bans`);
    const section = alicePage.locator(".bans-section");
    const row = section.getByRole("listitem").filter({ hasText: "mallory" });
    await row.getByText("Reason: selling bulbs in every channel").waitFor();
    await row.getByText(/^Banned .+ by alice$/).waitFor();
    expect(await seriousAxeFindings(alicePage, ".settings-content")).toEqual([]);
    await alicePage.locator(".settings-area").screenshot({ path: join(SCREENSHOTS, "community-bans.png") });

    // The ban is not lifted at the first click: it asks, saying what it allows.
    await row.getByRole("button", { name: "Unban mallory" }).click();
    await row.getByText("Lift the ban on mallory?", { exact: false }).waitFor();
    await row.getByRole("button", { name: "Unban mallory", exact: true }).click();
    await section.getByText("Nobody is banned from Gardeners.").waitFor();

    // And mallory may come back with an invite.
    await as(mallory, "POST", "/api/community-invites/accept", { code: inviteCode }, 200);
  });

  it("opens mallory's menu on a right click in the members list, and her card as a sheet on a phone", async () => {
    await alicePage
      .getByRole("navigation", { name: "Gardeners settings" })
      .getByRole("link", { name: "Members" })
      .click();
    const row = alicePage.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: "mallory" });
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await row.click({ button: "right", position: { x: 4, y: 4 } });
    const menu = alicePage.getByRole("dialog", { name: "Actions for mallory" });
    await menu.getByRole("button", { name: "Ban mallory…" }).waitFor();
    await menu.getByRole("button", { name: "Profile" }).click();
    const aliceCard = profileCardOf(alicePage, "mallory");
    await aliceCard.waitFor();
    await alicePage.keyboard.press("Escape");
    await aliceCard.waitFor({ state: "detached" });

    const card = profileCardOf(carolPage, "mallory");
    await carolPage.setViewportSize(PHONE);
    await messageItem(carolPage, "cheap bulbs").getByRole("button", { name: "mallory", exact: true }).click();
    await card.waitFor();
    const box = (await card.boundingBox())!;
    expect(box.width).toBe(PHONE.width);
    expect(Math.round(box.y + box.height)).toBe(PHONE.height);
    expect(await seriousAxeFindings(carolPage, ".profile-card")).toEqual([]);
    await carolPage.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });
    expect(journey.problems).toEqual([]);
  });
});

const profileCardOf = (page: Page, name: string) => page.getByRole("dialog", { name, exact: true });

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel("Message #general");
  await composer.fill(text);
  await composer.press("Enter");
  await waitUntilDelivered(page, DELIVERY_TIMEOUT_MS);
}

async function as(person: Account, method: string, path: string, body: unknown, status: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: person.token });
  expect(response.status, response.text).toBe(status);
  return response.body;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await communityLink(page, "Gardeners").waitFor();
}

async function openGeneral(page: Page): Promise<void> {
  await communityLink(page, "Gardeners").click();
  await channelLink(page, "#general").click();
  await page.getByRole("heading", { name: "#general", exact: true }).waitFor();
  await waitUntilConnected(page);
}
