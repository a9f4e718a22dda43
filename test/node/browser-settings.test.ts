/**
 * The settings area in a real browser (web/src/components/settings/): alice gives
 * herself a display name and a custom status that clears itself, and bob, with
 * Gardeners open, sees both beside her in the member list and her name on her message,
 * without reloading; alice picks the dark theme, compact messages and larger text,
 * which stay after a reload; the security section keeps every control it had. One
 * journey, in order.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seriousAxeFindings } from "../support/axe.ts";
import { createCommunityWith, registerOn } from "../support/accounts.ts";
import {
  browserJourney,
  memberList,
  messageItem,
  openGeneral,
  signInToGeneral,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Changes reach an open page in moments, not at its next reload. */
const LIVE_TIMEOUT_MS = 5_000;
/** A first message sets up its channel's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;

/** axe-core, evaluated in the page (as DevTools does: the page's CSP does not apply to it). */
const SECTIONS = ["Profile", "Appearance", "Notifications", "Encryption", "Security"];

const journey = browserJourney("browser_settings", { COMMUNITY_CREATION_MODE: "open" });
let alice: Page;
let bob: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  await createCommunityWith(journey.server, aliceAccount, "Gardeners", [bobAccount]);
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await Promise.all([alice, bob].map((page, index) => signIn(page, index === 0 ? "alice" : "bob")));
  await Promise.all([openGeneral(alice), openGeneral(bob)]);
});

