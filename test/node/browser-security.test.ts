/**
 * Account security in a real browser, against the production entrypoint and a
 * fresh PostgreSQL: alice registers and keeps her recovery code, turns on
 * two-factor authentication with codes from Debian's oathtool (an independent
 * TOTP implementation), signs in with it, and manages her sessions from several
 * "devices" (browser contexts, which share no cookies). One journey, in order:
 * each step needs the state the last one left (codes, sessions), hence one long file.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Page, type Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openPage as openIsolatedPage, requireProgram, waitUntilConnected } from "../support/browser.ts";
import { browserJourney, saveRecoveryKey } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const OATHTOOL_PATH = "/usr/bin/oathtool";
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "staple gun lantern orbit";
const SCREENSHOTS = join(root, "docs", "screenshots");
const TOTP_STEP_MS = 30_000;
/** Revocation reaches an open page in moments, not when its access token expires. */
const LIVE_TIMEOUT_MS = 5_000;

const journey = browserJourney("browser_security", { REGISTRATION_MODE: "invite_only" });
/** alice's laptop, where she registers and manages everything. */
let laptop: Page;
/** A second device: signed in with a backup code, signed out from the laptop while in #general. */
let phone: Page;
/** A third device: signed in and idle when alice signs out every other session. */
let tablet: Page;
let recoveryCode = "";
let totpSecret = "";
let backupCodes: string[] = [];
/** The server refuses a TOTP code from a time step it already accepted: each sign-in needs a later one. */
let lastUsedStep = 0;
/** The admin's community invite link: alice joins Acme with it, for a channel to have open. */
let acmeInviteLink = "";

beforeAll(async () => {
  requireProgram(OATHTOOL_PATH, "oathtool");
  mkdirSync(SCREENSHOTS, { recursive: true });
  [laptop, phone, tablet] = await Promise.all([openPage(), openPage(), openPage()]);
});

