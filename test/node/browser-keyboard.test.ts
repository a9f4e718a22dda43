/**
 * Alice gets around Chatalot from the keyboard in a real browser: she is in two
 * communities (Acme and Zebra Plans) and talks with bob in a direct message; bob
 * (through his own socket) writes in channels she is not looking at. Ctrl+K finds
 * any channel, conversation or person fuzzily, unread first; Alt+↑/↓ and
 * Alt+Shift+↑/↓ step through channels and unread ones; Esc and Shift+Esc mark
 * read; Ctrl+/ lists the shortcuts; the skip link jumps to the messages. One
 * journey, in order.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, openChannelSocket, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, channelLink, signInToGeneral } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Unread news reaches the page through the account socket in moments. */
const LIVE_TIMEOUT_MS = 5_000;

const journey = browserJourney("browser_keyboard", { COMMUNITY_CREATION_MODE: "open" });
let alice: Page;
let aliceAccount: Account;
let bob: Account;
/** Channel ids by "Community/name". */
const channels = new Map<string, string>();
let sentByBob = 0;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bob = await registerOn(journey.server, "bob", PASSWORD);
  const carol = await registerOn(journey.server, "carol", PASSWORD);
  await communityOfAlice("Acme", ["random", "design"], [bob, carol]);
  await communityOfAlice("Zebra Plans", ["roadmap"], [bob]);
  await api(bob, "/api/dms", { userIds: [aliceAccount.id] });

  alice = await journey.openPage();
  await signInToGeneral(alice, journey.server.url, "alice", PASSWORD);
  await openChannel("Acme", "#general");
});

describe("the quick switcher", () => {
  it("opens a channel of another community from a fuzzy query, named with its community", async () => {
    await alice.keyboard.press("Control+k");
    const input = switcherInput();
    await expect.poll(() => isFocused(input)).toBe(true);
    await input.fill("rdmp");
    const best = switcherOptions().first();
    await expect.poll(() => best.textContent()).toContain("Zebra Plans");
    expect(await best.getAttribute("aria-selected")).toBe("true");
    await input.press("Enter");

    await alice.getByRole("heading", { name: "#roadmap", exact: true }).waitFor();
    await switcher().waitFor({ state: "detached" });
    expect(alice.url()).toContain(channels.get("Zebra Plans/roadmap"));
  });

  it("puts the mention first and the unread channel next when nothing is typed", async () => {
    await bobSays("Acme/design", "new mockups are up");
    await bobSays("Zebra Plans/general", "@alice can you look?", aliceAccount.id);
    await expect
      .poll(() => description(channelLink(alice, "#general")), { timeout: LIVE_TIMEOUT_MS })
      .toBe("1 unread message, 1 mention");
    await openChannel("Acme", "#general");

    await alice.keyboard.press("Control+k");
    const options = switcherOptions();
    await expect.poll(() => options.nth(1).textContent(), { timeout: LIVE_TIMEOUT_MS }).toContain("design");
    expect(await options.nth(0).textContent()).toContain("Zebra Plans");
    expect(await options.nth(0).textContent()).toContain("1 mention");
    expect(await options.nth(1).textContent()).toContain("1 unread message");
    await screenshot("quick-switcher.png");
  });

  it("moves with the arrow keys and closes with Esc, giving focus back", async () => {
    const input = switcherInput();
    await input.press("ArrowDown");
    expect(await switcherOptions().nth(1).getAttribute("aria-selected")).toBe("true");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await switcherOptions().nth(1).getAttribute("id"));
    await input.press("Escape");
    await switcher().waitFor({ state: "detached" });

    const composer = alice.getByLabel("Message #general");
    await composer.click();
    await alice.keyboard.press("Control+k");
    await switcherInput().press("Escape");
    await switcher().waitFor({ state: "detached" });
    await expect.poll(() => isFocused(composer)).toBe(true);
  });

  it("starts a conversation with a person alice has not written to yet", async () => {
    await alice.keyboard.press("Control+k");
    await switcherInput().fill("@crl");
    await expect.poll(() => switcherOptions().first().textContent()).toContain("start a conversation");
    await switcherInput().press("Enter");
    await alice.getByRole("heading", { name: "carol" }).first().waitFor();
    expect(alice.url()).toContain("/dms/");
    await openChannel("Acme", "#general");
  });
});

describe("moving between channels", () => {
  it("goes to the next and previous channel with Alt+↓ and Alt+↑", async () => {
    await alice.keyboard.press("Alt+ArrowDown");
    await alice.getByRole("heading", { name: "#random", exact: true }).waitFor();
    await alice.keyboard.press("Alt+ArrowUp");
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();
  });

  it("goes to the next unread channel with Alt+Shift+↓, into the next community too", async () => {
    await alice.keyboard.press("Alt+Shift+ArrowDown");
    await alice.getByRole("heading", { name: "#design", exact: true }).waitFor();
    expect(alice.url()).toContain(channels.get("Acme/design"));
    await alice.keyboard.press("Alt+Shift+ArrowDown");
    await expect.poll(() => alice.url()).toContain(channels.get("Zebra Plans/general"));
  });
});

