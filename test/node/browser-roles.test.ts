/**
 * Roles, role colours and channel permissions in a real browser, against one server:
 * alice owns the Guild; carol manages roles through Helpers; bob is a member. alice
 * creates a green, hoisted "Moderators" role that may kick and time out, moves it to the
 * top from the keyboard (it stays there after a reload) and gives it to carol from the
 * members section; bob's member list shows carol under "Moderators — 1" in green without
 * reloading. carol is not offered editing Moderators, and forcing it shows the server's
 * refusal in words. alice makes #staff private in its overrides editor: bob's open page
 * loses #staff at once, carol keeps it, and "view as role" @everyone shows it hidden.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { seriousAxeFindings } from "../support/axe.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, channelLink, memberList, signInToGeneral } from "../support/browser-journey.ts";
import { elementsStickingOut, PHONE } from "../support/layout.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 800 };
/** Live changes travel through the account socket: allow for a busy machine. */
const LIVE_TIMEOUT_MS = 15_000;

const journey = browserJourney("browser_roles", { ADMIN_USERNAME: "alice" });
let aliceAccount: Account, bobAccount: Account, carolAccount: Account;
let alice: Page, bob: Page, carol: Page;
let communityId = "";
let staffId = "";

async function api<T = any>(account: Account, path: string, body?: unknown, method?: string): Promise<T> {
  const response = await call<T>(journey.server, path, { token: account.token, body, method });
  if (response.status >= 300) throw new Error(`${method ?? "POST"} ${path}: ${response.status} ${response.text}`);
  return response.body;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  carolAccount = await registerOn(journey.server, "carol", PASSWORD);
  communityId = (await api(aliceAccount, "/api/communities", { name: "Guild" })).community.id;
  const { code } = await api(aliceAccount, `/api/communities/${communityId}/invites`, {});
  for (const member of [bobAccount, carolAccount]) await api(member, "/api/community-invites/accept", { code });
  staffId = (await api(aliceAccount, `/api/communities/${communityId}/channels`, { name: "staff" })).channel.id;
  const helpers = await api(aliceAccount, `/api/communities/${communityId}/roles`, {
    name: "Helpers",
    permissions: ["MANAGE_ROLES"],
  });
  await api(aliceAccount, `/api/communities/${communityId}/roles`, { name: "Artists", permissions: [] });
  await api(
    aliceAccount,
    `/api/communities/${communityId}/members/${carolAccount.id}/roles/${helpers.role.id}`,
    undefined,
    "PUT",
  );
  [alice, bob, carol] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  await Promise.all([alice, bob, carol].map((page) => page.setViewportSize(DESKTOP)));
  await signInToGeneral(alice, journey.server.url, "alice", PASSWORD);
  await signInToGeneral(bob, journey.server.url, "bob", PASSWORD);
  await signInToGeneral(carol, journey.server.url, "carol", PASSWORD);
  await channelLink(bob, "#general").click();
  await waitUntilConnected(bob);
});

/** The settings scroll inside their pane: a tall window shows a whole section. */
async function tallScreenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: DESKTOP.width, height: 1500 });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
  await page.setViewportSize(DESKTOP);
}

async function expectFitsAPhone(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  expect(await elementsStickingOut(page)).toEqual([]);
  await page.setViewportSize(DESKTOP);
}

const settingsUrl = (section: string) => `${journey.server.url}/communities/${communityId}/settings/${section}`;
const rolesList = (page: Page) => page.getByRole("list", { name: "Roles, most senior first" });
const roleNames = (page: Page) =>
  page
    .getByRole("list", { name: "Roles, most senior first" })
    .locator(".role-open")
    .evaluateAll((buttons) => buttons.map((button) => button.textContent ?? ""));

