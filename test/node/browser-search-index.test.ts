/**
 * The device's search index as it rests in the browser, read raw from IndexedDB: it
 * holds alice's messages (opened with the device's own key, as the app does) and
 * none of their words in clear; a fresh browser restored from her recovery key fills
 * its index from history it never displayed, and follows edits and deletions in a
 * channel it does not have open; signing out deletes it. The search box
 * that queries it has its own journeys (browser-search.test.ts).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitUntilConnected } from "../support/browser.ts";
import {
  browserJourney,
  fillRegistrationKeepingKey,
  messageItem,
  waitUntilDelivered,
} from "../support/browser-journey.ts";

const PASSWORD = "correct horse battery";
/** Distinctive words that appear nowhere else: found in clear on disk, they would be a leak. */
const SENTENCE = "the zeppelin lands at quarter past nine";
const EDITED = "the airship lands at half past ten";
const BESIDE = "a lighthouse stands on the cape";
const EDITED_AGAIN = "the dirigible lands at noon";
/** The indexer starts a few seconds after the app opens, then reads a page a second at most. */
const INDEXED_TIMEOUT_MS = 30_000;
const UNLOCK_TIMEOUT_MS = 90_000;

// alice is the instance's admin here: she may create the community.
const journey = browserJourney("browser_search_index", { ADMIN_USERNAME: "alice" });
let alice: Page;
let recoveryKey = "";
let laptop: Page;

describe("the search index on the device", () => {
  it("holds alice's messages sealed: their words are nowhere on disk in clear", async () => {
    alice = await journey.openPage();
    await alice.goto(journey.server.url);
    await alice.getByRole("link", { name: "Create an account" }).click();
    recoveryKey = await fillRegistrationKeepingKey(alice, "alice", PASSWORD);
    await alice.getByLabel("Community name").fill("Acme");
    await alice.getByRole("button", { name: "Create community" }).click();
    await alice.getByRole("heading", { name: "#general" }).waitFor();
    await waitUntilConnected(alice);
    await send(alice, SENTENCE);
    await send(alice, "and a second message beside it");

    await expect.poll(() => openedText(alice), { timeout: INDEXED_TIMEOUT_MS }).toContain("zeppelin");
    const records = await searchRecords(alice);
    const sealed = records.filter((record) => record.kind === "sealed");
    expect(sealed.some((record) => record.name.startsWith("segment:"))).toBe(true);
    for (const record of sealed) {
      expect(record.raw).not.toMatch(/zeppelin|quarter past nine/);
      // Sealed bytes look random: gzip's header or a JSON brace would mean they were not.
      expect(record.raw.slice(0, 2)).not.toBe("\x1f\x8b");
      expect(record.raw.startsWith("{")).toBe(false);
    }
    // The key is stored for the browser to use, and cannot be read out of it.
    expect(records.filter((record) => record.kind === "key")).toEqual([
      { kind: "key", name: "key", extractable: false, algorithm: "AES-GCM" },
    ]);
  });

  it("replaces an edited message's words in the index, and drops a deleted one", async () => {
    await messageItem(alice, SENTENCE).getByRole("button", { name: "Edit", exact: true }).click();
    const editor = alice.getByLabel("Edit message");
    await editor.fill(EDITED);
    await editor.press("Enter");
    await alice.getByRole("log").getByText(EDITED).waitFor();
    await expect.poll(() => openedText(alice), { timeout: INDEXED_TIMEOUT_MS }).toContain("airship");
    expect(await openedText(alice)).not.toContain("zeppelin");

    await messageItem(alice, "a second message").getByRole("button", { name: "Delete", exact: true }).click();
    await alice.getByRole("button", { name: "Delete message", exact: true }).click();
    await messageItem(alice, "This message was deleted.").waitFor();
    await expect.poll(() => openedText(alice), { timeout: INDEXED_TIMEOUT_MS }).not.toContain("second message");
  });

  it("fills a restored browser's index from history it never displayed", async () => {
    await send(alice, BESIDE);
    laptop = await journey.openPage();
    // Its sweep for edits and deletions runs every second here (five minutes by default).
    await laptop.addInitScript(() => localStorage.setItem("chatalot-search-sweep-ms", "1000"));
    await laptop.goto(`${journey.server.url}/sign-in`);
    await laptop.getByLabel("Username").fill("alice");
    await laptop.getByLabel("Password").fill(PASSWORD);
    await laptop.getByRole("button", { name: "Sign in", exact: true }).click();
    // The list of communities, not a channel: no chat opens, so only the background indexer can find the message.
    await laptop.getByRole("heading", { name: "Communities" }).waitFor();
    await laptop.getByLabel("Recovery key", { exact: true }).fill(recoveryKey);
    await laptop.getByRole("button", { name: "Unlock" }).click();
    await laptop
      .getByRole("heading", { name: "Unlock your encrypted messages on this device" })
      .waitFor({ state: "detached", timeout: UNLOCK_TIMEOUT_MS });
    await expect.poll(() => openedText(laptop), { timeout: INDEXED_TIMEOUT_MS }).toContain("lighthouse");
    expect(await openedText(laptop)).toContain("airship");
    expect(await openedText(laptop)).not.toContain("second message");
    expect(await laptop.getByRole("log").count()).toBe(0);
  });

  it("follows edits and deletions in a channel the restored browser does not have open", async () => {
    await messageItem(alice, EDITED).getByRole("button", { name: "Edit", exact: true }).click();
    const editor = alice.getByLabel("Edit message");
    // The editor opens holding the message: filling it before then would add to it.
    await expect.poll(() => editor.inputValue()).toBe(EDITED);
    await editor.fill(EDITED_AGAIN);
    await editor.press("Enter");
    await alice.getByRole("log").getByText(EDITED_AGAIN).waitFor();
    await messageItem(alice, BESIDE).getByRole("button", { name: "Delete", exact: true }).click();
    await alice.getByRole("button", { name: "Delete message", exact: true }).click();
    await messageItem(alice, BESIDE).waitFor({ state: "detached" });

    // No new message follows: only the laptop's sweep (sinceEvent) can bring these changes.
    await expect
      .poll(() => openedText(laptop), { timeout: INDEXED_TIMEOUT_MS })
      .toMatch(/^(?![\s\S]*(airship|lighthouse))[\s\S]*dirigible/);
    expect(await laptop.getByRole("log").count()).toBe(0);
    await laptop.context().close();
  });

  it("deletes the index, key and all, when alice signs out", async () => {
    expect((await searchRecords(alice)).length).toBeGreaterThan(0);
    const button = alice.getByRole("button", { name: "Sign out", exact: true });
    if (!(await button.isVisible())) await alice.getByRole("button", { name: "Account menu" }).click();
    await button.click();
    await alice.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
    expect(await searchRecords(alice)).toEqual([]);
    expect(journey.problems).toEqual([]);
  });
});

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message #general").fill(text);
  await page.getByLabel("Message #general").press("Enter");
  await waitUntilDelivered(page);
}

