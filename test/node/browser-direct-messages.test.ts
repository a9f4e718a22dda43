/**
 * Direct messages and blocking in a real browser. alice, bob, carol, dave and mallory
 * are in Plotters. Bob starts a DM with alice from the "+" beside Direct messages.
 * Mallory writes to bob; bob blocks her from their conversation's menu: the DM turns
 * read-only for both, in words, on mallory's open page too. Bob unblocks her from
 * Settings > Privacy & safety and both can write again. Alice starts a group DM with
 * bob and carol, renames it "Zebra plotting" (bob's list shows it at once), adds dave,
 * who reads what alice says next (his devices were added to its encryption by alice's),
 * and carol leaves: the others see the group shrink. One journey, in order.
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
  communityLink,
  conversationLink,
  messageItem,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Changes reach an open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;
/** A first message sets up its conversation's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;
/** Signing in sets up the browser's encryption device: seconds on a busy machine. */
const SIGN_IN_TIMEOUT_MS = 30_000;
const DESKTOP = { width: 1280, height: 800 };

const NAMES = ["alice", "bob", "carol", "dave", "mallory"] as const;
const journey = browserJourney("browser_direct_messages", { ADMIN_USERNAME: "alice" });
let alice: Account;
let bob: Account;
let carol: Account;
let dave: Account;
let mallory: Account;
let alicePage: Page;
let bobPage: Page;
let carolPage: Page;
let davePage: Page;
let malloryPage: Page;
let malloryDm = "";

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [alice, bob, carol, dave, mallory] = await Promise.all(
    NAMES.map((name) => registerOn(journey.server, name, PASSWORD)),
  );
  const { community } = await as(alice, "POST", "/api/communities", { name: "Plotters" }, 201);
  const { code } = await as(alice, "POST", `/api/communities/${community.id}/invites`, {}, 201);
  for (const person of [bob, carol, dave, mallory]) {
    await as(person, "POST", "/api/community-invites/accept", { code }, 200);
  }
  [alicePage, bobPage, carolPage, davePage, malloryPage] = await Promise.all(NAMES.map(() => journey.openPage()));
  const pages = [alicePage, bobPage, carolPage, davePage, malloryPage];
  await Promise.all(pages.map((page) => page.setViewportSize(DESKTOP)));
  for (const [index, page] of pages.entries()) await signIn(page, NAMES[index]!);
}, 180_000);

describe("starting a conversation", () => {
  it("lets bob pick alice from the “+” beside Direct messages and opens their DM", async () => {
    await goHome(bobPage);
    await bobPage.getByRole("button", { name: "New message" }).click();
    const picker = bobPage.getByRole("dialog", { name: "New message" });
    await picker.getByLabel("Find people you share a community with").fill("ali");
    await picker.getByRole("checkbox", { name: "alice" }).check();
    await picker.getByRole("list", { name: "Chosen people" }).getByText("alice").waitFor();
    expect(await seriousAxeFindings(bobPage, ".direct-dialog")).toEqual([]);
    await bobPage.screenshot({ path: join(SCREENSHOTS, "new-conversation.png") });
    await picker.getByRole("button", { name: "Message alice" }).click();
    await picker.waitFor({ state: "detached" });
    await bobPage.getByRole("heading", { name: "@alice", exact: true }).waitFor();
    await conversationLink(bobPage, "alice").waitFor();
  });
});

describe("blocking", () => {
  it("shows mallory's message to bob in their DM", async () => {
    // Mallory's list hears of the new conversation, and its read is lost on the way: it says so, and reads again when told to.
    await malloryPage.route("**/api/dms", (route) => route.abort("connectionreset"), { times: 1 });
    await goHome(malloryPage);
    malloryDm = (await as(mallory, "POST", "/api/dms", { userIds: [bob.id] }, 201)).channel.id;
    const list = malloryPage.getByRole("navigation", { name: "Direct messages" });
    await list.getByRole("alert").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await conversationLink(malloryPage, "bob").count()).toBe(0);
    await list.getByRole("button", { name: "Try again" }).click();
    await openConversation(malloryPage, "bob");
    expect(await list.getByRole("alert").count()).toBe(0);
    await send(malloryPage, "@bob", "cheap bulbs, just for you");
    await openConversation(bobPage, "mallory");
    await messageItem(bobPage, "cheap bulbs").waitFor({ timeout: DELIVERY_TIMEOUT_MS });
  });

  it("lets bob block mallory from the conversation's menu: read-only for both, said in words", async () => {
    await conversationLink(bobPage, "mallory").click({ button: "right" });
    const menu = bobPage.getByRole("dialog", { name: "Options for mallory" });
    await menu.getByRole("button", { name: "Block mallory" }).click();
    const confirm = bobPage.getByRole("dialog", { name: "Block mallory?" });
    await confirm.getByText(/cannot reply/).waitFor();
    await confirm.getByRole("button", { name: "Block mallory" }).click();
    await bobPage.getByText("You blocked mallory. Unblock to send messages.").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await bobPage.getByLabel("Message @mallory").isDisabled()).toBe(true);
    // Mallory's open page shuts its composer without a reload, and says so.
    await malloryPage.getByText("You cannot reply to this conversation.").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await malloryPage.getByLabel("Message @bob").isDisabled()).toBe(true);
    // What the page would have tried anyway, the server refuses.
    const refused = await call(journey.server, "/api/dms", {
      body: { userIds: [bob.id] },
      token: mallory.token,
    });
    expect(refused.status).toBe(403);
  });

  it("lists mallory in bob's Settings > Privacy & safety, where he unblocks her; both can write again", async () => {
    await bobPage.getByRole("link", { name: "User settings" }).click();
    await bobPage
      .getByRole("navigation", { name: "Settings", exact: true })
      .getByRole("link", { name: "Privacy & safety" })
      .click();
    const list = bobPage.getByRole("list", { name: "Blocked people" });
    await list.getByRole("button", { name: "Unblock mallory" }).waitFor();
    expect(await seriousAxeFindings(bobPage, "main")).toEqual([]);
    await bobPage.screenshot({ path: join(SCREENSHOTS, "blocked-people.png") });
    await list.getByRole("button", { name: "Unblock mallory" }).click();
    await bobPage.getByText("You have not blocked anyone.").waitFor();
    await malloryPage
      .getByRole("textbox", { name: "Message @bob", disabled: false })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await send(malloryPage, "@bob", "sorry about the bulbs");
    await bobPage.goto(`${journey.server.url}/dms/${malloryDm}`);
    await messageItem(bobPage, "sorry about the bulbs").waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    await bobPage.getByRole("textbox", { name: "Message @mallory", disabled: false }).waitFor();
    await malloryPage.close();
  });
});