describe("roles and their colours", () => {
  it("lets alice create a green, hoisted Moderators role that may kick and time out", async () => {
    await alice.goto(settingsUrl("roles"));
    await alice.getByRole("heading", { name: "Roles", level: 1 }).waitFor();
    await alice.getByRole("button", { name: "Create role" }).click();
    const editor = alice.getByRole("region", { name: /^Edit role/ });
    await editor.getByLabel("Role name").fill("Moderators");
    await editor.getByRole("radio", { name: "Green", exact: true }).check();
    await editor.getByRole("switch", { name: "Display members separately from online members" }).check();
    await editor.getByRole("switch", { name: "Kick members" }).check();
    await editor.getByRole("switch", { name: "Time out members" }).check();
    // Each permission says what it allows.
    await editor.getByText("Remove members below one's own highest role; they may rejoin with an invite.").waitFor();
    await editor.getByRole("button", { name: "Save changes" }).click();
    await alice.getByRole("heading", { name: "Edit role — Moderators" }).waitFor();
    await expect.poll(() => roleNames(alice)).toEqual(["Helpers", "Artists", "Moderators", "@everyone"]);
    const [row] = await journey.query<{ color: number; hoist: boolean; permissions: number }>(
      "select color, hoist, permissions from roles where name = 'Moderators'",
    );
    expect(row).toEqual({ color: 0x2ecc71, hoist: true, permissions: (1 << 10) | (1 << 12) });
    expect(await seriousAxeFindings(alice, "main")).toEqual([]);
  });

  it("moves Moderators to the top with Alt+↑, and the order stays after a reload", async () => {
    const moderators = rolesList(alice).getByRole("button", { name: "Moderators", exact: true });
    await moderators.focus();
    await alice.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => roleNames(alice)).toEqual(["Helpers", "Moderators", "Artists", "@everyone"]);
    await alice.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => roleNames(alice)).toEqual(["Moderators", "Helpers", "Artists", "@everyone"]);
    await alice.reload();
    await rolesList(alice).getByRole("button", { name: "@everyone", exact: true }).waitFor();
    await expect.poll(() => roleNames(alice)).toEqual(["Moderators", "Helpers", "Artists", "@everyone"]);
    await rolesList(alice).getByRole("button", { name: "Moderators", exact: true }).click();
    await alice.getByRole("heading", { name: "Edit role — Moderators" }).waitFor();
    await tallScreenshot(alice, "community-roles.png");
    await expectFitsAPhone(alice);
  });

  it("lets alice give carol Moderators from the members section, found by name", async () => {
    await alice.getByRole("navigation", { name: "Guild settings" }).getByRole("link", { name: "Members" }).click();
    await alice.getByLabel("Search members by name").fill("car");
    const members = alice.getByRole("list", { name: "Members" });
    await expect
      .poll(() =>
        members
          .getByRole("listitem")
          .filter({ has: alice.locator(".members-row-who") })
          .count(),
      )
      .toBe(1);
    await members.getByLabel("Role to give carol").selectOption({ label: "Moderators" });
    await members.getByRole("button", { name: "Add role to carol" }).click();
    await alice.getByRole("list", { name: "Roles of carol" }).getByText("Moderators").waitFor();
    await members.getByRole("button", { name: "Actions for carol" }).waitFor();
    expect(await seriousAxeFindings(alice, "main")).toEqual([]);
    await expectFitsAPhone(alice);
  });

  it("shows bob carol under Moderators — 1, in green, without reloading", async () => {
    const group = memberList(bob).getByRole("list", { name: "Moderators — 1" });
    await group.getByRole("button", { name: "carol", exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const colour = await group
      .getByRole("button", { name: "carol", exact: true })
      .evaluate((element) => getComputedStyle(element).color.match(/\d+/g)!.map(Number));
    const [red, green, blue] = colour as [number, number, number];
    expect(green).toBeGreaterThan(red + 40);
    expect(green).toBeGreaterThan(blue + 20);
    await memberList(bob)
      .getByRole("list", { name: /^Online — / })
      .getByRole("button", { name: "alice", exact: true })
      .waitFor();
    expect(await seriousAxeFindings(bob, ".member-panel")).toEqual([]);
    await memberList(bob).screenshot({ path: join(SCREENSHOTS, "member-list-roles.png") });
  });

  it("does not offer carol editing Moderators, above her Helpers role, and shows the refusal when forced", async () => {
    await carol.goto(settingsUrl("roles"));
    const row = rolesList(carol).getByRole("listitem").first();
    await row.getByText("above you").waitFor();
    expect(await row.getByRole("button", { name: /^Move Moderators/ }).count()).toBe(0);
    await rolesList(carol).getByRole("button", { name: "Moderators", exact: true }).click();
    const editor = carol.getByRole("region", { name: "Edit role — Moderators" });
    await editor.getByText("This role is at or above your highest role: you can see it, not change it.").waitFor();
    expect(await editor.getByLabel("Role name").isDisabled()).toBe(true);
    expect(await editor.getByRole("button", { name: "Delete role" }).count()).toBe(0);
    // Forced: the form is switched back on in the page, and the request goes out.
    await editor.locator("fieldset.role-fields").evaluate((fieldset) => fieldset.removeAttribute("disabled"));
    await editor.getByLabel("Role name").fill("Mods");
    await editor.getByRole("button", { name: "Save changes" }).click();
    await editor.getByRole("alert").filter({ hasText: "You can only manage roles below your highest role." }).waitFor();
    const [row2] = await journey.query<{ name: string }>("select name from roles where name in ('Moderators', 'Mods')");
    expect(row2?.name).toBe("Moderators");
  });
});

