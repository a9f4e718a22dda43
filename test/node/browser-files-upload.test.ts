/**
 * Sending files from the web app in a real browser: alice pastes a screenshot with a
 * caption and bob sees it inline; a 25 MiB file whose upload loses the network
 * halfway resumes where the server stood and reaches bob byte for byte; a file over
 * alice's quota is refused in words with her figures; a cancelled upload is gone from
 * the server. One journey, in order: the quota step counts what the earlier ones stored.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealedFileBytes, UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import {
  browserJourney,
  channelLink,
  messageItem,
  waitUntilDelivered,
  openGeneral,
  signInToGeneral,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const MIB = 1024 * 1024;
/** The largest file the server takes by default (UPLOAD_MAX_BYTES). */
const LARGE_FILE_BYTES = 25 * MIB;
/** Room for the large file and a screenshot, not for a further 6 MiB. */
const QUOTA_BYTES = 30 * MIB;
/** 25 MiB through encryption and 25 parts on a machine shared by several test runs. */
const LARGE_FILE_TIMEOUT_MS = 120_000;

const journey = browserJourney("browser_files_upload", {
  UPLOAD_QUOTA_BYTES: String(QUOTA_BYTES),
  // alice, not an instance admin, makes the community.
  COMMUNITY_CREATION_MODE: "open",
});
let alice: Page;
let bob: Page;
let aliceAccount: Account;
/** Files alice picks: a path hands the browser a large file at once, where a buffer would crawl over the protocol. */
let pickedFiles = "";

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  pickedFiles = mkdtempSync(join(tmpdir(), "chatalot-files-"));
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const acme = await call(journey.server, "/api/communities", { body: { name: "Acme" }, token: aliceAccount.token });
  expect(acme.status, acme.text).toBe(201);
  const invite = await call(journey.server, `/api/communities/${acme.body.community.id}/invites`, {
    body: {},
    token: aliceAccount.token,
  });
  expect(invite.status, invite.text).toBe(201);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code: invite.body.code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);

  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob")]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
}, 120_000);

afterAll(() => rmSync(pickedFiles, { recursive: true, force: true }));