describe("a group DM", () => {
  it("is started by alice with bob and carol from the “+”", async () => {
    await Promise.all([goHome(alicePage), goHome(bobPage), goHome(carolPage), goHome(davePage)]);
    await alicePage.getByRole("button", { name: "New message" }).click();
    const picker = alicePage.getByRole("dialog", { name: "New message" });
    await picker.getByRole("checkbox", { name: "bob" }).check();
    await picker.getByRole("checkbox", { name: "carol" }).check();
    await picker.getByRole("button", { name: "Create group DM with 2 people" }).click();
    await alicePage.getByRole("heading", { name: "bob, carol", exact: true }).waitFor();
    await send(alicePage, "bob, carol", "welcome to the plot");
    await groupLink(bobPage, /^alice, carol/).waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("is renamed “Zebra plotting” by alice, and bob's list says so at once", async () => {
    await groupLink(alicePage, /^bob, carol/).click({ button: "right" });
    await alicePage
      .getByRole("dialog", { name: /^Options for bob, carol/ })
      .getByRole("button", { name: "Rename group" })
      .click();
    const rename = alicePage.getByRole("dialog", { name: "Rename bob, carol" });
    await rename.getByLabel("Group name").fill("Zebra plotting");
    await rename.getByRole("button", { name: "Save name" }).click();
    await rename.waitFor({ state: "detached" });
    await alicePage.getByRole("heading", { name: "Zebra plotting", exact: true }).waitFor();
    await groupLink(bobPage, /^Zebra plotting/).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bobPage.getByText("3 members").waitFor();
  });

  it("gets dave from alice, and dave reads what alice says after", async () => {
    await groupLink(alicePage, /^Zebra plotting/).click({ button: "right" });
    await alicePage
      .getByRole("dialog", { name: "Options for Zebra plotting" })
      .getByRole("button", { name: "Add people" })
      .click();
    const add = alicePage.getByRole("dialog", { name: "Add people to Zebra plotting" });
    // Those already in it are not offered.
    await add.getByRole("checkbox", { name: "dave" }).waitFor();
    expect(await add.getByRole("checkbox", { name: "bob" }).count()).toBe(0);
    await add.getByRole("checkbox", { name: "dave" }).check();
    await add.getByRole("button", { name: "Add dave" }).click();
    await add.waitFor({ state: "detached" });
    await groupLink(davePage, /^Zebra plotting/).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await groupLink(davePage, /^Zebra plotting/).click();
    await davePage.getByRole("heading", { name: "Zebra plotting", exact: true }).waitFor();
    await waitUntilConnected(davePage);
    await send(alicePage, "Zebra plotting", "the zebras move at dawn");
    await messageItem(davePage, "the zebras move at dawn").getByText("the zebras move at dawn").waitFor({
      timeout: DELIVERY_TIMEOUT_MS,
    });
    await alicePage.screenshot({ path: join(SCREENSHOTS, "group-dm.png") });
  });

  it("is left by carol, and the others see her gone", async () => {
    await bobPage.getByText("4 members").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await groupLink(carolPage, /^Zebra plotting/).click({ button: "right" });
    await carolPage
      .getByRole("dialog", { name: "Options for Zebra plotting" })
      .getByRole("button", { name: "Leave group" })
      .click();
    const leave = carolPage.getByRole("dialog", { name: "Leave Zebra plotting?" });
    await leave.getByText(/no longer see this conversation/).waitFor();
    await leave.getByRole("button", { name: "Leave group" }).click();
    await groupLink(carolPage, /^Zebra plotting/).waitFor({ state: "detached" });
    await bobPage.getByText("3 members").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await alicePage.getByText("3 members").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(journey.problems).toEqual([]);
  });
});

async function as(person: Account, method: string, path: string, body: unknown, status: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: person.token });
  expect(response.status, response.text).toBe(status);
  return response.body;
}

/** A group's row: its name, then how many members it has. */
const groupLink = (page: Page, name: RegExp) =>
  page.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name });

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await communityLink(page, "Plotters").waitFor({ timeout: SIGN_IN_TIMEOUT_MS });
}

/** The conversations: the rail's Direct messages button. */
async function goHome(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Direct messages" }).click();
  await page.getByRole("heading", { name: "Direct messages" }).waitFor();
}

async function openConversation(page: Page, name: string): Promise<void> {
  await conversationLink(page, name).click();
  await page.getByRole("heading", { name: `@${name}`, exact: true }).waitFor();
  await waitUntilConnected(page);
}

async function send(page: Page, title: string, text: string): Promise<void> {
  const composer = page.getByLabel(`Message ${title}`);
  await composer.fill(text);
  await composer.press("Enter");
  await waitUntilDelivered(page, DELIVERY_TIMEOUT_MS);
}
