/**
 * Running a community from its settings in a real browser: alice owns Zebra Club, bob
 * is a member, carol joins with an invite alice makes, mallory comes too late. Bob reads
 * the overview but cannot change it; alice renames the club and bob's open page follows;
 * alice makes a one-use invite that carol spends and mallory cannot, and revokes
 * another; bob makes a link with his own limits from the sidebar, then leaves from the
 * header menu; alice hands the club to carol and leaves; carol reads all of it in the
 * audit log, filtered and paged, and deletes the club by typing its name, which bob's
 * page (he came back) loses at once. One server, in order.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { seriousAxeFindings } from "../support/axe.ts";
import { browserJourney, communityLink } from "../support/browser-journey.ts";
import { elementsStickingOut, PHONE } from "../support/layout.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 860 };
/** A change reaches another open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;
/** Signing in checks the password with a deliberately slow hash, then loads the workspace. */
const SIGN_IN_TIMEOUT_MS = 30_000;
/** The audit log's page size (web/src/models/community-audit.ts). */
const AUDIT_PAGE = 50;

// alice is the instance admin: only admins create communities on a real installation.
const journey = browserJourney("browser_community_settings", { ADMIN_USERNAME: "alice" });
const accounts: Record<"alice" | "bob" | "carol" | "mallory", Account> = {} as never;
let alice: Page;
let bob: Page;
let carol: Page;
let zebraId = "";
let oneUseLink = "";

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const name of ["alice", "bob", "carol", "mallory"] as const) {
    accounts[name] = await registerOn(journey.server, name, PASSWORD);
  }
  zebraId = (await as("alice", "POST", "/api/communities", { name: "Zebra Club", description: "Stripes" }, 201))
    .community.id;
  const { code } = await as("alice", "POST", `/api/communities/${zebraId}/invites`, {}, 201);
  await as("bob", "POST", "/api/community-invites/accept", { code }, 200);
  [alice, bob, carol] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  await Promise.all([alice, bob, carol].map((page) => page.setViewportSize(DESKTOP)));
  // One at a time: a password check is slow on purpose, and three at once on a busy machine are slower still.
  await signIn(alice, "alice");
  await signIn(bob, "bob");
  await signIn(carol, "carol", false);
});