describe("marking read", () => {
  it("marks the open channel read with Esc, which takes the New divider away", async () => {
    await openChannel("Acme", "#random");
    await bobSays("Acme/general", "are you there?");
    await expect
      .poll(() => description(channelLink(alice, "#general")), { timeout: LIVE_TIMEOUT_MS })
      .toBe("1 unread message");
    await channelLink(alice, "#general").click();
    const divider = alice.getByRole("separator", { name: "New messages start here" });
    await divider.waitFor();

    await alice.keyboard.press("Escape");
    await divider.waitFor({ state: "detached" });
    await alice.getByRole("status").filter({ hasText: "Marked the channel read." }).waitFor();
    await alice.keyboard.press("Alt+ArrowDown");
    await alice.getByRole("heading", { name: "#random", exact: true }).waitFor();
    expect(await description(channelLink(alice, "#general"))).toBe("");
  });

  it("marks every channel of the community read with Shift+Esc", async () => {
    await bobSays("Acme/general", "one more thing");
    await bobSays("Acme/design", "and the logo");
    // Alice passed through #design on her way to Zebra Plans: more than bob's last may be unread.
    await expect.poll(() => description(channelLink(alice, "#design")), { timeout: LIVE_TIMEOUT_MS }).not.toBe("");
    await expect.poll(() => description(channelLink(alice, "#general")), { timeout: LIVE_TIMEOUT_MS }).not.toBe("");

    await alice.keyboard.press("Shift+Escape");
    await alice.getByRole("status").filter({ hasText: "Marked the community read." }).waitFor();
    await expect.poll(() => description(channelLink(alice, "#design")), { timeout: LIVE_TIMEOUT_MS }).toBe("");
    await expect.poll(() => description(channelLink(alice, "#general")), { timeout: LIVE_TIMEOUT_MS }).toBe("");
  });
});

describe("finding one's way", () => {
  it("lists every shortcut with Ctrl+/", async () => {
    await alice.keyboard.press("Control+/");
    const dialog = alice.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    for (const words of ["Find or start a conversation", "Next unread channel", "Mark the channel read"])
      await dialog.getByText(words, { exact: true }).waitFor();
    await alice.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  it("offers a skip link first, which takes focus to the messages", async () => {
    await alice.reload();
    await alice.getByRole("heading", { name: "#random", exact: true }).waitFor();
    await alice.keyboard.press("Tab");
    const skip = alice.getByRole("link", { name: "Skip to messages" });
    await expect.poll(() => isFocused(skip)).toBe(true);
    await alice.keyboard.press("Enter");
    await expect.poll(() => isFocused(alice.getByRole("log", { name: "Messages in #random" }))).toBe(true);
    expect(journey.problems).toEqual([]);
  });
});

/** Alice's community with these channels besides #general; `members` join by invite. */
async function communityOfAlice(name: string, extra: string[], members: Account[]): Promise<void> {
  const { community } = await api(aliceAccount, "/api/communities", { name });
  for (const channel of extra) await api(aliceAccount, `/api/communities/${community.id}/channels`, { name: channel });
  const { code } = await api(aliceAccount, `/api/communities/${community.id}/invites`, {});
  for (const member of members) await api(member, "/api/community-invites/accept", { code });
  const listed = await api(aliceAccount, `/api/communities/${community.id}/channels`);
  for (const channel of listed.channels) channels.set(`${name}/${channel.name}`, channel.id);
}

async function api(account: Account, path: string, body?: unknown): Promise<any> {
  const answer = await call(journey.server, path, { token: account.token, body });
  if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** Bob writes in a channel through his own socket (the payload is opaque to the server). */
async function bobSays(channel: string, words: string, mentioning?: string): Promise<void> {
  const { socket } = await openChannelSocket(journey.server, bob, channels.get(channel)!);
  const clientId = `bob-message-${++sentByBob}`;
  const acked = new Promise<void>((resolve, reject) =>
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === "ack") resolve();
      if (frame.type === "error") reject(new Error(`bob's message was refused: ${frame.message}`));
    }),
  );
  const mentions = mentioning ? { userIds: [mentioning], roleIds: [], everyone: false, here: false } : undefined;
  socket.send(JSON.stringify({ type: "send", clientId, payload: btoa(words.padEnd(24)), mentions }));
  await acked;
  socket.close();
}

async function openChannel(community: string, name: string): Promise<void> {
  await alice.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: community }).click();
  await channelLink(alice, name).click();
  await alice.getByRole("heading", { name, exact: true }).waitFor();
  await waitUntilConnected(alice);
}

const switcher = () => alice.getByRole("dialog", { name: "Quick switcher" });
const switcherInput = () => switcher().getByRole("combobox", { name: "Where would you like to go?" });
const switcherOptions = () => switcher().getByRole("option");

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

/** A link's accessible description: its unread counts ("" when none). */
function description(link: Locator): Promise<string> {
  return link.evaluate((element) => {
    const id = element.getAttribute("aria-describedby");
    return id ? (document.getElementById(id)?.textContent ?? "") : "";
  });
}

async function screenshot(name: string): Promise<void> {
  const size = alice.viewportSize();
  await alice.setViewportSize({ width: 1100, height: 760 });
  try {
    await alice.screenshot({ path: join(SCREENSHOTS, name) });
  } finally {
    if (size) await alice.setViewportSize(size);
  }
}