describe("alice sends files to bob in #general", () => {
  it("pastes a screenshot with a caption, and bob sees it inline", async () => {
    await pasteScreenshot(alice, "image.png");
    const card = tray(alice).getByRole("listitem", { name: "image.png" });
    await card.locator("img").waitFor(); // its thumbnail, decorative: the card's name says what it is
    await card.getByText(/^\d+(\.\d)? KB$/).waitFor(); // stored: the size alone
    await screenshot(alice, "files-composer-pasted.png");

    await alice.getByLabel("Message #general").fill("the new dashboard");
    await alice.getByLabel("Message #general").press("Enter");
    await expect.poll(() => tray(alice).getByRole("listitem").count()).toBe(0);
    await waitUntilDelivered(alice);

    const seen = messageItem(bob, "the new dashboard");
    const image = seen.getByRole("img", { name: "image.png" });
    await image.waitFor();
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(640);
  });

  it("drops two files on the channel, one marked as a spoiler, and bob sees it covered", async () => {
    const files = await dataTransferOf(alice, [
      { name: "plan.png", type: "image/png", base64: await drawChart(alice) },
      { name: "notes.txt", type: "text/plain", base64: Buffer.from("bring the cake\n").toString("base64") },
    ]);
    const log = alice.getByRole("log");
    await log.dispatchEvent("dragenter", { dataTransfer: files });
    await log.dispatchEvent("dragover", { dataTransfer: files });
    await alice.getByRole("status").filter({ hasText: "Upload to #general" }).waitFor();
    await screenshot(alice, "files-drop-zone.png");
    await log.dispatchEvent("drop", { dataTransfer: files });
    await expect.poll(() => alice.getByRole("status").filter({ hasText: "Upload to #general" }).count()).toBe(0);

    const plan = tray(alice).getByRole("listitem", { name: "plan.png" });
    await tray(alice).getByRole("listitem", { name: "notes.txt" }).waitFor();
    await plan.getByRole("button", { name: "Mark as spoiler" }).click();
    await expect
      .poll(() => plan.getByRole("button", { name: "Mark as spoiler" }).getAttribute("aria-pressed"))
      .toBe("true");
    await screenshot(alice, "files-composer-tray.png");
    // No caption: the files are the message.
    await alice.getByRole("button", { name: "Send", exact: true }).click();
    await waitUntilDelivered(alice);

    const seen = messageItem(bob, "notes.txt");
    await seen.getByRole("button", { name: "Download notes.txt" }).waitFor();
    // By keyboard: a click could land elsewhere while the images above still settle the list.
    await seen.getByRole("button", { name: "Show spoiler" }).press("Enter");
    await seen.getByRole("img", { name: "plan.png" }).waitFor();
  });

  it(
    "resumes a 25 MiB upload cut off halfway, and bob downloads the very same bytes",
    async () => {
      const bytes = randomBytes(LARGE_FILE_BYTES);
      await pick(alice, "backup.bin", bytes);
      const card = tray(alice).getByRole("listitem", { name: "backup.bin" });

      // Some parts are stored when the line goes.
      await expect
        .poll(() => receivedOf(), { timeout: LARGE_FILE_TIMEOUT_MS, interval: 20 })
        .toBeGreaterThanOrEqual(10 * MIB);
      await alice.context().setOffline(true);
      await card.getByText(/waiting for the connection/).waitFor();
      const storedWhenCut = await receivedOf();
      expect(storedWhenCut).toBeLessThan(LARGE_FILE_BYTES);
      await screenshot(alice, "files-upload-waiting.png");

      // Sent while offline, the message shows at once, pending, with its file's progress.
      await alice.getByLabel("Message #general").fill("last night's backup");
      await alice.getByLabel("Message #general").press("Enter");
      const pending = messageItem(alice, "last night's backup");
      await pending.getByRole("progressbar", { name: "Upload of backup.bin" }).waitFor();
      await pending.getByText(/waiting for the connection/).waitFor();
      await screenshot(alice, "files-message-uploading.png");
      expect(await receivedOf()).toBe(storedWhenCut);

      await alice.context().setOffline(false);
      await waitUntilDelivered(alice, LARGE_FILE_TIMEOUT_MS);
      const [upload] = await journey.query<{ received: number; size: number; state: string }>(
        `select received::int, size::int, state from uploads where size > $1`,
        [LARGE_FILE_BYTES],
      );
      expect(upload).toMatchObject({ state: "complete" });
      expect(upload!.received).toBe(upload!.size);

      const download = messageItem(bob, "last night's backup").getByRole("button", { name: "Download backup.bin" });
      const [saved] = await Promise.all([
        bob.waitForEvent("download", { timeout: LARGE_FILE_TIMEOUT_MS }),
        download.click(),
      ]);
      expect(saved.suggestedFilename()).toBe("backup.bin");
      const received = readFileSync((await saved.path())!);
      expect(sha256(received)).toBe(sha256(bytes));
    },
    3 * LARGE_FILE_TIMEOUT_MS,
  );

  it("tells alice in words when a file does not fit in her quota", async () => {
    await pick(alice, "holiday.mov", randomBytes(6 * MIB));
    const card = tray(alice).getByRole("listitem", { name: "holiday.mov" });
    await card.getByText("Your files use 25 MB of 30 MB: holiday.mov (6 MB) does not fit", { exact: false }).waitFor();
    await screenshot(alice, "files-over-quota.png");
    await card.getByRole("button", { name: "Remove" }).click();
    await expect.poll(() => tray(alice).getByRole("listitem").count()).toBe(0);
  });

  it("cancels an upload, and the server no longer has it", async () => {
    await pick(alice, "draft.pdf", randomBytes(4 * MIB));
    await expect.poll(() => unsentUploadIds(), { interval: 20 }).toHaveLength(1);
    const [uploadId] = await unsentUploadIds();
    await tray(alice)
      .getByRole("listitem", { name: "draft.pdf" })
      .getByRole("button", { name: /^(Cancel upload|Remove)$/ })
      .click();
    await expect.poll(() => tray(alice).getByRole("listitem").count()).toBe(0);

    await expect
      .poll(async () => (await call(journey.server, `/api/uploads/${uploadId}`, { token: aliceAccount.token })).status)
      .toBe(404);
    expect(await unsentUploadIds()).toEqual([]);
  });

  it("goes on from where the server stands when a part's answer is lost, storing no part twice", async () => {
    const bytes = randomBytes(3 * MIB);
    let patches = 0;
    let lostAnswers = 0;
    // The second part reaches the server, which stores it; its answer never reaches the page.
    await alice.route("**/api/uploads/*", async (route) => {
      if (route.request().method() !== "PATCH" || ++patches !== 2) return route.continue();
      const response = await route.fetch();
      expect(response.status()).toBe(200);
      lostAnswers += 1;
      await route.abort("connectionreset");
    });
    try {
      await pick(alice, "minutes.bin", bytes);
      await alice.getByLabel("Message #general").fill("the minutes");
      await alice.getByLabel("Message #general").press("Enter");
      await waitUntilDelivered(alice, LARGE_FILE_TIMEOUT_MS);
    } finally {
      await alice.unroute("**/api/uploads/*");
    }
    expect(lostAnswers).toBe(1);
    // One request a part, the second's answer learnt by asking where the upload stands: no part was sent twice.
    expect(patches).toBe(Math.ceil(sealedFileBytes(bytes.byteLength) / UPLOAD_PART_BYTES));

    const download = messageItem(bob, "the minutes").getByRole("button", { name: "Download minutes.bin" });
    const [saved] = await Promise.all([bob.waitForEvent("download"), download.click()]);
    expect(sha256(readFileSync((await saved.path())!))).toBe(sha256(bytes));
  });

  it("keeps bob from attaching files once alice denies him ATTACH_FILES, and says why", async () => {
    const attach = bob.getByRole("button", { name: "Attach files" });
    expect(await attach.isEnabled()).toBe(true);
    const [general] = await journey.query<{ id: string }>(`select id from channels where name = 'general'`);
    const bobId = (await journey.query<{ id: string }>(`select id from users where username = 'bob'`))[0]!.id;
    const denied = await call(journey.server, `/api/channels/${general!.id}/overrides/members/${bobId}`, {
      method: "PUT",
      body: { deny: ["ATTACH_FILES"] },
      token: aliceAccount.token,
    });
    expect(denied.status, denied.text).toBe(204);

    await expect.poll(() => attach.isDisabled()).toBe(true);
    expect(await attach.getAttribute("title")).toBe("You do not have permission to attach files in #general.");
    await pasteScreenshot(bob, "image.png");
    // Said where the files would have gone (the button's own reason is hidden text for screen readers).
    await bob
      .getByRole("status")
      .filter({ hasText: "You do not have permission to attach files in #general." })
      .waitFor();
    await expect.poll(() => tray(bob).count()).toBe(0);
    expect(journey.problems).toEqual([]);
  });
});

