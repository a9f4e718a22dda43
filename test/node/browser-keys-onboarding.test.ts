/**
 * Keys and onboarding as people meet them, through the built app and the production
 * server: alice saves her one recovery key while registering, signs out and in again
 * and reads her history with it, and resets a forgotten password with the same key;
 * carol, who never set one up, is warned before signing out, sets it up from the
 * warning, and reads her history after signing in again; dave, new while nobody's
 * device is around, is told he waits for one; bob, in a second browser, is told at
 * once why his earlier messages cannot be read yet, and reads them once he enters his key.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import {
  browserJourney,
  channelLink,
  messageItem,
  openGeneral,
  saveRecoveryKey,
  signInToGeneral,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase 42";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** A message that cannot be read says why within seconds, never an endless spinner. */
const REASON_TIMEOUT_MS = 10_000;
/** Unlocking restores the backup and sets up a device: a few seconds on a busy machine. */
const UNLOCK_TIMEOUT_MS = 30_000;
const LOCKED = "Enter your recovery key to read your history";

const journey = browserJourney("browser_keys_onboarding");
let admin: Account;
let inviteCode = "";
/** Bob's and carol's own communities: with nobody else's device to add theirs, their first device starts the group. */
let bobsInviteCode = "";
let carolsInviteCode = "";
let alice: Page;
let aliceKey = "";

/** A community the admin makes (through the API: her browser never opens), and an invite code to it. */
async function communityWithInvite(name: string): Promise<string> {
  const created = await call(journey.server, "/api/communities", { token: admin.token, body: { name } });
  const invite = await call(journey.server, `/api/communities/${created.body.community.id}/invites`, {
    token: admin.token,
    body: {},
  });
  return invite.body.code;
}

beforeAll(async () => {
  admin = await registerOn(journey.server, "admin", PASSWORD);
  inviteCode = await communityWithInvite("Acme");
  bobsInviteCode = await communityWithInvite("Beta");
  carolsInviteCode = await communityWithInvite("Gamma");
});

/** Registers from a community invite link: the "Save your recovery key" step comes next. */
async function registerByInvite(page: Page, username: string, code = inviteCode): Promise<void> {
  await page.goto(`${journey.server.url}/join/${code}`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
}

/** Someone registered through the API (no recovery key step) who joined a community by `code`. */
async function joinedThroughApi(username: string, code: string): Promise<Account> {
  const account = await registerOn(journey.server, username, PASSWORD);
  const joined = await call(journey.server, "/api/community-invites/accept", { token: account.token, body: { code } });
  expect(joined.status, joined.text).toBe(200);
  return account;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message #general").fill(text);
  await page.getByLabel("Message #general").press("Enter");
  await waitUntilDelivered(page, UNLOCK_TIMEOUT_MS);
}

/** The version of `username`'s key backup (0: none): it grows each time a device writes it. */
async function backupVersion(username: string): Promise<number> {
  const [row] = await journey.query<{ version: number }>(
    "select kb.version from key_backups kb join users u on u.id = kb.user_id where u.username = $1",
    [username],
  );
  return row?.version ?? 0;
}

/** Sends `text` and waits until the key backup holds the channel's keys (written a second after they change). */
async function sendAndBackUp(page: Page, username: string, text: string): Promise<void> {
  const before = await backupVersion(username);
  await send(page, text);
  await expect.poll(() => backupVersion(username), { timeout: UNLOCK_TIMEOUT_MS }).toBeGreaterThan(before);
}

/** Signs out from the user panel's account menu. */
async function signOut(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: "Sign out", exact: true });
  if (!(await button.isVisible())) await page.getByRole("button", { name: "Account menu" }).click();
  await button.click();
}

async function unlockWith(page: Page, key: string): Promise<void> {
  await page.getByLabel("Recovery key").fill(key);
  await page.getByRole("button", { name: "Unlock" }).click();
}

