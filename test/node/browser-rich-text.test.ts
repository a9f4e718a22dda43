/**
 * Rich text in a real browser: alice writes Discord's markdown in #general through
 * the composer (bold, underline, code, quotes, lists, headings, links, spoilers, a
 * highlighted code block, emoji alone, raw HTML) and bob sees each one formatted,
 * safely: no link that is not http(s) or mailto, no HTML from a message, and the
 * highlighter downloaded only once a code block shows. One journey, in order.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seriousAxeFindings } from "../support/axe.ts";
import { createCommunityWith, registerOn } from "../support/accounts.ts";
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
/** A first message sets up its channel's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;
const LIVE_TIMEOUT_MS = 5_000;
/** The highlighter's chunk, named after web/src/components/rich-text/highlight-code.ts. */
const HIGHLIGHTER_CHUNK = /\/highlight-code[^/]*\.js$/;

// Alice, not an admin, makes the community.
/** axe-core, evaluated in the page (as DevTools does: the page's CSP does not apply to it). */

const journey = browserJourney("browser_rich_text", { COMMUNITY_CREATION_MODE: "open" });
let alice: Page;
let bob: Page;
/** Every script bob's page asked for, to see when the highlighter came. */
const bobScripts: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  await createCommunityWith(journey.server, aliceAccount, "Acme", [bobAccount]);
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  bob.on("request", (request) => void (request.resourceType() === "script" && bobScripts.push(request.url())));
  await Promise.all([
    signInToGeneral(alice, journey.server.url, "alice", PASSWORD),
    signInToGeneral(bob, journey.server.url, "bob", PASSWORD),
  ]);
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

/** Alice sends `text` through the composer; bob's copy of it, once it reached him. */
async function aliceSends(text: string, seenBy: string) {
  const composer = alice.getByLabel("Message #general");
  await composer.fill(text);
  await composer.press("Enter");
  await waitUntilDelivered(alice, DELIVERY_TIMEOUT_MS);
  const message = messageItem(bob, seenBy);
  await message.waitFor({ timeout: LIVE_TIMEOUT_MS });
  return message;
}