type SearchRecord =
  | { kind: "key"; name: string; extractable: boolean; algorithm: string }
  /** `raw`: the sealed bytes as Latin-1; `opened`: decrypted with the stored key and gunzipped. */
  | { kind: "sealed"; name: string; raw: string; opened: string };

/** Every record of the page's search databases, as IndexedDB holds it, and opened as the app would. */
function searchRecords(page: Page): Promise<SearchRecord[]> {
  return page.evaluate(async () => {
    const done = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const records: SearchRecord[] = [];
    const names = (await indexedDB.databases()).map((info) => info.name ?? "");
    for (const name of names.filter((candidate) => candidate.startsWith("chatalot-search-"))) {
      const database = await done(indexedDB.open(name));
      if (!database.objectStoreNames.contains("index")) continue;
      const store = database.transaction("index").objectStore("index");
      const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
      database.close();
      const key = values.find((value) => value instanceof CryptoKey) as CryptoKey | undefined;
      for (const [index, value] of values.entries()) {
        const recordName = String(keys[index]);
        if (value instanceof CryptoKey) {
          const algorithm = (value.algorithm as { name: string }).name;
          records.push({ kind: "key", name: recordName, extractable: value.extractable, algorithm });
          continue;
        }
        const { iv, data } = value as { iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer };
        let raw = "";
        for (const byte of new Uint8Array(data)) raw += String.fromCharCode(byte);
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key!, data);
        const inflated = new Blob([plain]).stream().pipeThrough(new DecompressionStream("gzip"));
        records.push({ kind: "sealed", name: recordName, raw, opened: await new Response(inflated).text() });
      }
    }
    return records;
  });
}

/** What the index holds, opened: every sealed record's JSON, together. */
async function openedText(page: Page): Promise<string> {
  const records = await searchRecords(page);
  return records.map((record) => (record.kind === "sealed" ? record.opened : "")).join("\n");
}