describe("alice's profile", () => {
  it("gives her a display name that bob sees on her message and in the member list, without reloading", async () => {
    const composer = alice.getByLabel("Message #general");
    await composer.fill("the tomatoes are in");
    await composer.press("Enter");
    await waitUntilDelivered(alice, DELIVERY_TIMEOUT_MS);
    await messageItem(bob, "the tomatoes are in").getByText("alice", { exact: true }).first().waitFor();

    await openSettings(alice, "profile");
    await alice.getByRole("heading", { name: "Profile", level: 1 }).waitFor();
    await alice.getByLabel("Display name").fill("Alice Liddell");
    await alice.getByLabel("Pronouns").fill("she/her");
    await alice.getByLabel("About me").fill("Grows tomatoes on the balcony.");
    const preview = alice.getByRole("figure", { name: "Preview" });
    await preview.getByText("Alice Liddell").waitFor();
    await alice.getByRole("button", { name: "Save profile" }).click();
    await alice.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    await memberList(bob).getByText("Alice Liddell", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await messageItem(bob, "the tomatoes are in").getByText("Alice Liddell").first().waitFor();
  });

  it("sets a custom status that bob sees beside her name until it clears itself", async () => {
    await alice.getByLabel("What’s happening?").fill("Planting tomatoes");
    await alice.getByLabel("Clear after").selectOption({ label: "30 minutes" });
    await alice.getByRole("button", { name: "Set status" }).click();
    await alice.getByText('Showing "Planting tomatoes" until', { exact: false }).waitFor();
    await alice.setViewportSize({ width: 1280, height: 900 });
    await alice.getByRole("heading", { name: "Profile", level: 1 }).scrollIntoViewIfNeeded();
    await alice.screenshot({ path: join(SCREENSHOTS, "settings-profile.png") });

    const shown = memberList(bob).getByText("Planting tomatoes");
    await shown.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Thirty minutes is long for a test: the status now ends in three seconds, and bob's
    // page, reading the list again when its window is focused, learns so.
    await journey.query("update users set status_expires_at = now() + interval '3 seconds' where username = 'alice'");
    await bob.evaluate(() => dispatchEvent(new Event("focus")));
    await shown.waitFor({ state: "detached", timeout: 3_000 + LIVE_TIMEOUT_MS });
    await memberList(bob).getByText("Alice Liddell", { exact: true }).waitFor();
  });

  it("closes with Esc and returns alice to the channel she had open", async () => {
    await alice.getByRole("button", { name: /^Close settings/ }).waitFor();
    await alice.keyboard.press("Escape");
    await alice.getByRole("heading", { name: "#general", exact: true }).waitFor();
    expect(new URL(alice.url()).pathname).not.toMatch(/^\/settings/);
  });
});

describe("alice's appearance", () => {
  it("switches to the dark theme, and it stays after a reload", async () => {
    await openSettings(alice, "appearance");
    const html = alice.locator("html");
    const background = () => alice.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background();
    await alice.getByRole("radio", { name: "Dark" }).check();
    expect(await html.getAttribute("data-theme")).toBe("dark");
    expect(await background()).not.toBe(lightBackground);
    expect(luminance(await background())).toBeLessThan(0.1);

    await alice.reload();
    await alice.getByRole("heading", { name: "Appearance", level: 1 }).waitFor();
    expect(await html.getAttribute("data-theme")).toBe("dark");
    expect(await alice.getByRole("radio", { name: "Dark" }).isChecked()).toBe(true);
    await alice.screenshot({ path: join(SCREENSHOTS, "settings-appearance-dark.png") });
  });

  it("shows messages compact and text larger, on this device", async () => {
    await alice.getByRole("radio", { name: /^Compact/ }).check();
    await alice.getByRole("slider", { name: "Text size" }).fill("4");
    const html = alice.locator("html");
    expect(await html.getAttribute("data-density")).toBe("compact");
    expect(await alice.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("18px");
    await alice.reload();
    await alice.getByRole("heading", { name: "Appearance", level: 1 }).waitFor();
    expect(await html.getAttribute("data-density")).toBe("compact");
    expect(await alice.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("18px");
    // Another device of alice's keeps its own look.
    expect(await bob.locator("html").getAttribute("data-theme")).toBe("system");
  });
});

describe("every settings section", () => {
  it("has nothing axe calls serious or critical, in the dark theme alice chose", async () => {
    for (const section of SECTIONS) {
      await alice
        .getByRole("navigation", { name: "Settings", exact: true })
        .getByRole("link", { name: section })
        .click();
      await alice.getByRole("heading", { name: section, level: 1 }).waitFor();
      expect(await settingsViolations(alice), section).toEqual([]);
    }
  });
});

describe("alice's encryption settings", () => {
  it("say her key backup is off, offer to set it up, and list this browser among her devices", async () => {
    await alice
      .getByRole("navigation", { name: "Settings", exact: true })
      .getByRole("link", { name: "Encryption" })
      .click();
    await alice.getByRole("heading", { name: "Encryption", level: 1 }).waitFor();
    const backup = alice.getByRole("region", { name: "Key backup" });
    await backup.getByText("Not set up.", { exact: false }).waitFor();
    await backup.getByRole("button", { name: "Set up recovery key" }).waitFor();
    const devices = alice.getByRole("list", { name: "Your devices" }).getByRole("listitem");
    await devices.filter({ hasText: "This browser" }).waitFor();
    await alice.screenshot({ path: join(SCREENSHOTS, "settings-encryption.png") });
  });
});

describe("alice's security settings", () => {
  it("keep every control they had", async () => {
    await alice
      .getByRole("navigation", { name: "Settings", exact: true })
      .getByRole("link", { name: "Security" })
      .click();
    await alice.getByRole("heading", { name: "Security", level: 1 }).waitFor();
    expect(new URL(alice.url()).pathname).toBe("/settings/security");
    await alice.getByRole("list", { name: "Where you are signed in" }).getByRole("listitem").first().waitFor();
    for (const region of ["Two-factor authentication", "Recovery code", "Password", "Recent security events"])
      await alice.getByRole("region", { name: region }).waitFor();
    await alice.getByRole("button", { name: "Set up two-factor authentication" }).waitFor();
  });

  it("show the menu above the section on a phone", async () => {
    await alice.setViewportSize({ width: 390, height: 844 });
    const menu = await alice.getByRole("navigation", { name: "Settings", exact: true }).boundingBox();
    const heading = await alice.getByRole("heading", { name: "Security", level: 1 }).boundingBox();
    expect(menu!.y + menu!.height).toBeLessThanOrEqual(heading!.y);
    expect(await alice.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await alice.screenshot({ path: join(SCREENSHOTS, "settings-phone.png") });
    expect(journey.problems).toEqual([]);
  });
});

/** What axe finds critical or serious in the settings area. */
const settingsViolations = (page: Page) => seriousAxeFindings(page, ".settings-area");

async function signIn(page: Page, username: string): Promise<void> {
  await signInToGeneral(page, journey.server.url, username, PASSWORD);
}

/** Opens a settings section as the user panel's gear does: a route change, no reload. */
async function openSettings(page: Page, section: string): Promise<void> {
  await page.evaluate((path) => {
    history.pushState(null, "", path);
    dispatchEvent(new PopStateEvent("popstate"));
  }, `/settings/${section}`);
  await page.getByRole("navigation", { name: "Settings", exact: true }).waitFor();
}

/** Relative luminance of a computed `rgb(r, g, b)` colour, 0 (black) to 1 (white). */
function luminance(color: string): number {
  const [red, green, blue] = (color.match(/\d+/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!;
}