describe("bob reading alice's formatting", () => {
  it("shows bold, italic, __underline__, strike and inline code as Discord does", async () => {
    const message = await aliceSends("**bold** *italic* __under__ ~~gone~~ `npm test`", "npm test");
    expect(await message.locator("strong").textContent()).toBe("bold");
    expect(await message.locator("em").textContent()).toBe("italic");
    expect(await message.locator("u").textContent()).toBe("under");
    expect(await message.locator("s").textContent()).toBe("gone");
    expect(await message.locator("code").textContent()).toBe("npm test");
  });

  it("shows a small heading, a one-line quote, lists, and keeps @mentions apart", async () => {
    const message = await aliceSends(
      "# Release plan\n> the build is green\nthen we ship, @bob\n- tag it\n- announce it\n- [ ] review it\n1. first\n2. second\n-# small print",
      "Release plan",
    );
    await message.getByRole("heading", { name: "Release plan", level: 3 }).waitFor();
    const quote = message.locator("blockquote");
    expect(await quote.textContent()).toBe("the build is green");
    expect(await message.getByRole("list").first().getByRole("listitem").allTextContents()).toEqual([
      "tag it",
      "announce it",
      "[ ] review it",
    ]);
    expect(await message.getByRole("checkbox").count()).toBe(0);
    expect(await message.locator("ol > li").count()).toBe(2);
    expect(await message.locator(".mention").textContent()).toBe("@bob");
    expect(await message.locator("small").textContent()).toBe("small print");
  });

  it("quotes the rest of a message after >>>", async () => {
    const message = await aliceSends(">>> everything here\nis *quoted*", "everything here");
    expect(await message.locator("blockquote").innerText()).toBe("everything here\nis quoted");
  });

  it("makes http(s) links open safely in a new tab and shows where a masked link goes", async () => {
    const message = await aliceSends(
      "docs at https://example.com/docs and [the guide](https://example.org/guide) but [click](javascript:alert(1))",
      "docs at",
    );
    const plain = message.getByRole("link", { name: "https://example.com/docs" });
    expect(await plain.getAttribute("href")).toBe("https://example.com/docs");
    expect(await plain.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await plain.getAttribute("target")).toBe("_blank");

    const masked = message.getByRole("link", { name: /the guide/ });
    expect(await masked.getAttribute("href")).toBe("https://example.org/guide");
    expect(await masked.getAttribute("title")).toBe("https://example.org/guide");
    expect(await masked.textContent()).toBe("the guide (example.org)");

    // Not http(s) or mailto: the words as typed, not a link.
    expect(await message.getByRole("link").count()).toBe(2);
    expect(await message.textContent()).toContain("[click](javascript:alert(1))");
  });

  it("covers a spoiler until bob clicks it, and one he reaches with the keyboard", async () => {
    const message = await aliceSends(
      "the butler? ||it was the cook|| and ||the gardener|| (||https://example.com/dog||)",
      "the butler?",
    );
    const spoilers = message.getByRole("button", { name: "Spoiler, press to reveal" });
    expect(await spoilers.count()).toBe(3);
    const hidden = message.locator(".spoiler-content").first();
    expect(await hidden.evaluate((element) => getComputedStyle(element).visibility)).toBe("hidden");

    await spoilers.first().click();
    await message.getByText("it was the cook").waitFor();
    expect(await message.getByText("it was the cook").isVisible()).toBe(true);

    await spoilers.first().focus();
    await bob.keyboard.press("Enter");
    expect(await message.getByText("the gardener").isVisible()).toBe(true);
    // Focus stays on what was revealed, for the next Tab to go on from there.
    expect(await bob.evaluate(() => document.activeElement?.textContent)).toBe("the gardener");
    // The third stays covered, and Tab reaches it but not the link it hides.
    expect(await spoilers.count()).toBe(1);
    await bob.keyboard.press("Tab");
    expect(await bob.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "Spoiler, press to reveal",
    );
    await bob.keyboard.press("Tab");
    expect(await bob.evaluate(() => document.activeElement?.closest("a")?.href)).not.toBe("https://example.com/dog");
  });

  it("keeps a spoiler covered where a reply quotes its message", async () => {
    const spoiled = messageItem(bob, "the butler?");
    await spoiled.hover();
    await spoiled.getByRole("button", { name: "Reply", exact: true }).click();
    const composer = bob.getByLabel("Message #general");
    await composer.fill("no way");
    await composer.press("Enter");
    const quote = messageItem(alice, "no way").getByRole("button", { name: /^Replying to/ });
    await quote.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await quote.textContent()).toContain("alice: the butler? [spoiler] and [spoiler] ([spoiler])");
  });

  it("highlights a code block, downloading the highlighter only then, and copies it", async () => {
    expect(bobScripts.filter((url) => HIGHLIGHTER_CHUNK.test(url))).toEqual([]);
    const longLine = `const message = "${"a very long line that does not wrap ".repeat(6)}";`;
    const message = await aliceSends(`\`\`\`js\nconst answer = 42;\n${longLine}\n\`\`\``, "const answer");
    const keyword = message.locator("pre code .hljs-keyword").first();
    await keyword.waitFor();
    expect(await keyword.textContent()).toBe("const");
    expect(bobScripts.filter((url) => HIGHLIGHTER_CHUNK.test(url))).toHaveLength(1);

    // The long line scrolls inside the block instead of widening the message.
    const pre = message.locator("pre");
    expect(await pre.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    expect(await pre.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe("pre");

    await bob.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await pre.hover();
    await message.getByRole("button", { name: "Copy" }).click();
    await message.getByRole("button", { name: "Copied" }).waitFor();
    expect(await bob.evaluate(() => navigator.clipboard.readText())).toBe(`const answer = 42;\n${longLine}`);
  });

  it("shows a message of emoji alone large, and emoji among words a size up from them", async () => {
    const jumbo = await aliceSends("🎉 🚀", "🎉 🚀");
    const inWords = await aliceSends("shipped it 🎉", "shipped it");
    const fontSize = (element: Element) => parseFloat(getComputedStyle(element).fontSize);
    expect(await jumbo.locator(".rich-text .emoji").first().evaluate(fontSize)).toBeGreaterThanOrEqual(40);
    const words = await inWords.locator(".rich-text").evaluate(fontSize);
    const emoji = await inWords.locator(".rich-text .emoji").evaluate(fontSize);
    expect(words).toBeLessThan(20);
    expect(emoji).toBeGreaterThan(words);
    expect(emoji).toBeLessThan(30);
  });

  it("shows raw HTML as the words typed and runs nothing from it", async () => {
    const html = `<img src=x onerror="document.title='pwned'"> <b>not bold</b> <script>alert(1)</script>`;
    const message = await aliceSends(html, "not bold");
    expect(await message.locator(".rich-text img, .rich-text b, .rich-text script").count()).toBe(0);
    expect(await message.locator(".rich-text").textContent()).toBe(html);
    expect(await bob.title()).not.toBe("pwned");
  });

  it("gives axe nothing serious to report in the formatted messages, light or dark", async () => {
    expect(await formattingViolations(bob)).toEqual([]);
    await bob.emulateMedia({ colorScheme: "dark" });
    expect(await formattingViolations(bob)).toEqual([]);
    await bob.emulateMedia({ colorScheme: "light" });
  });

  it("looks like a chat client's formatting, in light and dark", async () => {
    // Tall enough for every message above at once; pointer and focus away from them (no toolbar).
    await bob.setViewportSize({ width: 1280, height: 1300 });
    await bob.mouse.move(0, 0);
    await bob.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bob.getByRole("log").screenshot({ path: join(SCREENSHOTS, "rich-text.png") });
    await bob.emulateMedia({ colorScheme: "dark" });
    await bob.getByRole("log").screenshot({ path: join(SCREENSHOTS, "rich-text-dark.png") });
    await bob.emulateMedia({ colorScheme: "light" });
    expect(journey.problems).toEqual([]);
  });
});

/** What axe finds critical or serious inside the formatted messages (contrast included). */
const formattingViolations = (page: Page) => seriousAxeFindings(page, { include: [[".rich-text"]] });
