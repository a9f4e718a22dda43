/**
 * Files as a reader sees them, in a real browser. Alice attaches files through
 * #general's composer: two photos with a caption, a phone photo carrying GPS
 * coordinates in its EXIF, a spoiler, and a short video with her notes. Bob sees
 * each image inline at its final size, its blurred placeholder first, walks the
 * lightbox with the arrow keys, downloads the phone photo and finds no EXIF in it,
 * uncovers the spoiler, plays and seeks the video and saves the notes under their
 * name. One journey, in order; each step builds on the last.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import {
  browserJourney,
  channelLink,
  waitUntilDelivered,
  openGeneral,
  signInToGeneral,
} from "../support/browser-journey.ts";
import {
  drawnImage,
  hasExif,
  jpegSegments,
  recordedVideo,
  withGpsExif,
  type FixtureFile,
} from "../support/media-fixtures.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Real-time means seconds, not a poll interval. */
const LIVE_TIMEOUT_MS = 10_000;
const NOTES = "bring: tent, stove, the good coffee\n";

// Alice starts her own community: anyone may on this server.
const journey = browserJourney("browser_files_view", { COMMUNITY_CREATION_MODE: "open" });
let aliceAccount: Account;
let alice: Page;
let bob: Page;
/** Bob's file downloads wait here while the test looks at what he sees before they arrive. */
let releaseBobsFiles: () => void = () => undefined;

const files: Record<string, FixtureFile> = {};

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const acmeId = (await asAlice("POST", "/api/communities", { name: "Acme" }, 201)).community.id;
  const { code } = await asAlice("POST", `/api/communities/${acmeId}/invites`, {}, 201);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);

  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  // A laptop's width: beside the rail, the channels and the member list, the timeline still
  // gives images their full 400 px (on a narrower window they shrink to fit).
  await Promise.all([alice, bob].map((page) => page.setViewportSize({ width: 1280, height: 800 })));
  // The files: drawn and recorded by Chromium, then handed to alice's file picker.
  const workshop = await journey.openPage();
  files.sunset = await drawnImage(workshop, "sunset.png", "image/png", 1200, 800, ["#f28c28", "#7a2e8e"]);
  files.portrait = await drawnImage(workshop, "portrait.jpg", "image/jpeg", 600, 900, ["#2e6b8e", "#e8d8a8"]);
  files.phone = withGpsExif(await drawnImage(workshop, "where-i-live.jpg", "image/jpeg", 320, 240, ["#355", "#dd4"]));
  files.ending = await drawnImage(workshop, "ending.png", "image/png", 800, 450, ["#111", "#c00"]);
  files.clip = await recordedVideo(workshop, "clip.webm", 2_000);
  files.notes = { name: "packing-list.txt", mimeType: "text/plain", buffer: Buffer.from(NOTES) };
  await workshop.context().close();

  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob")]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

