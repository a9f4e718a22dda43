/**
 * Running a community's channels from the web app, in a real browser: alice owns Zoo,
 * bob is a member with no say over its channels. Alice creates a private #staff with a
 * topic that bob never sees; she sets #general's topic and a 10 s slow mode from its
 * settings and bob must wait between messages; she reorders channels by drag and by
 * keyboard and bob's open page follows without reloading; she creates a category, moves
 * a channel into it and deletes it; she archives #ideas and bob can only read it, then
 * deletes it. Bob is offered no gear, and the settings address tells him he may not.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createCommunityWith, registerOn, type Account } from "../support/accounts.ts";
import { seriousAxeFindings } from "../support/axe.ts";
import { browserJourney, channelLink, openGeneral, signInToGeneral } from "../support/browser-journey.ts";
import { elementsStickingOut, PHONE } from "../support/layout.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 800 };
/** Changes reach another open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;

const journey = browserJourney("browser_channel_settings", { ADMIN_USERNAME: "alice" });
let aliceAccount: Account;
let alice: Page;
let bob: Page;
let zooId = "";

const channels = (page: Page) => page.getByRole("navigation", { name: "Channels" });
/** The channel names in the sidebar, top to bottom. */
const order = (page: Page) =>
  channels(page)
    .getByRole("link")
    .evaluateAll((links) =>
      links.flatMap((link) => link.querySelector(".link-name")?.textContent?.replace(/^#|archived$/g, "") ?? []),
    );
const waitForOrder = async (page: Page, expected: string[]) => {
  await expect.poll(() => order(page), { timeout: LIVE_TIMEOUT_MS }).toEqual(expected);
};

async function generalId(): Promise<string> {
  const layout = await call(journey.server, `/api/communities/${zooId}/channels`, { token: aliceAccount.token });
  return layout.body.channels.find((channel: { name: string }) => channel.name === "general").id;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  await createCommunityWith(journey.server, aliceAccount, "Zoo", [bobAccount]);
  const communities = await call(journey.server, "/api/communities", { token: aliceAccount.token });
  zooId = communities.body.communities[0].id;
  for (const name of ["random", "ideas"]) {
    const created = await call(journey.server, `/api/communities/${zooId}/channels`, {
      token: aliceAccount.token,
      body: { name },
    });
    expect(created.status).toBe(201);
  }
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([alice.setViewportSize(DESKTOP), bob.setViewportSize(DESKTOP)]);
  await Promise.all([
    signInToGeneral(alice, journey.server.url, "alice", PASSWORD),
    signInToGeneral(bob, journey.server.url, "bob", PASSWORD),
  ]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

describe("alice runs Zoo's channels", () => {
  it("creates a private #staff with a topic, which bob never sees", async () => {
    await alice.getByRole("button", { name: "Create a channel" }).click();
    const form = alice.getByRole("dialog", { name: "Create a channel" });
    await form.getByLabel("Channel name").fill("Staff Room");
    expect(await form.getByLabel("Channel name").inputValue()).toBe("staff-room");
    await form.getByLabel("Channel name").fill("staff");
    await form.getByLabel("Topic (optional)").fill("Rotas and keeper notes");
    await form.getByLabel("Private channel").check();
    await alice.screenshot({ path: join(SCREENSHOTS, "create-channel.png") });
    expect(await seriousAxeFindings(alice, ".channel-nav")).toEqual([]);
    await form.getByRole("button", { name: "Create channel" }).click();
    await alice.getByRole("heading", { name: "#staff", exact: true }).waitFor();
    await alice.getByText("Rotas and keeper notes").first().waitFor();

    // A public channel made after it reaches bob's open page: by then #staff would have too.
    await call(journey.server, `/api/communities/${zooId}/channels`, {
      token: aliceAccount.token,
      body: { name: "lounge" },
    });
    await channelLink(bob, "#lounge").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await channelLink(bob, "#staff").count()).toBe(0);
    const bobsView = await bob.evaluate(() => document.body.innerText);
    expect(bobsView).not.toContain("staff");
  });

  it("sets #general's topic and a 10 s slow mode from its settings, and bob must wait between messages", async () => {
    await channelLink(alice, "#general").hover();
    await alice.getByRole("link", { name: "Edit channel #general" }).click();
    await alice.getByRole("heading", { name: "Overview" }).waitFor();
    expect(new URL(alice.url()).pathname).toMatch(/\/channels\/[^/]+\/settings\/overview$/);
    await alice.getByRole("navigation", { name: "Channel settings" }).getByText("#general").waitFor();
    await alice.getByLabel("Topic").fill("Feeding times and everything else");
    await alice.getByLabel("Slow mode").selectOption({ label: "10 seconds" });
    await alice.getByRole("button", { name: "Save changes" }).click();
    await alice.getByText("Saved.").waitFor();
    await alice.locator(".settings-content").evaluate((element) => element.scrollTo(0, 0));
    await alice.screenshot({ path: join(SCREENSHOTS, "channel-settings.png") });
    expect(await seriousAxeFindings(alice, ".settings-area")).toEqual([]);
    await alice.keyboard.press("Escape");
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();

    await bob.getByText("Slow mode: one message every 10 seconds.").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByText("Feeding times and everything else").first().waitFor({ timeout: LIVE_TIMEOUT_MS });
    const composer = bob.getByLabel("Message #general");
    await composer.fill("first");
    await composer.press("Enter");
    await bob.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
    await bob.getByText(/^Slow mode: wait (10|9|8|7|6|5) s before your next message\.$/).waitFor();
    await composer.fill("too soon");
    await composer.press("Enter");
    await bob
      .getByRole("log")
      .getByText(/Slow mode is on in this channel: wait \d+ s before sending again/)
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("reorders channels by drag and by keyboard, and bob's open page follows without reloading", async () => {
    await waitForOrder(alice, ["general", "random", "ideas", "staff", "lounge"]);
    await waitForOrder(bob, ["general", "random", "ideas", "lounge"]);

    await channelLink(alice, "#ideas").dragTo(channelLink(alice, "#general"), { targetPosition: { x: 20, y: 2 } });
    await waitForOrder(alice, ["ideas", "general", "random", "staff", "lounge"]);
    await waitForOrder(bob, ["ideas", "general", "random", "lounge"]);

    // Reached by keyboard (Tab from the channel above), as someone moving it would.
    await channelLink(alice, "#general").focus();
    await alice.keyboard.press("Tab");
    await alice.keyboard.press("Tab");
    await alice.keyboard.press("Tab");
    expect(await alice.evaluate(() => document.activeElement?.textContent)).toBe("#random");
    await alice.keyboard.press("Alt+Shift+ArrowUp");
    await waitForOrder(alice, ["ideas", "random", "general", "staff", "lounge"]);
    await channels(alice)
      .getByRole("status")
      .getByText("#random moved: position 2 of 5 outside any category.")
      .waitFor();
    expect(await alice.evaluate(() => document.activeElement?.textContent)).toContain("random");
    await waitForOrder(bob, ["ideas", "random", "general", "lounge"]);

    await channelLink(alice, "#lounge").hover();
    await alice.getByRole("button", { name: "Options for #lounge" }).click();
    expect(await seriousAxeFindings(alice, ".channel-nav")).toEqual([]);
    await alice.screenshot({
      path: join(SCREENSHOTS, "channel-menu.png"),
      clip: { x: 0, y: 0, width: 640, height: 520 },
    });
    await alice.getByRole("button", { name: "Move up" }).click();
    await waitForOrder(alice, ["ideas", "random", "general", "lounge", "staff"]);
  });

  it("creates a category, moves #random into it by drag, renames it and deletes it, leaving #random uncategorised", async () => {
    await alice.getByRole("button", { name: "Create a category" }).click();
    await alice.getByLabel("Category name").fill("Projects");
    await alice.getByRole("button", { name: "Create category" }).click();
    const projects = alice.locator(".category-header").filter({ hasText: "Projects" });
    await projects.waitFor();

    await channelLink(alice, "#random").dragTo(projects);
    await bob
      .getByRole("group", { name: "Projects" })
      .getByRole("link", { name: "#random" })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });

    await projects.click({ button: "right" });
    await alice.getByRole("button", { name: "Rename category" }).click();
    await alice.getByLabel("Category name").fill("Enclosures");
    await alice.getByRole("button", { name: "Save name" }).click();
    await bob.getByRole("group", { name: "Enclosures" }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    await alice.locator(".category-header").filter({ hasText: "Enclosures" }).hover();
    await alice.getByRole("button", { name: "Options for the category Enclosures" }).click();
    await alice.getByRole("button", { name: "Delete category" }).click();
    await alice.getByText("Delete the category “Enclosures”? Its channels stay, under no category.").waitFor();
    await alice.getByRole("button", { name: "Delete category" }).click();
    await bob.getByRole("group", { name: "Enclosures" }).waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
    await channelLink(bob, "#random").waitFor();
  });

  it("archives #ideas from its menu's Edit channel, and bob can only read it; then deletes it after naming it", async () => {
    await channelLink(alice, "#ideas").click({ button: "right" });
    await alice.getByRole("dialog", { name: "Options for #ideas" }).getByRole("link", { name: "Edit channel" }).click();
    await alice.getByLabel("Archived").check();
    await alice.getByRole("button", { name: "Save changes" }).click();
    await alice.getByText("Saved.").waitFor();

    // Bob's sidebar marks it as it happens; its link's name then carries the tag.
    const bobsIdeas = channels(bob).getByRole("link", { name: /^#ideas ?archived$/ });
    await bobsIdeas.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bobsIdeas.click();
    await bob
      .getByText("This channel is archived: it can be read but not written in.")
      .waitFor({ timeout: LIVE_TIMEOUT_MS });

    await alice.getByRole("button", { name: "Delete channel" }).click();
    await alice.getByText("Delete #ideas? Its messages and files are removed for everyone").waitFor();
    await alice.getByRole("button", { name: "Delete #ideas" }).click();
    await channels(alice)
      .getByRole("link", { name: /^#ideas/ })
      .waitFor({ state: "detached" });
    await bobsIdeas.waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
  });
});

describe("on a phone", () => {
  it("shows alice #general's settings one column wide, the menu above the section, nothing sticking out", async () => {
    await alice.setViewportSize(PHONE);
    await alice.goto(`${journey.server.url}/communities/${zooId}/channels/${await generalId()}/settings/overview`);
    await alice.getByLabel("Slow mode").waitFor();
    expect(await elementsStickingOut(alice)).toEqual([]);
    await alice.screenshot({ path: join(SCREENSHOTS, "channel-settings-phone.png") });
    await alice.keyboard.press("Escape");
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();
    await alice.setViewportSize(DESKTOP);
  });
});

describe("bob, who may not manage channels", () => {
  it("is offered no gear nor Edit channel, and the settings address tells him he may not", async () => {
    await channelLink(bob, "#general").hover();
    await bob.getByRole("button", { name: "Options for #general" }).waitFor();
    expect(await bob.getByRole("link", { name: "Edit channel #general" }).count()).toBe(0);
    await bob.getByRole("button", { name: "Options for #general" }).click();
    expect(await bob.getByRole("link", { name: "Edit channel" }).count()).toBe(0);
    await bob.keyboard.press("Escape");
    expect(await bob.getByRole("button", { name: "Create a category" }).count()).toBe(0);

    await bob.goto(`${journey.server.url}/communities/${zooId}/channels/${await generalId()}/settings/overview`);
    await bob
      .getByText("You may not change the settings of #general: that needs the Manage Channels permission.")
      .waitFor();
    expect(await bob.getByLabel("Channel name").count()).toBe(0);
    expect(journey.problems).toEqual([]);
  });
});