describe("the one recovery key", () => {
  it("shows alice her recovery key right after she registers, to copy or download, before the app", async () => {
    alice = await journey.openPage();
    await registerByInvite(alice, "alice");
    const step = alice.getByRole("dialog", { name: "Save your recovery key" });
    await step.getByText("Nobody can recover it for you").waitFor();
    const key = step.getByRole("list", { name: "Recovery key" });
    await key.getByRole("listitem").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
    // Continue waits for her to say the key is saved.
    expect(await step.getByRole("button", { name: "Continue", exact: true }).isDisabled()).toBe(true);
    await alice.screenshot({ path: join(SCREENSHOTS, "onboarding-recovery-key.png") });

    const [download] = await Promise.all([
      alice.waitForEvent("download"),
      step.getByRole("link", { name: "Download as a text file" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("chatalot-recovery-key-alice.txt");
    const file = await readFile(await download.path(), "utf8");
    expect(file).toContain(`for alice on ${new URL(journey.server.url).host}`);
    aliceKey = await saveRecoveryKey(alice);
    expect(file).toContain(aliceKey);
    expect(aliceKey).toMatch(/^([A-HJ-NP-Z2-9]{4}-){12}[A-HJ-NP-Z2-9]{4}$/);
    // The one secret: no separate recovery code, no "set up recovery" banner.
    expect(await alice.getByRole("button", { name: "Set up recovery" }).count()).toBe(0);
  });

  it("lets alice sign out and in again in the same browser and read her earlier messages with her key", async () => {
    await openGeneral(alice);
    await sendAndBackUp(alice, "alice", "written before signing out");
    await signOut(alice);
    // With the key saved there is nothing to warn about: she is signed out at once.
    await alice.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();

    await signInToGeneral(alice, journey.server.url, "alice", PASSWORD);
    await channelLink(alice, "#general").click();
    const earlier = messageItem(alice, LOCKED);
    await earlier.waitFor({ timeout: REASON_TIMEOUT_MS });
    await earlier.getByRole("button", { name: "Enter recovery key" }).click();
    await expect.poll(() => alice.evaluate(() => document.activeElement?.id)).toBe("unlock-secret");
    await unlockWith(alice, aliceKey);
    await messageItem(alice, "written before signing out").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
  });

  it("resets alice's forgotten password with the same key, and her history still reads", async () => {
    const phone = await journey.openPage();
    await phone.goto(`${journey.server.url}/sign-in`);
    await phone.getByRole("link", { name: "Forgot your password?" }).click();
    await phone.getByLabel("Username").fill("alice");
    await phone.getByLabel("Recovery key or recovery code").fill(aliceKey.toLowerCase().replaceAll("-", " "));
    await phone.getByLabel("New password").fill(NEW_PASSWORD);
    await phone.getByRole("button", { name: "Reset password" }).click();
    // No new code to save: the key goes on working, and it unlocks this device too.
    await channelLink(phone, "#general").click({ timeout: UNLOCK_TIMEOUT_MS });
    await messageItem(phone, "written before signing out").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
    expect(await phone.getByRole("heading", { name: "Unlock your encrypted messages on this device" }).count()).toBe(0);

    // The old password no longer signs in; the new one does, and the same key resets it again.
    const again = await call(journey.server, "/api/auth/login", { body: { username: "alice", password: PASSWORD } });
    expect(again.status).toBe(401);
    await phone.close();
  });
});

describe("signing out of a browser that holds the only copy of the keys", () => {
  it("warns carol, who never set up a key, lets her set it up from the warning, and her history comes back", async () => {
    // Someone who signed up before recovery keys were part of registration.
    await joinedThroughApi("carol", carolsInviteCode);
    const carol = await journey.openPage();
    await signInToGeneral(carol, journey.server.url, "carol", PASSWORD);
    await carol.getByText("Without it, signing out or losing this device loses your message history").waitFor();
    await openGeneral(carol);
    await send(carol, "carol was here");

    await signOut(carol);
    const warning = carol.getByRole("dialog", { name: "You will lose your message history" });
    await warning
      .getByText(
        "This browser holds the only copy of your encryption keys. If you sign out now, you lose your message history",
      )
      .waitFor();
    await carol.screenshot({ path: join(SCREENSHOTS, "sign-out-warning.png") });
    // Esc puts the question away, and nothing happened.
    await carol.keyboard.press("Escape");
    await warning.waitFor({ state: "detached" });
    await signOut(carol);
    await warning.getByRole("button", { name: "Set up a recovery key first" }).click();

    const step = carol.getByRole("dialog", { name: "Set up your recovery key" });
    await step.getByLabel("Account password").fill(PASSWORD);
    await step.getByRole("button", { name: "Create my recovery key" }).click();
    const carolKey = await saveRecoveryKey(carol);
    await expect.poll(() => backupVersion("carol"), { timeout: UNLOCK_TIMEOUT_MS }).toBeGreaterThan(0);

    // Now the keys exist elsewhere too: signing out asks nothing, and signing in again reads her history.
    await signOut(carol);
    await carol.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
    await signInToGeneral(carol, journey.server.url, "carol", PASSWORD);
    await channelLink(carol, "#general").click();
    await messageItem(carol, LOCKED).waitFor({ timeout: REASON_TIMEOUT_MS });
    await unlockWith(carol, carolKey);
    await messageItem(carol, "carol was here").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
    await carol.close();
  });
});

describe("a newcomer while nobody's device is around", () => {
  it("tells dave within seconds that he waits for a member's device, lets him sign out anyway, and takes his old recovery code", async () => {
    const daveAccount = await joinedThroughApi("dave", inviteCode);
    const dave = await journey.openPage();
    await signInToGeneral(dave, journey.server.url, "dave", PASSWORD);
    await channelLink(dave, "#general").click();
    // Alice's devices are all signed out (her password was reset): nobody can add his yet.
    await messageItem(dave, "Waiting for a member’s device to share the keys").waitFor({ timeout: REASON_TIMEOUT_MS });
    expect(await dave.getByText("Decrypting…").count()).toBe(0);

    // He holds the only copy of his keys, is told so, and may still sign out.
    await signOut(dave);
    await dave.getByRole("dialog", { name: "You will lose your message history" }).waitFor();
    await dave.getByRole("button", { name: "Sign out anyway" }).click();
    await dave.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();

    // An account from before recovery keys still resets its password with its recovery code.
    await dave.getByRole("link", { name: "Forgot your password?" }).click();
    await dave.getByLabel("Username").fill("dave");
    await dave.getByLabel("Recovery key or recovery code").fill(daveAccount.recoveryCode);
    await dave.getByLabel("New password").fill(NEW_PASSWORD);
    await dave.getByRole("button", { name: "Reset password" }).click();
    await dave.getByRole("heading", { name: "Save your new recovery code now" }).waitFor();
    await dave.close();
  });
});

describe("a second browser", () => {
  it("tells bob at once why his earlier messages cannot be read there, and reads them once he enters his key", async () => {
    const laptop = await journey.openPage();
    await registerByInvite(laptop, "bob", bobsInviteCode);
    const bobKey = await saveRecoveryKey(laptop);
    await openGeneral(laptop);
    await sendAndBackUp(laptop, "bob", "bob's first words");

    const desk = await journey.openPage();
    await signInToGeneral(desk, journey.server.url, "bob", PASSWORD);
    await channelLink(desk, "#general").click();
    const started = Date.now();
    await messageItem(desk, LOCKED).first().waitFor({ timeout: REASON_TIMEOUT_MS });
    expect(Date.now() - started).toBeLessThan(REASON_TIMEOUT_MS);
    expect(await desk.getByText("Decrypting…").count()).toBe(0);
    await desk.screenshot({ path: join(SCREENSHOTS, "undecryptable-reasons.png") });

    await unlockWith(desk, bobKey);
    await messageItem(desk, "bob's first words").waitFor({ timeout: UNLOCK_TIMEOUT_MS });
    await expect.poll(() => desk.getByText(LOCKED).count(), { timeout: UNLOCK_TIMEOUT_MS }).toBe(0);
  });

  it("runs without a single Content-Security-Policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});