describe("alice's files, as bob sees them in #general", () => {
  it("shows bob the photos at their final size with a blurred placeholder before they load", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    releaseBobsFiles = release;
    await bob.route("**/api/files/*", async (route) => {
      await held;
      await route.continue();
    });

    await attach(alice, [files.sunset!, files.portrait!], { caption: "holiday photos" });
    const sunset = imageButton(bob, "sunset.png");
    await sunset.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // 1200×800 fits 400×300 at 400×267; 600×900 at 200×300: never larger, never stretched.
    expect(await sizeOf(sunset)).toEqual({ width: 400, height: 267 });
    expect(await sizeOf(imageButton(bob, "portrait.jpg"))).toEqual({ width: 200, height: 300 });
    await expect.poll(() => hasPlaceholderColour(sunset)).toBe(true);
    expect(await sunset.getByRole("img").count()).toBe(0);

    releaseBobsFiles();
    await sunset.getByRole("img", { name: "sunset.png" }).waitFor();
    await expect.poll(() => isDrawn(sunset.getByRole("img"))).toBe(true);
    // The image arrived into the place its placeholder held: nothing moved.
    expect(await sizeOf(sunset)).toEqual({ width: 400, height: 267 });
    await message(bob, "holiday photos").waitFor();
    await bob.unroute("**/api/files/*");
    await screenshot(bob, "files-timeline.png");
  });

  it("shows a message of files alone without an empty text line", async () => {
    await attach(alice, [files.phone!]);
    const phone = imageButton(bob, "where-i-live.jpg");
    await phone.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await sizeOf(phone)).toEqual({ width: 320, height: 240 });
    const item = bob.getByRole("log").getByRole("listitem").filter({ has: phone });
    expect(await item.locator(".message-text").count()).toBe(0);
  });

  it("opens the lightbox on a photo, goes to the next with the arrow keys, and closes on Esc", async () => {
    await imageButton(bob, "sunset.png").click();
    const lightbox = bob.getByRole("dialog", { name: "Images in this channel" });
    await lightbox.waitFor();
    await lightbox.getByText("1 of 3", { exact: true }).waitFor();
    await expect.poll(() => shownSlide(bob)).toBe("sunset.png");
    await screenshot(bob, "files-lightbox.png");

    await bob.keyboard.press("ArrowRight");
    await lightbox.getByText("2 of 3", { exact: true }).waitFor();
    await expect.poll(() => shownSlide(bob)).toBe("portrait.jpg");
    await bob.keyboard.press("ArrowLeft");
    await lightbox.getByText("1 of 3", { exact: true }).waitFor();

    await bob.keyboard.press("Escape");
    await lightbox.waitFor({ state: "detached" });
  });

  it("gives bob alice's phone photo without the GPS coordinates its EXIF carried", async () => {
    // The photo alice picked carried them: the test would see them if they came through.
    expect(hasExif(files.phone!.buffer)).toBe(true);

    await imageButton(bob, "where-i-live.jpg").click();
    const lightbox = bob.getByRole("dialog", { name: "Images in this channel" });
    await lightbox.getByText("3 of 3", { exact: true }).waitFor();
    const [download] = await Promise.all([
      bob.waitForEvent("download"),
      lightbox.getByRole("button", { name: "Download image" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("where-i-live.jpg");
    const saved = readFileSync((await download.path())!);
    expect(hasExif(saved)).toBe(false);
    // No APP1 block (EXIF, XMP) of any kind, and no trace of the coordinates' IFD.
    expect(jpegSegments(saved).filter((segment) => segment.marker === 0xe1)).toEqual([]);
    expect(saved.includes(Buffer.from("Exif\0\0", "latin1"))).toBe(false);
    await bob.keyboard.press("Escape");
    await lightbox.waitFor({ state: "detached" });
  });

  it("keeps a spoiler covered until bob clicks it", async () => {
    await attach(alice, [files.ending!], { caption: "how it ends", spoiler: true });
    const item = message(bob, "how it ends");
    const cover = item.getByRole("button", { name: "Show spoiler" });
    await cover.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Covered: no image, not even its name, and the cover holds the image's place (800×450 at 400×225).
    expect(await item.locator("img").count()).toBe(0);
    expect(await item.getByText("ending.png").count()).toBe(0);
    expect(await imageButton(bob, "ending.png").count()).toBe(0);
    expect(await sizeOf(cover)).toEqual({ width: 400, height: 225 });
    await screenshot(bob, "files-spoiler.png");

    await cover.press("Enter");
    await imageButton(bob, "ending.png").getByRole("img", { name: "ending.png" }).waitFor();
    await expect.poll(() => isDrawn(imageButton(bob, "ending.png").getByRole("img"))).toBe(true);
  });

  it("plays bob the video and seeks in it, and saves alice's notes under their name", async () => {
    await attach(alice, [files.clip!, files.notes!], { caption: "the clip and the list" });
    const item = message(bob, "the clip and the list");
    const video = item.getByLabel("Video clip.webm");
    await video.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await video.evaluate(async (element: HTMLVideoElement) => {
      element.muted = true;
      await element.play();
      await new Promise((resolve) => element.addEventListener("timeupdate", resolve, { once: true }));
      element.pause();
    });
    const seekedTo = await video.evaluate(async (element: HTMLVideoElement) => {
      const seeked = new Promise((resolve) => element.addEventListener("seeked", resolve, { once: true }));
      element.currentTime = 1.5;
      await seeked;
      return element.currentTime;
    });
    expect(seekedTo).toBeCloseTo(1.5, 0);

    const card = item.getByRole("listitem").filter({ hasText: "packing-list.txt" });
    await card.getByText(`${NOTES.length} bytes`).waitFor();
    await screenshot(bob, "files-card.png");
    const [download] = await Promise.all([
      bob.waitForEvent("download"),
      card.getByRole("button", { name: "Download packing-list.txt" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("packing-list.txt");
    expect(readFileSync((await download.path())!, "utf8")).toBe(NOTES);
  });

  it("tells bob in words when the server changed a file or says it is gone, and tries again", async () => {
    // The server is the attacker: one byte of the image flipped, then the card's file "not found".
    let lie: "flip a byte" | "not found" | "none" = "flip a byte";
    await bob.route("**/api/files/*", async (route) => {
      if (lie === "none") return route.continue();
      if (lie === "not found") {
        await route.fulfill({ status: 404, json: { error: { code: "not_found", message: "no such file" } } });
        return;
      }
      const response = await route.fetch();
      const body = await response.body();
      body[body.length - 40] ^= 0x01;
      await route.fulfill({ response, body });
    });
    const receipt = await drawnImage(alice, "receipt.png", "image/png", 300, 200, ["#fff", "#333"]);
    const minutes = { name: "minutes.txt", mimeType: "text/plain", buffer: Buffer.from("nothing decided\n") };
    await attach(alice, [receipt, minutes], { caption: "for the records" });

    const item = message(bob, "for the records");
    await item
      .getByText("This file could not be verified: it was changed on the server. Click to try again.", {
        exact: true,
      })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await item.locator("img").count()).toBe(0);
    lie = "not found";
    await item.getByRole("button", { name: "Download minutes.txt" }).click();
    await item.getByText("This file was removed", { exact: true }).waitFor();

    // Once the server tells the truth again, trying again shows the image.
    lie = "none";
    await item.getByRole("button", { name: "Try loading image receipt.png again" }).click();
    await imageButton(bob, "receipt.png").getByRole("img", { name: "receipt.png" }).waitFor();
    await bob.unroute("**/api/files/*");
  });

  it("printed no page errors and broke no CSP rule", () => {
    expect(journey.problems).toEqual([]);
  });
});

async function asAlice(method: string, path: string, body: unknown, expectedStatus: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: aliceAccount.token });
  expect(response.status, `${method} ${path}: ${response.text}`).toBe(expectedStatus);
  return response.body;
}

const signIn = (page: Page, username: string) => signInToGeneral(page, journey.server.url, username, PASSWORD);

/** Alice picks files in the composer, marks them a spoiler if asked, writes the caption and sends. */
async function attach(page: Page, picked: FixtureFile[], options: { caption?: string; spoiler?: boolean } = {}) {
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    page.getByRole("button", { name: "Attach files" }).click(),
  ]);
  await chooser.setFiles(picked);
  const tray = page.getByRole("list", { name: "Files to send" });
  if (options.spoiler) {
    for (const file of picked) {
      await tray.getByRole("listitem", { name: file.name }).getByRole("button", { name: "Mark as spoiler" }).click();
    }
  }
  const composer = page.getByLabel("Message #general");
  await composer.fill(options.caption ?? "");
  await composer.press("Enter");
  await waitUntilDelivered(page, LIVE_TIMEOUT_MS);
}

const message = (page: Page, text: string) =>
  page
    .getByRole("log")
    .getByRole("listitem")
    .filter({ has: page.getByText(text, { exact: true }) });

const imageButton = (page: Page, name: string) =>
  page.getByRole("log").getByRole("button", { name: `Open image ${name}`, exact: true });

/** The image the lightbox shows now (drawn, at the middle of the screen): its name, or null. */
const shownSlide = (page: Page) =>
  page.evaluate(() => {
    const [x, y] = [innerWidth / 2, innerHeight / 2];
    const images = Array.from(document.querySelectorAll<HTMLImageElement>(".pswp img.pswp__img"));
    const shown = images.find((image) => {
      const box = image.getBoundingClientRect();
      return box.left <= x && x <= box.right && box.top <= y && y <= box.bottom;
    });
    return shown?.complete && shown.naturalWidth > 0 ? shown.alt : null;
  });

async function sizeOf(locator: Locator): Promise<{ width: number; height: number }> {
  const box = (await locator.boundingBox())!;
  return { width: Math.round(box.width), height: Math.round(box.height) };
}

/** The placeholder canvas holds the blurhash's colours (not a blank, transparent box). */
const hasPlaceholderColour = (button: Locator) =>
  button.evaluate((element) => {
    const canvas = element.querySelector("canvas");
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return false;
    const [, , , alpha] = context.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    return alpha === 255;
  });

const isDrawn = (image: Locator) =>
  image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0);

/** Wide enough for the sidebar and the messages to show. */
async function screenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, name) });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}
