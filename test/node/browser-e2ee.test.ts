/**
 * End-to-end encryption as people meet it in the browser, through the built web app
 * served by the production entrypoint with PostgreSQL behind it. One ordered journey:
 * the admin sets up recovery (a passphrase and the recovery key, shown once); bob
 * joins and they talk in #general and in a conversation; bob compares safety numbers
 * and marks the admin verified; the admin signs in on two fresh browsers and unlocks
 * her history there with the passphrase and with the recovery key; carol joins while
 * nobody is around to add her device, waits, and loses nothing; and a deleted message
 * the server serves again under a new number is refused after a reload.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitUntilConnected } from "../support/browser.ts";
import { root } from "../support/server.ts";
import {
  browserJourney,
  channelLink,
  communityLink,
  conversationLink,
  fillRegistration,
  memberList,
  messageItem as message,
  saveRecoveryKey,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { registerOn } from "../support/accounts.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const PASSPHRASE = "a passphrase long enough to matter";
/** Real-time means seconds; unlocking with a passphrase runs Argon2id (128 MiB, 2 passes) in the page. */
const LIVE_TIMEOUT_MS = 5_000;
const UNLOCK_TIMEOUT_MS = 90_000;

const journey = browserJourney("browser_e2ee");
let admin: Page;
let bob: Page;
let recoveryKey = "";
let inviteLink = "";