describe("a community's settings", () => {
  it("show bob, who may not manage Zebra Club, its overview read-only and no management sections", async () => {
    await communityLink(bob, "Zebra Club").click();
    await openSettingsFromMenu(bob, "Zebra Club");
    const menu = bob.getByRole("navigation", { name: "Zebra Club settings" });
    // @everyone may create invites, nothing more.
    expect(await menu.getByRole("link").allTextContents()).toEqual(["Overview", "Invites"]);
    await bob.getByRole("heading", { name: "Zebra Club", level: 2 }).waitFor();
    await bob.getByText("Only those who may manage the community can change its name").waitFor();
    expect(await bob.getByLabel("Community name").count()).toBe(0);
    await bob.getByRole("heading", { name: "Leave community" }).waitFor();
    expect(await bob.getByRole("heading", { name: "Delete community" }).count()).toBe(0);
    expect(await seriousAxeFindings(bob, ".settings-area")).toEqual([]);

    // A section opened by its address says why not, rather than showing a broken form.
    await bob.goto(`${journey.server.url}/communities/${zebraId}/settings/audit-log`);
    await bob.getByText("Only those who may manage the community can read its audit log.").waitFor();

    // On a phone the menu sits above the section and nothing sticks out.
    await bob.setViewportSize(PHONE);
    await menu.getByRole("link", { name: "Overview" }).click();
    await bob.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const menuBox = (await menu.boundingBox())!;
    const headingBox = (await bob.getByRole("heading", { name: "Overview", level: 1 }).boundingBox())!;
    expect(menuBox.y + menuBox.height).toBeLessThanOrEqual(headingBox.y);
    expect(await elementsStickingOut(bob)).toEqual([]);
    await bob.setViewportSize(DESKTOP);

    // Esc goes back to the community.
    await bob.keyboard.press("Escape");
    await communityMenuButton(bob, "Zebra Club").waitFor();
    expect(new URL(bob.url()).pathname).not.toContain("/settings/");
  });

  it("let alice rename Zebra Club, and bob sees the new name without reloading", async () => {
    await communityLink(alice, "Zebra Club").click();
    await openSettingsFromMenu(alice, "Zebra Club");
    // The heading takes focus: a screen reader hears the section's name.
    expect(await alice.evaluate(() => document.activeElement?.textContent)).toBe("Overview");
    const name = alice.getByLabel("Community name");
    await name.fill("   ");
    await alice.getByRole("button", { name: "Save changes" }).click();
    await alice.getByRole("alert").filter({ hasText: "A community needs a name." }).waitFor();
    await name.fill("Zebra Friends");
    await alice.getByLabel("Description").fill("Stripes, savannahs and the spring outing");
    await alice.getByRole("button", { name: "Save changes" }).click();
    await alice.getByText("Saved. Everyone in the community sees it now.").waitFor();
    await alice.getByRole("navigation", { name: "Zebra Friends settings" }).waitFor();

    await communityLink(bob, "Zebra Friends").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await communityMenuButton(bob, "Zebra Friends").waitFor({ timeout: LIVE_TIMEOUT_MS });

    expect(await seriousAxeFindings(alice, ".settings-area")).toEqual([]);
    await alice.screenshot({ path: join(SCREENSHOTS, "community-settings-overview.png") });
  });

  it("let alice make an invite for one use that lasts a day, which carol spends and mallory cannot", async () => {
    await alice
      .getByRole("navigation", { name: "Zebra Friends settings" })
      .getByRole("link", { name: "Invites" })
      .click();
    await alice.getByRole("heading", { name: "Invites", level: 1 }).waitFor();
    expect(await alice.getByLabel("Expire after").inputValue()).toBe(String(7 * 24 * 60));
    await alice.getByLabel("Expire after").selectOption({ label: "1 day" });
    await alice.getByLabel("Max number of uses").selectOption({ label: "1 use" });
    await alice.getByRole("button", { name: "Create invite link" }).click();
    const link = alice.getByLabel("New invite link");
    await link.waitFor();
    oneUseLink = await link.inputValue();
    expect(oneUseLink).toMatch(/\/join\/.+/);
    await alice.getByText(/^1 person can join with this link until /).waitFor();
    await alice.getByRole("button", { name: "Copy link" }).click();
    await alice
      .getByRole("status")
      .filter({ hasText: /Copied|did not allow copying/ })
      .waitFor();

    const invites = alice.getByRole("list", { name: "Active invites" });
    // bob's invite from the start, and this one.
    await expect.poll(() => invites.getByRole("listitem").count(), { timeout: LIVE_TIMEOUT_MS }).toBe(2);
    const oneUse = invites.getByRole("listitem").filter({ hasText: "Uses: 0 of 1" });
    await oneUse.getByText("alice").waitFor();
    expect(await oneUse.textContent()).toMatch(/Expires /);

    await carol.goto(oneUseLink);
    await communityMenuButton(carol, "Zebra Friends").waitFor();
    await communityLink(carol, "Zebra Friends").waitFor();

    const mallory = await journey.openPage();
    try {
      await signIn(mallory, "mallory", false);
      await mallory.goto(oneUseLink);
      await mallory
        .getByRole("alert")
        .filter({ hasText: "That invite is unknown, expired, revoked or used up." })
        .waitFor();
    } finally {
      await mallory.context().close();
    }
  });

  it("let alice revoke the other invite, once she confirms it", async () => {
    await alice.reload();
    const invites = alice.getByRole("list", { name: "Active invites" });
    // The one-use invite is spent: only the first is left.
    await expect.poll(() => invites.getByRole("listitem").count(), { timeout: LIVE_TIMEOUT_MS }).toBe(1);
    const other = invites.getByRole("listitem");
    await other.getByRole("button", { name: /^Revoke the invite by alice/ }).click();
    const confirmation = other.getByRole("group", { name: "Confirm revoking" });
    await confirmation.getByText(/Its link stops working for everyone at once/).waitFor();
    expect(await seriousAxeFindings(alice, ".settings-area")).toEqual([]);
    await alice.screenshot({ path: join(SCREENSHOTS, "community-settings-invites.png") });
    await confirmation.getByRole("button", { name: "Revoke invite" }).click();
    await alice.getByText("No invite links work right now.").waitFor();
    const { invites: listed } = await as("alice", "GET", `/api/communities/${zebraId}/invites`, undefined, 200);
    expect(listed.filter((invite: { revokedAt: string | null }) => invite.revokedAt)).toHaveLength(1);
  });

  it("let bob, who may invite people, choose a link's limits from the sidebar", async () => {
    await bob.getByRole("button", { name: "Invite people" }).click();
    const panel = bob.getByRole("dialog", { name: "Invite people" });
    const first = await panel.getByLabel("Invite link", { exact: true }).inputValue();
    await panel.getByText("Link settings").click();
    await panel.getByLabel("Expire after").selectOption({ label: "30 minutes" });
    await panel.getByLabel("Max number of uses").selectOption({ label: "5 uses" });
    await panel.getByRole("button", { name: "Generate a new link" }).click();
    await panel.getByText(/^5 people with this link can join until /).waitFor();
    expect(await panel.getByLabel("Invite link", { exact: true }).inputValue()).not.toBe(first);
    expect(await seriousAxeFindings(bob, ".popover-panel")).toEqual([]);
    await panel.screenshot({ path: join(SCREENSHOTS, "community-invite-panel.png") });
    await panel.getByRole("button", { name: "Done" }).click();
  });

  it("let bob leave Zebra Friends from its header menu, after saying so", async () => {
    await communityMenuButton(bob, "Zebra Friends").click();
    const menu = bob.getByRole("dialog", { name: "Zebra Friends" });
    // Bob may invite but not manage channels; he is not the owner, so he may leave.
    const items = await menu.locator(".menu-item").allTextContents();
    expect(items.slice(0, 3)).toEqual(["Community overview", "Community settings", "Invite people"]);
    expect(items.at(-1)).toBe("Leave community");
    expect(await menu.getByRole("button", { name: "Create channel" }).count()).toBe(0);
    await bob.getByRole("button", { name: "Leave community" }).click();
    await bob.getByText("Leave Zebra Friends? You will need a new invite to come back.").waitFor();
    await bob.getByRole("button", { name: "Leave Zebra Friends" }).click();
    await communityLink(bob, "Zebra Friends").waitFor({ state: "detached" });
    await expect.poll(() => new URL(bob.url()).pathname, { timeout: LIVE_TIMEOUT_MS }).toBe("/");
    // He comes back, so that the club's deletion has someone to reach.
    const { code } = await as("alice", "POST", `/api/communities/${zebraId}/invites`, { maxUses: 1 }, 201);
    await bob.goto(`${journey.server.url}/join/${code}`);
    await communityLink(bob, "Zebra Friends").waitFor();
  });

  it("let alice hand Zebra Friends to carol, and then leave it", async () => {
    await alice
      .getByRole("navigation", { name: "Zebra Friends settings" })
      .getByRole("link", { name: "Overview" })
      .click();
    // The owner cannot leave: she is offered the transfer and the deletion instead.
    expect(await alice.getByRole("heading", { name: "Leave community" }).count()).toBe(0);
    await alice.getByLabel("New owner").selectOption({ label: "carol" });
    await alice.getByRole("button", { name: "Transfer ownership" }).click();
    await alice.getByText("Make carol the owner of Zebra Friends? You cannot take it back yourself.").waitFor();
    await alice.getByRole("button", { name: "Transfer to carol" }).click();

    await alice.getByRole("heading", { name: "Leave community" }).waitFor();
    expect(await alice.getByRole("heading", { name: "Transfer ownership" }).count()).toBe(0);
    await alice.getByRole("button", { name: "Leave community" }).click();
    await alice.getByRole("button", { name: "Leave Zebra Friends" }).click();
    await communityLink(alice, "Zebra Friends").waitFor({ state: "detached" });
  });

  it("show carol, the new owner, every one of those in the audit log, filtered by action and by person", async () => {
    await communityLink(carol, "Zebra Friends").click();
    await openSettingsFromMenu(carol, "Zebra Friends");
    const menu = carol.getByRole("navigation", { name: "Zebra Friends settings" });
    expect(await menu.getByRole("link").allTextContents()).toEqual([
      "Overview",
      "Roles",
      "Members",
      "Invites",
      "Bans",
      "Audit log",
    ]);
    await menu.getByRole("link", { name: "Audit log" }).click();
    const entries = carol.getByRole("list", { name: "Audit log entries, newest first" });
    const words = () => entries.getByRole("listitem").locator(".audit-words").allTextContents();
    await expect.poll(words, { timeout: LIVE_TIMEOUT_MS }).toEqual([
      "alice left the community",
      "alice made carol the owner of the community",
      "alice created an invite for 1 use, never expiring", // bob's way back in
      "bob left the community",
      expect.stringMatching(/^bob created an invite for 5 uses, expiring .+/),
      expect.stringMatching(/^bob created an invite with no limit of uses, expiring .+/),
      "alice revoked an invite",
      expect.stringMatching(/^alice created an invite for 1 use, expiring .+/),
      "alice renamed the community from Zebra Club to Zebra Friends and changed its description",
      "alice created an invite with no limit of uses, never expiring",
    ]);

    await carol.getByLabel("Action").selectOption({ label: "Leave community" });
    await expect
      .poll(words, { timeout: LIVE_TIMEOUT_MS })
      .toEqual(["alice left the community", "bob left the community"]);
    await carol.getByLabel("By").selectOption({ label: "bob" });
    await expect.poll(words, { timeout: LIVE_TIMEOUT_MS }).toEqual(["bob left the community"]);
    await carol.getByLabel("Action").selectOption({ label: "All actions" });
    await carol.getByLabel("By").selectOption({ label: "Everyone" });
    await expect.poll(() => entries.getByRole("listitem").count(), { timeout: LIVE_TIMEOUT_MS }).toBe(10);
    expect(await seriousAxeFindings(carol, ".settings-area")).toEqual([]);
    await carol.screenshot({ path: join(SCREENSHOTS, "community-settings-audit-log.png") });
  });

  it("page carol's audit log: older entries come on request", async () => {
    for (let index = 0; index < AUDIT_PAGE; index++) {
      await as("carol", "POST", `/api/communities/${zebraId}/invites`, { expiresInMinutes: 30 }, 201);
    }
    await carol.reload();
    const entries = carol.getByRole("list", { name: "Audit log entries, newest first" });
    await expect.poll(() => entries.getByRole("listitem").count(), { timeout: LIVE_TIMEOUT_MS }).toBe(AUDIT_PAGE);
    expect(await entries.getByText(/^alice renamed the community/).count()).toBe(0);
    await carol.getByRole("button", { name: "Load older entries" }).click();
    await entries.getByText(/^alice renamed the community/).waitFor();
    expect(await entries.getByRole("listitem").count()).toBe(AUDIT_PAGE + 10);
    await carol.getByRole("button", { name: "Load older entries" }).waitFor({ state: "detached" });
  });

  it("let carol delete Zebra Friends by typing its name, and bob's page loses it", async () => {
    await carol
      .getByRole("navigation", { name: "Zebra Friends settings" })
      .getByRole("link", { name: "Overview" })
      .click();
    await carol.getByLabel("Type Zebra Friends to confirm").fill("Zebra");
    await carol.getByRole("button", { name: "Delete Zebra Friends" }).click();
    await carol
      .getByRole("alert")
      .filter({ hasText: "Type the community's name, Zebra Friends, to delete it." })
      .waitFor();
    expect((await as("bob", "GET", `/api/communities/${zebraId}`, undefined, 200)).community.name).toBe(
      "Zebra Friends",
    );

    await carol.getByLabel("Type Zebra Friends to confirm").fill("Zebra Friends");
    await carol.getByRole("button", { name: "Delete Zebra Friends" }).click();
    await communityLink(carol, "Zebra Friends").waitFor({ state: "detached" });
    await expect.poll(() => new URL(carol.url()).pathname, { timeout: LIVE_TIMEOUT_MS }).toBe("/");
    await communityLink(bob, "Zebra Friends").waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
    expect(journey.problems).toEqual([]);
  });
});

async function as(
  person: keyof typeof accounts,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: accounts[person].token });
  expect(response.status, response.text).toBe(status);
  return response.body;
}

async function signIn(page: Page, username: string, isMember = true): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  if (isMember) await communityLink(page, "Zebra Club").waitFor({ timeout: SIGN_IN_TIMEOUT_MS });
  else await page.getByRole("navigation", { name: "Communities" }).waitFor({ timeout: SIGN_IN_TIMEOUT_MS });
}

/** The button at the top of the sidebar, named after the community, that opens its menu. */
const communityMenuButton = (page: Page, name: string) =>
  page.locator("#community-heading").getByRole("button", { name, exact: true });

/** The sidebar's header menu, then "Community settings". */
async function openSettingsFromMenu(page: Page, name: string): Promise<void> {
  await communityMenuButton(page, name).click();
  await page.getByRole("dialog", { name }).getByRole("link", { name: "Community settings" }).click();
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}
