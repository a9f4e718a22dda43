/**
 * The server as a curious operator: alice attaches a text file and a PNG through the
 * chat's "Attach files" control, with distinctive markers in the text file's name and
 * content and in the image's pixels and text chunk, sends them in #general, and bob
 * opens both (the image shown from its decrypted bytes, the text file downloaded with
 * its content). Then every table of PostgreSQL, every file under UPLOAD_DIR and the
 * rooms' storage is searched for the markers, as written, in base64 and in hex, and for
 * the signature of any image file a thumbnail would be: none may be there. Last, the
 * server lies:
 * it answers the image's id with the text file's bytes and flips a bit of the text
 * file, and bob's page says each was changed instead of showing another file
 * (docs/threat-model.md, docs/e2ee.md "Files").
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCommunityWith, registerOn, type Account } from "../support/accounts.ts";
import {
  browserJourney,
  channelLink,
  messageItem,
  waitUntilDelivered,
  openGeneral,
  signInToGeneral,
} from "../support/browser-journey.ts";
import { databaseAsText, IMAGE_SIGNATURES, markedPng, markersIn, storedFiles } from "../support/curious-server.ts";

const PASSWORD = "correct horse battery";
/** Files go through encryption, upload and download: seconds on a busy machine, not a poll interval. */
const FILE_TIMEOUT_MS = 30_000;
const CAPTION = "the ledger and the chart you asked for, marker-CAPTION-k2Qv";
const TEXT_NAME = "ledger-marker-NAME-v3Rt.txt";
/** Over three 64 KiB chunks, so the file is sealed as several. */
const TEXT_CONTENT = Buffer.from(
  Array.from({ length: 4000 }, (_, line) => `line ${line}: quarterly total marker-CONTENT-x9Lw ${line * 37}\n`).join(
    "",
  ),
);
const IMAGE_NAME = "chart-marker-IMAGENAME-p8Jd.png";
const IMAGE_COLOUR: [number, number, number] = [0x13, 0x57, 0x9b];
const IMAGE = markedPng({ width: 96, height: 64, rgb: IMAGE_COLOUR, text: "marker-PNGTEXT-f5Hs" });
/** Ten pixels of the image as the PNG holds them (RGB) and as a raw bitmap would (RGBA). */
const PIXELS_RGB = Buffer.from(Array.from({ length: 10 }, () => IMAGE_COLOUR).flat());
const PIXELS_RGBA = Buffer.from(Array.from({ length: 10 }, () => [...IMAGE_COLOUR, 0xff]).flat());

const MARKERS: Record<string, Buffer> = {
  "the text file's name": Buffer.from("marker-NAME-v3Rt"),
  "the text file's content": Buffer.from("marker-CONTENT-x9Lw"),
  "a line of the text file": TEXT_CONTENT.subarray(100, 160),
  "the image's name": Buffer.from("marker-IMAGENAME-p8Jd"),
  "the image's text chunk": Buffer.from("marker-PNGTEXT-f5Hs"),
  "the image's pixels (RGB)": PIXELS_RGB,
  "the image's pixels (RGBA)": PIXELS_RGBA,
  "the image file's bytes": IMAGE.subarray(IMAGE.length - 200, IMAGE.length - 140),
  "the caption": Buffer.from("marker-CAPTION-k2Qv"),
  ...IMAGE_SIGNATURES,
};

/** The directory the journey's server stores files in, chosen here so the test knows it. */
const uploadDir = mkdtempSync(join(tmpdir(), "chatalot-curious-uploads-"));
/** The rooms' own storage (SQLite per channel), the server's other place on disk. */
const roomDir = mkdtempSync(join(tmpdir(), "chatalot-curious-rooms-"));
const journey = browserJourney("files_curious_server", { UPLOAD_DIR: uploadDir, ROOM_STORAGE_DIR: roomDir });
let alice: Page;
let bob: Page;

