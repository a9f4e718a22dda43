/**
 * The shell around the chat, as Discord's, in a real browser: alice, in no community
 * yet, sees the rail of communities, her user panel and the first steps; she creates
 * Zebra Club, lands in its #general with a welcome and an invite prompt, names a
 * channel "Zebra Plans" and reads `zebra-plans` as she types, reads the channel's
 * header on one line and hides the member list; bob's invite page names the
 * community before he is in it; the app reopens the last channel; a phone shows one
 * pane at a time; a page opened at another address says which address to open.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, channelLink, communityLink, memberList } from "../support/browser-journey.ts";
import { elementsStickingOut, PHONE } from "../support/layout.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 760 };
const TOPIC = "Plans for the zebra enclosure, the spring outing and everything else we keep meaning to talk about";

const journey = browserJourney("browser_shell", { ADMIN_USERNAME: "alice" });
let aliceAccount: Account;
let alice: Page;
let bob: Page;
let inviteCode = "";

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  await registerOn(journey.server, "bob", PASSWORD);
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await alice.setViewportSize(DESKTOP);
});

async function signIn(page: Page, username: string, url = journey.server.url): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

const accountPanel = (page: Page) => page.getByRole("region", { name: "Your account" });

describe("the shell", () => {
  it("shows alice, in no community yet, the rail, her user panel and the first steps", async () => {
    await signIn(alice, "alice");
    await alice.getByRole("heading", { name: "Welcome to Chatalot" }).waitFor();
    const rail = alice.getByRole("navigation", { name: "Communities" });
    expect(await rail.getByRole("link", { name: "Direct messages" }).getAttribute("aria-current")).toBe("page");
    await rail.getByRole("button", { name: "Create a community" }).waitFor();
    await rail.getByRole("button", { name: "Join with an invite" }).waitFor();

    const panel = accountPanel(alice);
    await panel.getByText("alice", { exact: true }).waitFor();
    expect(await panel.getByLabel("Your status").inputValue()).toBe("online");
    expect(await panel.getByRole("link", { name: "User settings" }).getAttribute("href")).toBe("/settings/profile");
    await panel.getByRole("button", { name: "Account menu" }).click();
    const menu = alice.getByRole("dialog", { name: "Account menu" });
    expect(await menu.getByRole("link", { name: "Admin" }).getAttribute("href")).toBe("/admin");
    await menu.getByRole("link", { name: "Security" }).waitFor();
    await menu.getByRole("button", { name: "Sign out" }).waitFor();
    await alice.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await alice.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Account menu");
  });

  it("opens alice's new community at its #general, with a welcome and an invite prompt", async () => {
    await alice.getByLabel("Community name").fill("Zebra Club");
    await alice.getByRole("button", { name: "Create community" }).click();
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();
    await alice.getByRole("heading", { name: "Welcome to Zebra Club — invite people to start" }).waitFor();
    expect(await communityLink(alice, "Zebra Club").getAttribute("aria-current")).toBe("page");
    await alice.getByRole("heading", { name: "Zebra Club", level: 2, exact: true }).waitFor();

    await alice.getByRole("button", { name: "Get an invite link" }).click();
    const link = alice.getByLabel("Invite link", { exact: true });
    await expect.poll(() => link.inputValue()).toMatch(/\/join\/[A-Za-z0-9-]+$/);
    inviteCode = (await link.inputValue()).split("/join/")[1]!;
  });

  it("turns a channel name typed as Zebra Plans into zebra-plans as alice types", async () => {
    await alice.getByRole("button", { name: "Create a channel" }).click();
    const name = alice.getByLabel("Channel name");
    await name.pressSequentially("Zebra Plans");
    expect(await name.inputValue()).toBe("zebra-plans");
    await alice.getByRole("button", { name: "Create channel" }).click();
    await alice.getByRole("heading", { name: "#zebra-plans", exact: true }).waitFor();
    await channelLink(alice, "#zebra-plans").waitFor();
  });

  it("puts the channel's header on one line: name, topic, lock, pins and the member list's toggle", async () => {
    const channelId = new URL(alice.url()).pathname.split("/").pop()!;
    const patched = await call(journey.server, `/api/channels/${channelId}`, {
      method: "PATCH",
      body: { topic: TOPIC },
      token: aliceAccount.token,
    });
    expect(patched.status, patched.text).toBe(200);
    await alice.reload();
    await waitUntilConnected(alice);
    const header = alice.locator(".chat-header");
    const topic = header.getByText(TOPIC);
    await topic.waitFor();
    expect(await topic.getAttribute("title")).toBe(TOPIC);
    // Cut short on one line, whole on hover.
    expect(await topic.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    const parts = [
      header.getByRole("heading", { name: "#zebra-plans" }),
      topic,
      header.getByRole("button", { name: /^Encryption/ }),
      header.getByRole("button", { name: "Pinned messages" }),
      header.getByRole("button", { name: "Member list" }),
    ];
    const middles = await Promise.all(
      parts.map(async (part) => {
        const box = (await part.boundingBox())!;
        return box.y + box.height / 2;
      }),
    );
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(6);
    expect((await header.boundingBox())!.height).toBeLessThan(60);
    await alice.screenshot({ path: join(SCREENSHOTS, "shell.png") });
  });

  it("hides and shows the member list with the header's toggle", async () => {
    const toggle = alice.getByRole("button", { name: "Member list" });
    await memberList(alice).getByText("alice").waitFor();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await toggle.click();
    await memberList(alice).waitFor({ state: "detached" });
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    await toggle.click();
    await memberList(alice).getByText("alice").waitFor();
  });

  it("opens the channel alice had open when she comes back", async () => {
    await alice.goto(journey.server.url);
    await alice.getByRole("heading", { name: "#zebra-plans", exact: true }).waitFor();
    expect(new URL(alice.url()).pathname).toMatch(/\/channels\//);
  });

  it("names the community on bob's invite page before he is in it", async () => {
    await signIn(bob, "bob");
    await bob.getByRole("heading", { name: "Welcome to Chatalot" }).waitFor();
    // The accept waits until bob has seen the page, as on a slow line.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await bob.route("**/api/community-invites/accept", async (route) => {
      await released;
      await route.continue();
    });
    await bob.goto(`${journey.server.url}/join/${inviteCode}`);
    await bob.getByRole("heading", { name: "Zebra Club", level: 2 }).waitFor();
    await bob.getByText("1 member", { exact: true }).waitFor();
    await bob.getByRole("status").filter({ hasText: "Joining Zebra Club…" }).waitFor();
    release();
    await channelLink(bob, "#general").waitFor();
    await bob.unroute("**/api/community-invites/accept");
  });

  it("shows bob one pane at a time on a phone, with a way back to the channels", async () => {
    await bob.setViewportSize(PHONE);
    await channelLink(bob, "#general").click();
    await waitUntilConnected(bob);
    expect(await bob.getByRole("navigation", { name: "Communities" }).isVisible()).toBe(false);
    expect(await elementsStickingOut(bob)).toEqual([]);
    await bob.screenshot({ path: join(SCREENSHOTS, "shell-phone.png") });
    await bob.getByRole("link", { name: "← Channels" }).click();
    await channelLink(bob, "#general").waitFor();
    expect(await bob.getByRole("main").isVisible()).toBe(false);
    expect(await elementsStickingOut(bob)).toEqual([]);
  });

  it("looks right in the dark", async () => {
    await alice.emulateMedia({ colorScheme: "dark" });
    await alice.getByRole("heading", { name: "#zebra-plans", exact: true }).waitFor();
    await alice.screenshot({ path: join(SCREENSHOTS, "shell-dark.png") });
    await alice.emulateMedia({ colorScheme: "light" });
  });

  it("tells someone who opened another address which address to open", async () => {
    const elsewhere = await journey.openPage();
    const wrongUrl = journey.server.url.replace("127.0.0.1", "localhost");
    await signIn(elsewhere, "bob", wrongUrl);
    const alert = elsewhere.locator("#sign-in-error");
    await alert.waitFor();
    const words = await alert.innerText();
    expect(words).toContain(`open ${journey.server.url} instead`);
    expect(words).not.toContain("PUBLIC_URL");
    await elsewhere.close();
  });

  it("met no page error or CSP violation on the way", () => {
    expect(journey.problems).toEqual([]);
  });
});