describe("alice's account security in the browser", () => {
  it("tells alice in words that this server needs an invite to register", async () => {
    await laptop.goto(`${journey.server.url}/register`);
    await laptop.getByLabel("Username").fill("alice");
    await laptop.getByLabel("Password").fill(PASSWORD);
    await laptop.getByRole("button", { name: "Create account", exact: true }).click();
    await laptop
      .getByRole("alert")
      .filter({ hasText: "Registration on this server needs an invite from an admin." })
      .waitFor();
  });

  it("fills in the invite from alice's invite link, shows her recovery key once, and keeps her signed in across a reload", async () => {
    const { code, link, communityLink } = await adminCreatesInvite();
    acmeInviteLink = communityLink;
    await laptop.goto(link);
    expect(await laptop.getByLabel("Invite code (if you have one)").inputValue()).toBe(code);
    await laptop.getByLabel("Username").fill("alice");
    await laptop.getByLabel("Password").fill(PASSWORD);
    await laptop.getByRole("button", { name: "Create account", exact: true }).click();

    // The one secret, the recovery key, is shown once (test/node/browser-keys-onboarding.test.ts).
    recoveryCode = await saveRecoveryKey(laptop);
    expect(recoveryCode).toMatch(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$/);
    await laptop.getByRole("heading", { name: "Communities" }).waitFor();
    expect(new URL(laptop.url()).pathname).toBe("/");

    await laptop.reload();
    await laptop.getByRole("heading", { name: "Communities" }).waitFor();
    expect(await laptop.getByText(recoveryCode).count()).toBe(0);
  });

  it("keeps alice signed in when two tabs restore her session at the same moment", async () => {
    // Both tabs hold the same refresh cookie; spending it twice would look like theft and end the
    // session. A slow network (each refresh sent with the cookie of the moment, answered a second
    // later) makes the two tabs' refreshes overlap for sure, unless the tabs take turns.
    const context = laptop.context();
    const slowNetwork = async (route: Route) => {
      const headers = await route.request().allHeaders();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.fulfill({ response: await route.fetch({ headers }) });
    };
    await context.route("**/api/auth/refresh", slowNetwork);
    const secondTab = await context.newPage();
    try {
      await Promise.all([secondTab.goto(journey.server.url), laptop.reload()]);
      await Promise.all(
        [laptop, secondTab].map((page) => page.getByRole("heading", { name: "Communities" }).waitFor()),
      );
    } finally {
      await context.unroute("**/api/auth/refresh", slowNetwork);
      await secondTab.close();
    }
    await laptop.reload();
    await laptop.getByRole("heading", { name: "Communities" }).waitFor();
  });

  it("lets alice turn on two-factor authentication from the security page with a code from oathtool", async () => {
    await openAccountMenu(laptop);
    await laptop.getByRole("link", { name: "Security" }).click();
    await laptop.getByRole("heading", { name: "Security", level: 1 }).waitFor();
    expect(new URL(laptop.url()).pathname).toBe("/settings/security");
    await laptop.getByRole("button", { name: "Set up two-factor authentication" }).click();

    const qrCode = laptop.getByRole("img", { name: /QR code/ });
    expect(await qrCode.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    expect(await qrCode.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
    totpSecret = (await laptop.locator(".totp-secret").innerText()).replace(/\s+/g, "");
    expect(totpSecret).toMatch(/^[A-Z2-7]+=*$/);
    await expectToFitAPhone(laptop);

    // The recovery-code form also asks for "Your password": look only inside the two-factor section.
    const twoFactorSection = laptop.getByRole("region", { name: "Two-factor authentication" });
    const { code, step } = await freshTotpCode();
    await twoFactorSection.getByLabel("Code from the app").fill(code);
    await twoFactorSection.getByLabel("Your password").fill(PASSWORD);
    await twoFactorSection.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    lastUsedStep = step;

    await laptop.getByRole("heading", { name: "Save your backup codes now" }).waitFor();
    backupCodes = (await laptop.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allInnerTexts()).map(
      (text) => text.trim(),
    );
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    await expectToFitAPhone(laptop);
    const download = laptop.getByRole("link", { name: "Download as a text file" });
    expect(await download.getAttribute("href")).toMatch(/^blob:/);
    expect(await download.getAttribute("download")).toBe("chatalot-backup-codes.txt");

    await laptop.getByLabel("I have saved my backup codes somewhere safe").check();
    await laptop.getByRole("button", { name: "Done" }).click();
    await laptop.getByText("10 backup codes are left.", { exact: false }).waitFor();
    expect(await laptop.getByText(backupCodes[0]!).count()).toBe(0);
  });

  it("asks alice for her two-factor code when she signs in again, refusing a wrong one in words", async () => {
    // She is in her settings, whose menu ends with "Sign out" as Discord's ends with "Log Out".
    await laptop
      .getByRole("navigation", { name: "Settings", exact: true })
      .getByRole("button", { name: "Sign out" })
      .click();
    await laptop.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
    await laptop.getByLabel("Username").fill("alice");
    await laptop.getByLabel("Password").fill(PASSWORD);
    await laptop.getByRole("button", { name: "Sign in", exact: true }).click();

    await laptop.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
    // Focus moves to the code field, so the keyboard carries on from here.
    await expect
      .poll(() => laptop.evaluate(() => document.activeElement?.getAttribute("id")))
      .toBe("second-factor-code");
    await laptop.screenshot({ path: join(SCREENSHOTS, "sign-in-two-factor.png") });

    await laptop.keyboard.type("000000");
    await laptop.keyboard.press("Enter");
    await laptop.getByRole("alert").filter({ hasText: "That two-factor code is wrong or was already used." }).waitFor();

    const { code, step } = await freshTotpCode();
    await laptop.getByLabel("Two-factor code").fill(code);
    await laptop.getByRole("button", { name: "Verify and sign in" }).click();
    lastUsedStep = step;
    // She was on the security page when she signed out; signing in returns her there.
    await laptop.getByRole("heading", { name: "Security", level: 1 }).waitFor();
  });

  it("lists alice's only live session as this device", async () => {
    const sessions = laptop.getByRole("list", { name: "Where you are signed in" }).getByRole("listitem");
    await sessions.first().waitFor();
    expect(await sessions.count()).toBe(1);
    expect(await sessions.first().innerText()).toContain("This device");
    // Her earlier sign-ins and sign-outs are in the security events, in words.
    const events = laptop.getByRole("list", { name: "Recent security events" });
    await events.getByText("Two-factor authentication turned on").waitFor();
    await events.getByText("Failed sign-in attempt (wrong two-factor code)").waitFor();
    expect(await events.getByText("Account created").count()).toBe(1);
  });

  it("refreshes an access token the server calls expired, and tries the request once more", async () => {
    await laptop.getByRole("button", { name: "Close settings" }).click();
    let attempts = 0;
    // As if the 15 minutes had run out: the first listing is refused the way an expired token is.
    await laptop.route("**/api/sessions", async (route) => {
      if (attempts++ > 0) return route.continue();
      await route.fulfill({
        status: 401,
        json: { error: { code: "unauthorized", message: "the access token is invalid or expired" } },
      });
    });
    const refreshed = laptop.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/refresh");
    await openAccountMenu(laptop);
    await laptop.getByRole("link", { name: "Security" }).click();
    expect((await refreshed).status()).toBe(200);
    await laptop.getByRole("list", { name: "Where you are signed in" }).getByRole("listitem").first().waitFor();
    expect(attempts).toBe(2);
    await laptop.unroute("**/api/sessions");
  });

  it("lets alice sign in on her phone with a backup code, and sign the phone out from her laptop", async () => {
    await laptop.goto(acmeInviteLink);
    await laptop.getByRole("link", { name: "#general" }).click();
    await waitUntilConnected(laptop);

    await signInWithBackupCode(phone, backupCodes[0]!);
    await phone.getByRole("link", { name: "#general" }).click();
    await waitUntilConnected(phone);

    await laptop.goto(`${journey.server.url}/settings/security`);
    const sessions = laptop.getByRole("list", { name: "Where you are signed in" }).getByRole("listitem");
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    expect(await sessions.filter({ hasText: "This device" }).count()).toBe(1);
    await laptop.getByText("9 backup codes are left.", { exact: false }).waitFor();
    await laptop.setViewportSize({ width: 960, height: 1400 });
    await laptop.screenshot({ path: join(SCREENSHOTS, "security-settings.png") });
    await laptop.setViewportSize({ width: 960, height: 600 });

    await sessions
      .filter({ hasNotText: "This device" })
      .getByRole("button", { name: /^Sign out / })
      .click();
    await laptop.getByRole("status").filter({ hasText: "That session is signed out." }).waitFor();
    await sessions.nth(1).waitFor({ state: "detached" });

    // The phone's open socket is closed by the server (code 4001): the page signs out at once.
    await phone.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await phone.getByRole("alert").filter({ hasText: "This session has ended" }).waitFor();
    // Its refresh cookie died with the session: a reload does not bring it back.
    await phone.reload();
    await phone.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
  });

  it("ends an idle device's access when alice signs out every other session: its next action sends it to sign-in", async () => {
    await tablet.clock.install();
    // The tablet is asleep: its account socket will not hear the session end (the server's close is dropped).
    await tablet.routeWebSocket(/\/api\/events\/socket$/, (page) => page.connectToServer().onClose(() => {}));
    await signInWithBackupCode(tablet, backupCodes[1]!);
    // Left open, the page renews its 15-minute access token a little before it runs out.
    const renewed = tablet.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/refresh");
    await tablet.clock.fastForward("14:30");
    expect((await renewed).status()).toBe(200);

    await laptop.reload();
    const sessions = laptop.getByRole("list", { name: "Where you are signed in" }).getByRole("listitem");
    await sessions.nth(1).waitFor();
    await laptop.getByRole("button", { name: "Sign out all other sessions" }).click();
    await laptop.getByRole("status").filter({ hasText: "1 other session was signed out." }).waitFor();
    await sessions.nth(1).waitFor({ state: "detached" });

    // Nothing reached the sleeping tablet; it learns on its next request.
    await tablet.getByRole("button", { name: "Invite people" }).click();
    await tablet.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
    await tablet
      .getByRole("alert")
      .filter({ hasText: "This session has ended (session revoked): sign in again." })
      .waitFor();
  });

  it("fits the security page, every form open, on a phone-sized screen", async () => {
    await laptop.getByRole("heading", { name: "Security", level: 1 }).waitFor();
    for (const summary of await laptop.locator("summary").all()) await summary.click();
    expect(await laptop.getByLabel("Current two-factor code").count()).toBe(3);
    await expectToFitAPhone(laptop);
  });

  it("resets alice's forgotten password with her recovery key, which goes on working", async () => {
    await laptop.getByRole("button", { name: "Close settings" }).click();
    await laptop.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: "Acme" }).click();
    await laptop.getByRole("link", { name: "#general" }).click();
    await waitUntilConnected(laptop);

    await tablet.getByRole("link", { name: "Forgot your password?" }).click();
    await tablet.getByLabel("Username").fill("alice");
    await tablet.getByLabel("Recovery key or recovery code").fill(recoveryCode);
    await tablet.getByLabel("New password").fill(NEW_PASSWORD);
    await tablet.getByRole("button", { name: "Reset password" }).click();
    await tablet.getByRole("heading", { name: "Communities" }).waitFor();

    // Recovery signed out every other session, the laptop's too; its socket in #general is closed.
    await laptop.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await laptop.getByRole("alert").filter({ hasText: "This session has ended (password reset)" }).waitFor();
  });

  it("tells a visitor who keeps guessing when the lock on signing in ends, in words", async () => {
    await phone.getByLabel("Username").fill("alice");
    // The account and the address lock after a few failures (the wrong two-factor code earlier was one).
    for (let attempt = 0; attempt < 8; attempt++) {
      await phone.getByLabel("Password").fill(`wrong guess number ${attempt}`);
      const [answer] = await Promise.all([
        phone.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/login"),
        phone.getByRole("button", { name: "Sign in", exact: true }).click(),
      ]);
      if (answer.status() === 429) break;
      expect(answer.status()).toBe(401);
    }
    const message = await phone
      .getByRole("alert")
      .filter({ hasText: /Too many failed sign-ins/ })
      .innerText();
    expect(message).toMatch(/try again in \d+ seconds, at \d{1,2}:\d{2}/);
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});

describe("the security pages under the server's Content-Security-Policy", () => {
  it("run without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

const openPage = () => openIsolatedPage(journey.browser, journey.problems);

/**
 * The bootstrap admin signs up through the API (allowed without an invite), creates a
 * one-use registration invite, and the Acme community with an invite link of its own.
 */
async function adminCreatesInvite(): Promise<{ code: string; link: string; communityLink: string }> {
  const call = async <T>(path: string, body: unknown, accessToken?: string): Promise<T> => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    const response = await fetch(`${journey.server.url}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as T;
  };
  const { accessToken } = await call<{ accessToken: string }>("/api/auth/register", {
    username: "admin",
    password: "a long passphrase for tests",
  });
  const invite = await call<{ code: string; link: string }>(
    "/api/admin/invites",
    { maxUses: 1, expiresInHours: 1 },
    accessToken,
  );
  const { community } = await call<{ community: { id: string } }>("/api/communities", { name: "Acme" }, accessToken);
  const { link } = await call<{ link: string }>(`/api/communities/${community.id}/invites`, {}, accessToken);
  return { ...invite, communityLink: link };
}

/** Nothing sticks out sideways at 360 px, the narrowest common phone: no sideways scrolling anywhere. */
async function expectToFitAPhone(page: Page): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    const sticking = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter(
          (element) =>
            element.getClientRects().length > 0 && element.getBoundingClientRect().right > window.innerWidth + 0.5,
        )
        .map((element) => element.outerHTML.slice(0, 80)),
    );
    expect(sticking).toEqual([]);
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

async function signInWithBackupCode(page: Page, backupCode: string): Promise<void> {
  await page.goto(journey.server.url);
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Use a backup code instead" }).click();
  await page.getByLabel("Backup code").fill(backupCode);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.getByRole("heading", { name: "Communities" }).waitFor();
}

/**
 * The current code from oathtool, from a time step after the last one used,
 * waiting for the next step if need be (at most 30 s).
 */
async function freshTotpCode(): Promise<{ code: string; step: number }> {
  while (Math.floor(Date.now() / TOTP_STEP_MS) <= lastUsedStep) {
    await new Promise((resolve) => setTimeout(resolve, TOTP_STEP_MS - (Date.now() % TOTP_STEP_MS) + 100));
  }
  const seconds = Math.floor(Date.now() / 1000);
  const code = execFileSync(OATHTOOL_PATH, ["--totp", "-b", `--now=@${seconds}`, totpSecret], {
    encoding: "utf8",
  }).trim();
  expect(code).toMatch(/^\d{6}$/);
  return { code, step: Math.floor((seconds * 1000) / TOTP_STEP_MS) };
}

/** The user panel's menu, at the sidebar's foot: security, admin, signing out. */
async function openAccountMenu(page: Page): Promise<void> {
  await page.getByRole("region", { name: "Your account" }).getByRole("button", { name: "Account menu" }).click();
}