describe("channel permissions", () => {
  const permissionsUrl = () =>
    `${journey.server.url}/communities/${communityId}/channels/${staffId}/settings/permissions`;

  it("lets alice make #staff private for all but Moderators: bob's open page loses it, carol keeps it", async () => {
    await channelLink(bob, "#staff").waitFor();
    await carol.goto(`${journey.server.url}/communities/${communityId}/channels/${staffId}`);
    await carol.getByRole("heading", { name: "#staff", exact: true }).waitFor();
    await alice.goto(permissionsUrl());
    const editor = alice.getByRole("region", { name: "Who may do what in #staff" });
    await editor.getByLabel("Add a role or member").selectOption({ label: "@everyone" });
    await editor.getByRole("button", { name: "Add", exact: true }).click();
    await editor.getByRole("radiogroup", { name: "View channels" }).getByRole("radio", { name: "Deny" }).check();
    await editor.getByLabel("Add a role or member").selectOption({ label: "Moderators" });
    await editor.getByRole("button", { name: "Add", exact: true }).click();
    await editor.getByRole("radiogroup", { name: "View channels" }).getByRole("radio", { name: "Allow" }).check();
    await editor.getByRole("button", { name: "Save changes" }).click();
    await editor.getByText("You have unsaved changes.").waitFor({ state: "detached" });

    await channelLink(bob, "#staff").waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
    await channelLink(carol, "#staff").waitFor();
    const saved = await journey.query<{ role: string; allow: number; deny: number }>(
      "select r.name as role, o.allow, o.deny from channel_overrides o join roles r on r.id = o.role_id where o.channel_id = $1 order by r.name",
      [staffId],
    );
    expect(saved).toEqual([
      { role: "@everyone", allow: 0, deny: 1 },
      { role: "Moderators", allow: 1, deny: 0 },
    ]);
  });

  it("shows #staff hidden when viewing as @everyone, visible as Moderators", async () => {
    const preview = alice.getByRole("region", { name: "View as role" });
    await preview.getByLabel("Role").selectOption({ label: "@everyone" });
    await preview.getByText("#staff — hidden").waitFor();
    await preview.getByText("#general — visible").waitFor();
    await preview.getByLabel("Role").selectOption({ label: "Moderators" });
    await preview.getByText("#staff — visible").waitFor();
    const actions = preview.getByRole("list", { name: "What Moderators may do in #staff" });
    await actions.getByText("View channels: allowed").waitFor();
    await alice
      .getByRole("region", { name: "Who may do what in #staff" })
      .getByRole("button", { name: "@everyone" })
      .click();
    expect(await seriousAxeFindings(alice, "main")).toEqual([]);
    await tallScreenshot(alice, "channel-permissions.png");
    await expectFitsAPhone(alice);
  });

  it("met no page error or CSP violation on the way", () => {
    expect(journey.problems).toEqual([]);
  });
});