describe("recovery, verification and waiting, in the browser", () => {
  it("lets the admin set up recovery with a passphrase, and shows the recovery key once", async () => {
    [admin, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
    // An account from before recovery keys were part of registration: the banner offers one.
    await registerOn(journey.server, "admin", PASSWORD);
    await admin.goto(`${journey.server.url}/sign-in`);
    await admin.getByLabel("Username").fill("admin");
    await admin.getByLabel("Password").fill(PASSWORD);
    await admin.getByRole("button", { name: "Sign in", exact: true }).click();
    await admin.getByLabel("Community name").fill("Acme");
    await admin.getByRole("button", { name: "Create community" }).click();
    await channelLink(admin, "#general").click();
    await waitUntilConnected(admin);

    await admin.getByRole("button", { name: "Set up recovery" }).click();
    await admin.getByText("Also unlock with a passphrase (optional)").click();
    const setUpWith = async (passphrase: string) => {
      await admin.getByLabel("Passphrase (optional)").fill(passphrase);
      await admin.getByLabel("Passphrase again").fill(passphrase);
      await admin.getByRole("button", { name: "Create my recovery key" }).click();
    };
    // A stolen session alone cannot set a backup up: the account password is asked for, and said why.
    await setUpWith(PASSPHRASE);
    await admin.getByText("Enter your account password to confirm it is you.").waitFor();
    await admin.getByLabel("Account password").fill(PASSWORD);
    await setUpWith("too short");
    await admin.getByText(/^A passphrase needs at least 15 characters/).waitFor();
    await setUpWith(PASSWORD);
    await admin.getByText(/^Choose a passphrase other than your account password/).waitFor();
    await setUpWith("password1234567");
    await admin.getByText(/^This passphrase is too easy to guess/).waitFor();
    await admin.getByLabel("Passphrase (optional)").fill(PASSPHRASE);
    await admin.getByLabel("Passphrase again").fill(PASSPHRASE);
    await admin.getByRole("button", { name: "Create my recovery key" }).click();
    recoveryKey = await saveRecoveryKey(admin);
    expect(recoveryKey).toMatch(/^([A-HJ-NP-Z2-9]{4}-){12}[A-HJ-NP-Z2-9]{4}$/);
    expect(await admin.getByRole("list", { name: "Recovery key" }).count()).toBe(0);
    expect(await journey.query("select 1 from key_backups")).toHaveLength(1);

    await send(admin, "Message #general", "welcome to acme");
  });

  it("lets bob join and talk with the admin in #general and in a conversation", async () => {
    await admin.getByRole("button", { name: "Invite people" }).click();
    inviteLink = await admin.getByLabel("Invite link", { exact: true }).inputValue();
    await admin.getByRole("button", { name: "Done" }).click();
    await bob.goto(inviteLink);
    await bob.getByRole("link", { name: "Create an account" }).click();
    await fillRegistration(bob, "bob", PASSWORD);
    await channelLink(bob, "#general").click();
    await waitUntilConnected(bob);
    // Community channels are readable from their start: the admin's device shares the earlier keys.
    await bob.getByRole("log").getByText("welcome to acme", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    await memberList(bob).getByRole("button", { name: "Message admin" }).click();
    await bob.getByRole("heading", { name: "@admin" }).waitFor();
    await waitUntilConnected(bob);
    await send(bob, "Message @admin", "a word in private");
    await admin.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(admin, "bob").click({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilConnected(admin);
    await admin.getByRole("log").getByText("a word in private", { exact: true }).waitFor();
    await send(admin, "Message @bob", "heard you");
    await bob.getByRole("log").getByText("heard you", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("gives both the same safety number; bob marks the admin verified, and the mark survives a reload", async () => {
    const numberOn = async (page: Page) => {
      await openLock(page);
      await page.getByRole("button", { name: "Safety number" }).click();
      return (await page.getByTestId("safety-number").locator("code").innerText()).trim();
    };
    const [adminSees, bobSees] = await Promise.all([numberOn(admin), numberOn(bob)]);
    expect(adminSees).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(bobSees).toBe(adminSees);
    await bob.getByRole("img", { name: "The safety number as a QR code" }).waitFor();
    await bob.screenshot({ path: join(SCREENSHOTS, "safety-number.png") });

    // Someone never compared is never shown as trusted silently.
    await bob.locator(".channel-lock").getByText("Not verified yet", { exact: true }).waitFor();
    await bob.getByRole("button", { name: "They match: mark admin verified" }).click();
    await bob.locator(".channel-lock").getByText("Verified", { exact: true }).waitFor();
    expect(await bob.locator(".channel-lock").getByText("Not verified yet").count()).toBe(0);
    await message(bob, "heard you").getByText("verified", { exact: true }).waitFor();
    await bob.reload();
    await waitUntilConnected(bob);
    await bob.locator(".channel-lock").getByText("Verified", { exact: true }).waitFor();
    await message(bob, "heard you").getByText("verified", { exact: true }).waitFor();
    // The admin did not compare: nothing claims she verified bob.
    expect(await admin.locator(".channel-lock").getByText("Verified", { exact: true }).count()).toBe(0);
  });

  it("unlocks the admin's history on a fresh browser with her passphrase, refusing a wrong one", async () => {
    const laptop = await signInFresh("admin");
    await laptop.getByRole("heading", { name: "Unlock your encrypted messages on this device" }).waitFor();
    await laptop.getByLabel("Recovery key or passphrase").fill("not my passphrase at all");
    await laptop.getByRole("button", { name: "Unlock" }).click();
    await laptop.getByText("That passphrase does not open your backup.").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
    await laptop.getByLabel("Recovery key or passphrase").fill(PASSPHRASE);
    await laptop.getByRole("button", { name: "Unlock" }).click();
    await laptop
      .getByRole("heading", { name: "Unlock your encrypted messages on this device" })
      .waitFor({ state: "detached", timeout: UNLOCK_TIMEOUT_MS });
    await expectHistory(laptop);
    await laptop.context().close();
  });

  it("unlocks it on another fresh browser with the recovery key", async () => {
    const phone = await signInFresh("admin");
    await phone.getByLabel("Recovery key or passphrase").fill(recoveryKey.toLowerCase().replaceAll("-", " "));
    await phone.getByRole("button", { name: "Unlock" }).click();
    await phone
      .getByRole("heading", { name: "Unlock your encrypted messages on this device" })
      .waitFor({ state: "detached", timeout: UNLOCK_TIMEOUT_MS });
    await expectHistory(phone);
    await phone.context().close();
  });

  it("keeps carol's message while she waits to be added, and sends it once a member's device adds her", async () => {
    // Nobody has #general open: no device is there to add a newcomer.
    await conversationLink(bob, "admin").click();
    await conversationLink(admin, "bob").click();
    const carol = await journey.openPage();
    await carol.goto(inviteLink);
    await carol.getByRole("link", { name: "Create an account" }).click();
    await fillRegistration(carol, "carol", PASSWORD);
    await channelLink(carol, "#general").click();
    await waitUntilConnected(carol);
    await carol.getByText("Waiting for a member’s device to add this one").waitFor();
    await carol.getByLabel("Message #general").fill("can anyone read me?");
    await carol.getByLabel("Message #general").press("Enter");
    await carol.getByRole("log").getByText("Sending…").waitFor();
    expect(await journey.textsFrom("carol")).toBe(0);

    // Bob comes to #general: his device adds hers, her message goes out sealed, and she reads the start.
    await communityLink(bob, "Acme").click();
    await channelLink(bob, "#general").click();
    await carol.locator(".channel-lock").getByText("End-to-end encrypted").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByRole("log").getByText("can anyone read me?", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await carol.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
    await carol.getByRole("log").getByText("welcome to acme", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await journey.textsFrom("carol")).toBe(1);
    await carol.context().close();
  });

  it("refuses, after a reload, a deleted message the server serves again under a new number", async () => {
    await bob.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(bob, "admin").click();
    await waitUntilConnected(bob);
    await send(bob, "Message @admin", "forget I said this");
    await admin.getByRole("log").getByText("forget I said this", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const [original] = await journey.query<Record<string, unknown>>(
      `select m.channel_id, m.sender_id, m.sender_session_id, m.payload, m.payload_bytes
       from messages m join users u on u.id = m.sender_id where u.username = 'bob' order by m.sent_at desc limit 1`,
    );
    await message(bob, "forget I said this").getByRole("button", { name: "Delete", exact: true }).click();
    await bob.getByRole("button", { name: "Delete message", exact: true }).click();
    await message(admin, "This message was deleted.").waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The curious server puts the erased envelope back as a new message.
    const { channel_id, sender_id, sender_session_id, payload, payload_bytes } = original!;
    await journey.query(
      `with numbered as (
         update channels set last_seq = last_seq + 1, last_event = last_event + 1 where id = $1
         returning last_seq, last_event)
       insert into messages (channel_id, seq, event, sender_id, sender_session_id, client_id, payload, payload_bytes)
       select $1, last_seq, last_event, $2, $3, 'resurrected', $4, $5 from numbered`,
      [channel_id, sender_id, sender_session_id, payload, payload_bytes],
    );
    await admin.reload();
    await waitUntilConnected(admin);
    await admin.getByText(/This message cannot be read on this device: a replayed message/).waitFor();
    expect(await admin.getByRole("log").getByText("forget I said this", { exact: true }).count()).toBe(0);
  });

  it("warns bob when the admin starts over with a new key, and adds her new device once he accepts it", async () => {
    const desk = await signInFresh("admin");
    await desk.getByRole("button", { name: "Start over…" }).click();
    await desk.getByLabel("Account password").fill(PASSWORD);
    // Signing out everywhere else is the default: a stolen device under the old key is cut off.
    expect(await desk.getByLabel(/Sign out everywhere else too/).isChecked()).toBe(true);
    await desk.getByRole("button", { name: "Start over with a new key" }).click();
    // The old backup held the replaced key: recovery is offered again.
    await desk.getByRole("button", { name: "Set up recovery" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const live = await journey.query<{ count: string }>(
      "select count(*) from sessions s join users u on u.id = s.user_id where u.username = 'admin' and s.revoked_at is null",
    );
    expect(Number(live[0]!.count)).toBe(1);
    // Bob and carol saved their keys when they registered; the admin's backup is set aside.
    expect(
      await journey.query("select 1 from key_backups b join users u on u.id = b.user_id where u.username = 'admin'"),
    ).toHaveLength(0);
    await desk.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(desk, "bob").click();
    await desk.getByText("Waiting for a member’s device to add this one").waitFor();

    // Bob's device meets the new key when it comes to add her device: a warning, not a silent yes.
    await bob.reload();
    await waitUntilConnected(bob);
    await bob.getByText("admin’s account key changed.", { exact: false }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await bob.locator(".channel-lock").getByText("Verified", { exact: true }).count()).toBe(0);
    // Her new device stays pending, not a failure: the warning is the whole story.
    await expect.poll(() => bob.getByRole("log").getByText("Decrypting…").count()).toBe(0);
    expect(await bob.locator(".channel-lock .error").allInnerTexts()).toEqual([]);
    await bob.screenshot({ path: join(SCREENSHOTS, "key-changed.png") });
    await openLock(bob);
    await bob.getByRole("button", { name: "Compare the new safety number" }).click();
    await bob.getByRole("button", { name: "They match: mark admin verified" }).click();
    await bob.locator(".channel-lock").getByText("Verified", { exact: true }).waitFor();

    await desk.locator(".channel-lock").getByText("End-to-end encrypted").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await send(desk, "Message @bob", "same admin, new key");
    await bob.getByRole("log").getByText("same admin, new key", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    // What her old devices said stays readable: bob trusted the key that certified them.
    await bob.getByRole("log").getByText("heard you", { exact: true }).waitFor();
    expect(await bob.getByText(/cannot be read on this device/).count()).toBe(1); // the resurrected copy only
    await desk.context().close();
  });

  it("runs without a single Content-Security-Policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

/** What the admin's devices should read once unlocked: #general's start and the conversation. */
async function expectHistory(page: Page): Promise<void> {
  await channelLink(page, "#general").click();
  await waitUntilConnected(page);
  await page.getByRole("log").getByText("welcome to acme", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  await page.getByRole("link", { name: "Direct messages" }).click();
  await conversationLink(page, "bob").click();
  await waitUntilConnected(page);
  await page.getByRole("log").getByText("a word in private", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  await page.getByRole("log").getByText("heard you", { exact: true }).waitFor();
  expect(await page.getByText(/cannot be read on this device/).count()).toBe(0);
}

async function signInFresh(username: string): Promise<Page> {
  const page = await journey.openPage();
  await page.goto(journey.server.url);
  await page.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Communities" }).waitFor();
  return page;
}

async function send(page: Page, composer: string, text: string): Promise<void> {
  await page.getByLabel(composer).fill(text);
  await page.getByLabel(composer).press("Enter");
  await waitUntilDelivered(page, LIVE_TIMEOUT_MS);
}

/** The lock beside the channel's name opens what its encryption is: safety numbers, verification, readers. */
async function openLock(page: Page): Promise<void> {
  await page
    .locator(".chat-header")
    .getByRole("button", { name: /^Encryption/ })
    .click();
}
