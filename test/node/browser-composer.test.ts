/**
 * The composer in a real browser, as Discord users expect it: alice picks an emoji
 * from the picker by searching (and finds it first among the recently used next
 * time), completes :tada: from its shortcode, mentions @bob from the autocomplete
 * (and bob is mentioned), completes #design, finds her draft after a reload, edits
 * her last message with ↑, and sends a message over the size limit as message.txt.
 * One journey in order, alice and bob in Acme's #general; screenshots of the picker
 * and the mention list go to docs/screenshots.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seriousAxeFindings } from "../support/axe.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import {
  browserJourney,
  messageItem,
  openGeneral,
  signInToGeneral,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Over the message size limit (about 64 KB sealed): models/content.ts. */
const LONG_MESSAGE_CHARACTERS = 70_000;

/** axe-core, evaluated in the page (as DevTools does: the page's CSP does not apply to it). */

const journey = browserJourney("browser_composer", { COMMUNITY_CREATION_MODE: "open" });
let alice: Page;
let bob: Page;
let bobAccount: Account;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const acme = await call(journey.server, "/api/communities", { body: { name: "Acme" }, token: aliceAccount.token });
  expect(acme.status, acme.text).toBe(201);
  const communityId = acme.body.community.id as string;
  const design = await call(journey.server, `/api/communities/${communityId}/channels`, {
    body: { name: "design" },
    token: aliceAccount.token,
  });
  expect(design.status, design.text).toBe(201);
  const invite = await call(journey.server, `/api/communities/${communityId}/invites`, {
    body: {},
    token: aliceAccount.token,
  });
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code: invite.body.code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);

  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([
    signInToGeneral(alice, journey.server.url, "alice", PASSWORD),
    signInToGeneral(bob, journey.server.url, "bob", PASSWORD),
  ]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
}, 120_000);

const field = (page: Page) => page.getByLabel("Message #general");
const suggestions = (page: Page) => page.getByRole("listbox");

/** What axe finds critical or serious in the composer (with its picker or list open). */
const composerViolations = (page: Page) => seriousAxeFindings(page, ".composer");

/** alice's message reached bob's screen. */
async function bobSees(text: string): Promise<void> {
  await messageItem(bob, text).waitFor();
}