const signIn = (page: Page, username: string) => signInToGeneral(page, journey.server.url, username, PASSWORD);

const tray = (page: Page) => page.getByRole("list", { name: "Files to send" });
/** Alice chooses a file in the picker "Attach files" opens (Playwright answers the system dialog). */
async function pick(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const path = join(pickedFiles, name);
  writeFileSync(path, bytes);
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    page.getByRole("button", { name: "Attach files" }).click(),
  ]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(path);
}

/** A screenshot-like PNG (640×400), drawn by the page's canvas: base64. */
function drawChart(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 400);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#1e2a44";
    context.fillRect(0, 0, 640, 400);
    context.fillStyle = "#7aa2ff";
    for (let bar = 0; bar < 8; bar++) context.fillRect(40 + bar * 70, 360 - bar * 35, 50, bar * 35 + 10);
    context.fillStyle = "#ffffff";
    context.font = "28px sans-serif";
    context.fillText("Weekly active people", 40, 50);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer());
    return btoa(Array.from(png, (byte) => String.fromCharCode(byte)).join(""));
  });
}

/** Files as the page's drag and drop or clipboard carries them. */
function dataTransferOf(page: Page, files: { name: string; type: string; base64: string }[]) {
  return page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const { name, type, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { type }));
    }
    return transfer;
  }, files);
}

/** A screenshot pasted into the composer, as the clipboard gives it. */
async function pasteScreenshot(page: Page, name: string): Promise<void> {
  const clipboard = await dataTransferOf(page, [{ name, type: "image/png", base64: await drawChart(page) }]);
  await page.getByLabel("Message #general").focus();
  await page.evaluate((clipboardData) => {
    const paste = new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(paste);
  }, clipboard);
}

/** Bytes the server holds of the large file's upload (the only one that large). */
async function receivedOf(): Promise<number> {
  const rows = await journey.query<{ received: number }>(
    `select received::int from uploads where size > $1 and message_id is null order by created_at desc limit 1`,
    [LARGE_FILE_BYTES],
  );
  return rows[0]?.received ?? 0;
}

async function unsentUploadIds(): Promise<string[]> {
  const rows = await journey.query<{ id: string }>(
    `select u.id from uploads u join users p on p.id = u.owner_id
     where p.username = 'alice' and u.message_id is null and u.state <> 'deleting'`,
  );
  return rows.map((row) => row.id);
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function screenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1100, height: 760 });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, name) });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}
