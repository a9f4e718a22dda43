/**
 * Pictures in a real browser (docs/files.md, "Pictures"): alice picks a photo in her
 * settings, crops it and applies it; bob, with Gardeners open, sees it beside her in
 * the member list and beside her message in #general, and the icon alice gives
 * Gardeners in his list of communities, with a banner on its page. One journey, in
 * order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import {
  browserJourney,
  communityLink,
  conversationLink,
  memberList,
  messageItem,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Changes reach an open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;
/** A first message sets up its channel's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;
/** Where the photo was taken, in a metadata block the page must leave behind. */
const SECRET_PLACE = "GPS 48.85837 2.29448";

// Alice, not an admin, makes the community.
const journey = browserJourney("browser_avatars", { COMMUNITY_CREATION_MODE: "open" });
let aliceAccount: Account;
let alice: Page;
let bob: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const gardeners = await as(aliceAccount, "POST", "/api/communities", { name: "Gardeners" }, 201);
  const { code } = await as(aliceAccount, "POST", `/api/communities/${gardeners.community.id}/invites`, {}, 201);
  await as(bobAccount, "POST", "/api/community-invites/accept", { code }, 200);

  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob")]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

describe("alice's avatar", () => {
  it("is picked, cropped square and applied in her settings, and shows at once", async () => {
    await alice.getByRole("link", { name: "User settings" }).click();
    const section = alice.getByRole("region", { name: "Avatar" });
    await section.getByRole("img", { name: "alice" }).waitFor();
    expect(await section.getByRole("img", { name: "alice" }).evaluate((element) => element.localName)).toBe("span");

    await pick(alice, section.getByRole("button", { name: "Change avatar" }), photo(640, 480, [46, 139, 87]));
    const cropper = alice.getByRole("group", { name: "Crop the avatar" });
    await cropper.locator("cropper-canvas").waitFor();
    await section.screenshot({ path: join(SCREENSHOTS, "avatar-editor.png") });
    await cropper.getByRole("button", { name: "Zoom in" }).click();
    await cropper.getByRole("button", { name: "Apply" }).click();
    await cropper.waitFor({ state: "detached" });

    const shown = section.locator("img.avatar");
    await expect.poll(() => shown.getAttribute("src")).toMatch(/^\/api\/pictures\/[0-9a-f-]{36}$/);
    expect(await naturalSize(shown)).toEqual({ width: 256, height: 256 });
    const src = await shown.getAttribute("src");

    // Drawn again through a canvas: the photo's metadata did not travel.
    const stored = Buffer.from(await (await fetch(`${journey.server.url}${src}`)).arrayBuffer());
    expect(stored.includes(SECRET_PLACE)).toBe(false);
  });

  it("shows beside her in bob's member list, without his reloading", async () => {
    const picture = memberList(bob).getByRole("img", { name: "alice", exact: true });
    await expect.poll(() => picture.getAttribute("src"), { timeout: LIVE_TIMEOUT_MS }).toMatch(/^\/api\/pictures\//);
    expect(await naturalSize(picture)).toEqual({ width: 256, height: 256 });
    // Bob has none: his initials on a colour of his own.
    expect(await memberList(bob).getByRole("img", { name: "bob", exact: true }).textContent()).toBe("BO");
    await memberList(bob).screenshot({ path: join(SCREENSHOTS, "avatars-member-list.png") });
  });

  it("shows beside her message in bob's timeline", async () => {
    // Back from her settings to the channel she had open.
    await alice.goBack();
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();
    await waitUntilConnected(alice);
    // The user panel shows the picture she just applied, without a reload.
    await alice.locator(".whoami img.avatar").waitFor();
    const composer = alice.getByLabel("Message #general");
    await composer.fill("the tomatoes are in");
    await composer.press("Enter");
    // The first message of two new devices waits for their channel's encryption group.
    await waitUntilDelivered(alice, DELIVERY_TIMEOUT_MS);
    const message = messageItem(bob, "the tomatoes are in");
    await message.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Decorative beside her name, which the header already says.
    const picture = message.locator(".message-gutter img.avatar");
    expect(await picture.getAttribute("src")).toBe(await alice.locator(".whoami img.avatar").getAttribute("src"));
    await bob.screenshot({ path: join(SCREENSHOTS, "avatars-timeline.png") });
  });

  it("shows beside her name in bob's direct messages", async () => {
    await memberList(bob).getByRole("button", { name: "Message alice" }).click();
    const picture = conversationLink(bob, "alice").locator("img.avatar");
    await picture.waitFor();
    expect(await picture.getAttribute("src")).toBe(await alice.locator(".whoami img.avatar").getAttribute("src"));

    // A new one reaches bob's list of conversations while it is open.
    const before = await picture.getAttribute("src");
    const changed = await fetch(`${journey.server.url}/api/me/avatar`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${aliceAccount.token}`, "Content-Type": "image/png" },
      body: new Uint8Array(photo(64, 64, [128, 0, 128])),
    });
    expect(changed.status).toBe(200);
    await expect.poll(() => picture.getAttribute("src"), { timeout: LIVE_TIMEOUT_MS }).not.toBe(before);
  });
});

describe("the community's icon", () => {
  it("set by alice, its owner, shows in bob's list of communities", async () => {
    await communityLink(alice, "Gardeners").click();
    // The pictures are in the community's settings, linked from its page.
    await alice.getByRole("link", { name: "community settings" }).click();
    await pick(alice, alice.getByRole("button", { name: "Change icon" }), photo(300, 300, [218, 165, 32]));
    await alice.getByRole("group", { name: "Crop the icon" }).getByRole("button", { name: "Apply" }).click();
    await alice.getByRole("button", { name: "Remove icon" }).waitFor();

    const icon = communityLink(bob, "Gardeners").locator("img.avatar");
    await expect.poll(() => icon.getAttribute("src"), { timeout: LIVE_TIMEOUT_MS }).toMatch(/^\/api\/pictures\//);
    expect(await naturalSize(icon)).toEqual({ width: 256, height: 256 });
  });

  it("comes with a banner across the community's page, cropped to 960×540", async () => {
    await pick(alice, alice.getByRole("button", { name: "Change banner" }), photo(1200, 500, [70, 130, 180]));
    await alice.getByRole("group", { name: "Crop the banner" }).getByRole("button", { name: "Apply" }).click();
    await alice.getByRole("button", { name: "Remove banner" }).waitFor();
    // Out of the settings, back on the community's page.
    await alice.keyboard.press("Escape");
    const banner = alice.locator("img.community-banner");
    await banner.waitFor();
    expect(await naturalSize(banner)).toEqual({ width: 960, height: 540 });
    await alice.setViewportSize({ width: 1280, height: 960 });
    await alice.getByRole("main").screenshot({ path: join(SCREENSHOTS, "community-pictures.png") });
    expect(journey.problems).toEqual([]);
  });
});

async function as(person: Account, method: string, path: string, body: unknown, status: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: person.token });
  expect(response.status, response.text).toBe(status);
  return response.body;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await communityLink(page, "Gardeners").waitFor();
}

async function openGeneral(page: Page): Promise<void> {
  await communityLink(page, "Gardeners").click();
  await page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: "#general" }).click();
  await page.getByRole("heading", { name: "#general", exact: true }).waitFor();
  await waitUntilConnected(page);
}

/** Chooses `file` through the file picker that `button` opens. */
async function pick(page: Page, button: Locator, file: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), button.click()]);
  await chooser.setFiles({ name: "photo.png", mimeType: "image/png", buffer: file });
}

async function naturalSize(image: Locator): Promise<{ width: number; height: number }> {
  await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).complete)).toBe(true);
  return image.evaluate((element) => {
    const { naturalWidth, naturalHeight } = element as HTMLImageElement;
    return { width: naturalWidth, height: naturalHeight };
  });
}

/** A PNG photo of one colour with a diagonal stripe, carrying where it was taken in a text block. */
function photo(width: number, height: number, [red, green, blue]: number[]): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const start = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const isStripe = Math.abs(x - y) < 20;
      rows.set(isStripe ? [255, 255, 255] : [red!, green!, blue!], start + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("tEXt", Buffer.from(`Comment\0${SECRET_PLACE}`)),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, check]);
}