describe("alice writes in #general", () => {
  it("picks an emoji from the picker by searching, and finds it first among the recently used", async () => {
    await field(alice).fill("Launch day ");
    await alice.getByRole("button", { name: "Insert an emoji" }).click();
    const picker = alice.getByRole("dialog", { name: "Insert an emoji" });
    await expect
      .poll(() => picker.getByLabel("Search emoji").evaluate((box) => box === document.activeElement))
      .toBe(true);
    await picker.getByRole("heading", { name: "Smileys & emotion" }).waitFor();
    await alice.screenshot({ path: join(SCREENSHOTS, "composer-emoji-picker.png") });
    expect(await composerViolations(alice)).toEqual([]);

    await picker.getByLabel("Search emoji").fill("party");
    await picker.getByRole("button", { name: "party popper" }).click();
    await picker.waitFor({ state: "detached" });
    await expect.poll(() => field(alice).inputValue()).toBe("Launch day 🎉");
    await field(alice).press("Enter");
    await bobSees("Launch day 🎉");

    await alice.getByRole("button", { name: "Insert an emoji" }).click();
    const recent = picker.getByRole("region", { name: "Recently used" });
    await expect.poll(() => recent.getByRole("button").first().getAttribute("aria-label")).toBe("party popper");
    await alice.keyboard.press("Escape");
    await picker.waitFor({ state: "detached" });
    await expect
      .poll(() =>
        alice.getByRole("button", { name: "Insert an emoji" }).evaluate((button) => button === document.activeElement),
      )
      .toBe(true);
  });

  it("completes :tada: from its shortcode, and turns a whole :joy: into its emoji", async () => {
    await field(alice).pressSequentially("ship it :tad");
    await suggestions(alice)
      .getByRole("option", { name: /:tada:/ })
      .waitFor();
    await field(alice).press("Enter");
    await expect.poll(() => field(alice).inputValue()).toBe("ship it 🎉 ");
    // Typed whole, closing colon and all, a shortcode becomes its emoji at once.
    await field(alice).pressSequentially("for real :joy:");
    await expect.poll(() => field(alice).inputValue()).toBe("ship it 🎉 for real 😂");
    await field(alice).press("Enter");
    await bobSees("ship it 🎉 for real 😂");
  });

  it("mentions @bob from the autocomplete, and bob is mentioned", async () => {
    await field(alice).pressSequentially("thanks @b");
    const list = suggestions(alice);
    await list.getByRole("option", { name: "bob" }).waitFor();
    await alice.screenshot({ path: join(SCREENSHOTS, "composer-mention-autocomplete.png") });
    expect(await composerViolations(alice)).toEqual([]);
    await field(alice).press("Tab");
    await expect.poll(() => field(alice).inputValue()).toBe("thanks @bob ");
    await field(alice).pressSequentially("for the review");
    await field(alice).press("Enter");
    await bobSees("thanks @bob for the review");
    await waitUntilDelivered(alice);
    // What the server stores for notifications: the text itself is sealed.
    const rows = await journey.query<{ mentioned: string[] }>(
      `select mentioned_user_ids as mentioned from messages where cardinality(mentioned_user_ids) > 0`,
    );
    expect(rows.map((row) => row.mentioned)).toEqual([[bobAccount.id]]);
  });

  it("offers @everyone to her as the owner, and closes the list with Esc", async () => {
    await field(alice).pressSequentially("@ev");
    await suggestions(alice)
      .getByRole("option", { name: /@everyone/ })
      .waitFor();
    await field(alice).press("Escape");
    await suggestions(alice).waitFor({ state: "detached" });
    expect(await field(alice).inputValue()).toBe("@ev");
    await field(alice).fill("");
  });

  it("completes #design from the community's channels", async () => {
    await field(alice).pressSequentially("see #des");
    await suggestions(alice).getByRole("option", { name: "design" }).waitFor();
    await field(alice).press("ArrowDown"); // one match: the choice stays on it
    await field(alice).press("Enter");
    await expect.poll(() => field(alice).inputValue()).toBe("see #design ");
    await field(alice).fill("");
  });

  it("keeps her unsent text in #general across a reload", async () => {
    await field(alice).fill("half a thought, to finish later");
    await alice.reload();
    await alice.getByRole("heading", { name: "#general" }).waitFor();
    await expect.poll(() => field(alice).inputValue()).toBe("half a thought, to finish later");
    await field(alice).press("Enter");
    await bobSees("half a thought, to finish later");
    await alice.reload();
    await alice.getByRole("heading", { name: "#general" }).waitFor();
    await messageItem(alice, "half a thought, to finish later").waitFor();
    expect(await field(alice).inputValue()).toBe("");
  });

  it("edits her last message with ↑ in the empty composer", async () => {
    await field(alice).focus();
    await field(alice).press("ArrowUp");
    const editor = alice.getByRole("textbox", { name: "Edit message" });
    await expect.poll(() => editor.inputValue()).toBe("half a thought, to finish later");
    await editor.fill("a whole thought, finished");
    // Shortcodes work in an edit too.
    await editor.pressSequentially(" :tad");
    await suggestions(alice)
      .getByRole("option", { name: /:tada:/ })
      .waitFor();
    await editor.pressSequentially("a:");
    await expect.poll(() => editor.inputValue()).toBe("a whole thought, finished 🎉");
    await editor.press("Enter");
    await bobSees("a whole thought, finished 🎉");
    await expect.poll(() => field(alice).evaluate((box) => box === document.activeElement)).toBe(true);
  });

  it("sends a message over the size limit as message.txt when she accepts", async () => {
    const long = "All work and no play. ".repeat(LONG_MESSAGE_CHARACTERS / 22 + 1).trim();
    await field(alice).fill(long);
    await field(alice).press("Enter");
    const offer = alice.getByRole("alertdialog");
    await offer
      .getByText(`This message is too long (${long.length.toLocaleString("en")} characters). Send it as a file?`)
      .waitFor();
    await offer.getByRole("button", { name: "Send as message.txt" }).click();
    await offer.waitFor({ state: "detached" });
    expect(await field(alice).inputValue()).toBe("");
    // The file's card, in a message of its own (the attachment list holds it as a list item too).
    await messageItem(bob, "message.txt").first().waitFor();
  });

  it("fits the emoji picker on a phone's screen", async () => {
    await alice.setViewportSize({ width: 390, height: 780 });
    await alice.getByRole("button", { name: "Insert an emoji" }).click();
    const box = await alice.getByRole("dialog", { name: "Insert an emoji" }).boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    expect(box?.y).toBeGreaterThanOrEqual(0);
    await alice.keyboard.press("Escape");
    await alice.setViewportSize({ width: 960, height: 600 });
    expect(journey.problems).toEqual([]);
  });
});