beforeAll(async () => {
  // The bootstrap admin makes Acme (only admins may here) and lets alice and bob in.
  const admin = await registerOn(journey.server, "admin", PASSWORD);
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  await createCommunityWith(journey.server, admin, "Acme", [aliceAccount, bobAccount]);
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob")]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

afterAll(() => {
  for (const directory of [uploadDir, roomDir]) rmSync(directory, { recursive: true, force: true });
});

describe("files under a curious server", () => {
  it("lets alice attach a text file and an image through the composer and send them with a caption", async () => {
    const chooser = alice.waitForEvent("filechooser");
    await alice.getByRole("button", { name: "Attach files" }).click();
    await (
      await chooser
    ).setFiles([
      { name: TEXT_NAME, mimeType: "text/plain", buffer: TEXT_CONTENT },
      { name: IMAGE_NAME, mimeType: "image/png", buffer: IMAGE },
    ]);
    await alice.getByLabel("Message #general").fill(CAPTION);
    await alice.getByLabel("Message #general").press("Enter");
    await messageItem(alice, CAPTION).waitFor({ timeout: FILE_TIMEOUT_MS });
    await waitUntilDelivered(alice, FILE_TIMEOUT_MS);
  });

  it("shows bob the image from its decrypted bytes, and downloads the text file whole, by its name", async () => {
    const sent = messageItem(bob, CAPTION);
    await sent.waitFor({ timeout: FILE_TIMEOUT_MS });
    const image = sent.locator('img[src^="blob:"]');
    await image.waitFor({ timeout: FILE_TIMEOUT_MS });
    const [red, green, blue] = await middlePixel(image);
    // Re-encoded in alice's browser (which drops metadata); a lossy format may move a channel a little.
    expect(
      Math.abs(red - IMAGE_COLOUR[0]) + Math.abs(green - IMAGE_COLOUR[1]) + Math.abs(blue - IMAGE_COLOUR[2]),
    ).toBeLessThan(24);

    const download = bob.waitForEvent("download", { timeout: FILE_TIMEOUT_MS });
    await fileControl(sent, TEXT_NAME).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(TEXT_NAME);
    expect(readFileSync(await file.path()).equals(TEXT_CONTENT)).toBe(true);
  });

  it("leaves no marker, name or image in clear in any table of PostgreSQL", async () => {
    const stored = await journey.query<{ state: string; size: string; message_id: string | null }>(
      "select state, size, message_id from uploads",
    );
    // The files are there, complete and carried by the message: the search below looks at real data.
    expect(stored).toHaveLength(2);
    expect(stored.every((upload) => upload.state === "complete" && upload.message_id)).toBe(true);
    const { tables, text } = await databaseAsText(journey.database.url);
    expect(tables).toBeGreaterThan(20);
    // A control: the search finds what is meant to be in clear.
    expect(
      markersIn(text, { "alice's name": Buffer.from("alice"), "the channel": Buffer.from("general") }),
    ).toHaveLength(2);
    expect(markersIn(text, MARKERS)).toEqual([]);
  });

  it("leaves no marker, name or image in clear in the upload directory", async () => {
    const files = storedFiles(uploadDir);
    const sealed = files.filter((file) => file.path.includes("/files/") && !file.path.endsWith("*"));
    // A control: the parts are there, the sealed files' first parts open with the format's magic.
    const sealedBytes = sealed.reduce((total, file) => total + file.bytes.length, 0);
    expect(sealedBytes).toBeGreaterThan(TEXT_CONTENT.length);
    expect(files.filter((file) => file.bytes.subarray(0, 4).toString("latin1") === "CHF1")).toHaveLength(2);
    for (const file of files) expect(markersIn(file.bytes, MARKERS), file.path).toEqual([]);
    for (const file of files) expect(file.path).not.toMatch(/marker|ledger|chart|\.txt|\.png/i);
  });

  it("leaves no marker, name or image in clear in the rooms' storage", () => {
    const files = storedFiles(roomDir);
    // A control: #general's room stored something (its SQLite database).
    expect(files.some((file) => file.bytes.subarray(0, 15).toString("latin1") === "SQLite format 3")).toBe(true);
    for (const file of files) expect(markersIn(file.bytes, MARKERS), file.path).toEqual([]);
    expect(journey.problems).toEqual([]);
  });
});

describe("files under a lying server", () => {
  it("shows bob a file as changed, never another file, when the server swaps or alters the bytes", async () => {
    const [text, image] = await journey.query<{ id: string }>("select id from uploads order by size desc");
    // The server answers the image's id with the text file's bytes, and the text file with one bit flipped.
    await bob.route(`**/api/files/${image!.id}`, async (route) => {
      const other = await route.fetch({ url: route.request().url().replace(image!.id, text!.id) });
      await route.fulfill({ response: other });
    });
    await bob.route(`**/api/files/${text!.id}`, async (route) => {
      const real = await route.fetch();
      const body = await real.body();
      body[body.length >> 1]! ^= 1;
      await route.fulfill({ response: real, body });
    });
    try {
      await bob.reload();
      await openGeneral(bob);
      const sent = messageItem(bob, CAPTION);
      const refused = sent.getByText(/could not be verified: it was changed on the server/);
      await refused.first().waitFor({ timeout: FILE_TIMEOUT_MS });
      await fileControl(sent, TEXT_NAME).click();
      await expect.poll(() => refused.count(), { timeout: FILE_TIMEOUT_MS }).toBe(2);
      expect(await sent.locator('img[src^="blob:"]').count()).toBe(0);
    } finally {
      await bob.unrouteAll();
    }
  });
});

/** The file's control in a message: a link or button named by the file, as a person would click it. */
function fileControl(message: Locator, name: string): Locator {
  const named = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return message
    .getByRole("link", { name: named })
    .or(message.getByRole("button", { name: named }))
    .first();
}

/** The colour at the middle of a shown image, read back through a canvas. */
function middlePixel(image: Locator): Promise<number[]> {
  return image.evaluate(async (element: HTMLImageElement) => {
    await element.decode();
    const canvas = document.createElement("canvas");
    canvas.width = element.naturalWidth;
    canvas.height = element.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(element, 0, 0);
    return [...context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data];
  });
}

const signIn = (page: Page, username: string) => signInToGeneral(page, journey.server.url, username, PASSWORD);
