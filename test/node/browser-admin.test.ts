/**
 * The admin page in a real browser, against the production entrypoint and a fresh
 * PostgreSQL: the admin (two-factor on) signs in, creates an invite that carol
 * registers with in her own browser, pages through the users, suspends bob while
 * his page is open, gives Acme a new owner and deletes Bakers, reads all of it in
 * the audit log and exports it, and changes the settings; carol, no admin, gets a
 * refusal and not a byte of the admin code. One journey, in order: each step needs
 * what the last one left. Screenshots of every section go to docs/screenshots.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { type Page, type Response } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { sealedFileBytes, UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import { call, createCommunityWith, oathtool, registerOn, type Account } from "../support/accounts.ts";
import { requireProgram } from "../support/browser.ts";
import { elementsStickingOut, focusedElement, PHONE } from "../support/layout.ts";
import { browserJourney, saveRecoveryKey } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const ADMIN_PASSWORD = "a long passphrase for tests";
const SCREENSHOTS = join(root, "docs", "screenshots");
const TOTP_STEP_MS = 30_000;
/** A suspension reaches an open page in moments, not when its access token expires. */
const LIVE_TIMEOUT_MS = 5_000;
/** Accounts made straight in the database, enough for a second page of users (20 a page). */
const CROWD_SIZE = 24;

const journey = browserJourney("browser_admin", { REGISTRATION_MODE: "invite_only" });
let admin: Account;
let bob: Account;
let dave: Account;
let totpSecret = "";
/** The server refuses a TOTP code from a time step it already accepted: each use needs a later one. */
let lastUsedStep = 0;
/** The admin's laptop, where the admin page is open. */
let adminPage: Page;
/** bob's browser, open in the chat when he is suspended. */
let bobPage: Page;
/** carol's browser: she registers with the admin's invite, then tries /admin. */
let carolPage: Page;

beforeAll(async () => {
  requireProgram("/usr/bin/oathtool", "oathtool");
  mkdirSync(SCREENSHOTS, { recursive: true });
  admin = await registerOn(journey.server, "admin", ADMIN_PASSWORD);
  await turnOnTwoFactor(admin);
  bob = await registerOn(journey.server, "bob", PASSWORD, { inviteCode: await inviteCode() });
  dave = await registerOn(journey.server, "dave", PASSWORD, { inviteCode: await inviteCode() });
  await createCommunityWith(journey.server, admin, "Acme", [bob, dave]);
  await createCommunityWith(journey.server, admin, "Bakers", [dave]);
  await addCrowd();
  [adminPage, bobPage, carolPage] = await Promise.all([page(), page(), page()]);
  await adminPage.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: journey.server.url });
});

describe("the admin page", () => {
  it("opens for the admin after signing in with two-factor, with the instance's health and figures", async () => {
    await adminPage.goto(`${journey.server.url}/sign-in`);
    await adminPage.getByLabel("Username").fill("admin");
    await adminPage.getByLabel("Password").fill(ADMIN_PASSWORD);
    await adminPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await adminPage.getByLabel("Two-factor code").fill(await freshTotpCode());
    await adminPage.getByRole("button", { name: "Verify and sign in" }).click();
    await adminPage.getByRole("heading", { name: "Communities" }).waitFor();

    await adminPage.goto(`${journey.server.url}/admin`);
    await adminPage.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await adminPage.getByText("Nothing needs your attention.").waitFor();
    const health = adminPage.getByRole("region", { name: "Health" });
    expect(await health.getByText("Running normally").count()).toBe(1);
    expect(await health.getByText("Reachable").count()).toBe(1);
    const size = await adminPage.getByRole("region", { name: "Size" }).innerText();
    expect(size).toContain(`Users\n${3 + CROWD_SIZE}`);
    expect(size).toContain("Communities\n2");
    expect(await adminPage.getByRole("region", { name: "Access" }).innerText()).toContain("Invite only");
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-overview.png"), fullPage: true });
  });

  it("asks for the password and a code again before changing the registration mode, then not for ten minutes", async () => {
    await section(adminPage, "Registration");
    const modes = adminPage.getByRole("group", { name: "Who may create an account" });
    expect(await modes.getByLabel("Invite only").isChecked()).toBe(true);
    await modes.getByLabel("Closed").check();
    await adminPage.getByRole("button", { name: "Change registration mode" }).click();
    const confirm = adminPage.getByRole("form", { name: "Confirm it’s you" });
    await confirm.waitFor();
    // A wrong password is refused in words, and nothing changes meanwhile (the code, checked
    // only after the password, stays unspent for the second try).
    const code = await freshTotpCode();
    await confirm.getByLabel("Your password").fill("not the password at all");
    await confirm.getByLabel("Code from your authenticator app").fill(code);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await confirm.getByRole("alert").filter({ hasText: "The password is wrong" }).waitFor();
    expect((await call(journey.server, "/api/admin/registration-mode", { token: admin.token })).body.mode).toBe(
      "invite_only",
    );
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-confirm-identity.png"), fullPage: true });
    await confirm.getByLabel("Your password").fill(ADMIN_PASSWORD);
    await confirm.getByLabel("Code from your authenticator app").fill(code);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Registration is closed." }).waitFor();
    expect(await confirm.count()).toBe(0);
    await modes.getByLabel("Invite only").check();
    await adminPage.getByRole("button", { name: "Change registration mode" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Registration is invite only." }).waitFor();
    expect(await confirm.count()).toBe(0);
  });

  it("creates an invite that a new person registers with", async () => {
    await adminPage.getByLabel("Expires after").selectOption({ label: "1 day" });
    await adminPage.getByLabel("Maximum uses").fill("1");
    await adminPage.getByRole("button", { name: "Create invite" }).click();
    const link = await adminPage.getByLabel("Invite link").inputValue();
    expect(link).toMatch(/\/register\?invite=/);
    await adminPage.getByRole("button", { name: "Copy link" }).click();
    await adminPage.getByRole("status").filter({ hasText: "The invite link is copied" }).waitFor();
    expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-registration.png"), fullPage: true });

    await carolPage.goto(link);
    await carolPage.getByLabel("Username").fill("carol");
    await carolPage.getByLabel("Password").fill(PASSWORD);
    await carolPage.getByRole("button", { name: "Create account", exact: true }).click();
    await saveRecoveryKey(carolPage);
    await carolPage.getByRole("heading", { name: "Communities" }).waitFor();

    await adminPage.reload();
    const newest = adminPage.getByRole("table", { name: "Invites" }).getByRole("row").nth(1);
    await newest.getByText("1 of 1").waitFor();
    expect(await newest.innerText()).toContain("Used up");
  });

  it("pages through the users on the server, and finds one by name", async () => {
    await section(adminPage, "Users");
    const rows = adminPage.getByRole("table", { name: "Users" }).locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    const nextPage = adminPage.waitForResponse((response) => /\/api\/admin\/users\?.*after=/.test(response.url()));
    await adminPage.getByRole("button", { name: "Next page" }).click();
    expect((await nextPage).status()).toBe(200);
    await adminPage.getByText("Page 2").waitFor();
    expect(await rows.count()).toBe(4 + CROWD_SIZE - 20);
    await adminPage.getByRole("button", { name: "Previous page" }).click();
    await adminPage.getByText("Page 1").waitFor();

    await adminPage.getByLabel("Search by username").fill("bo");
    await adminPage.getByRole("button", { name: "Search" }).click();
    await rows.nth(1).waitFor({ state: "detached" });
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining("bob")]);
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-users.png"), fullPage: true });
  });

  it("shows what bob's files take, in all on the overview and in the users list, with the limits", async () => {
    await uploadAs(bob, BOBS_FILE_BYTES);
    await section(adminPage, "Overview");
    const storage = adminPage.getByRole("region", { name: "Storage" });
    await storage.waitFor();
    const figures = await storage.innerText();
    expect(figures).toContain("Files and pictures\n3 MB");
    expect(figures).toContain("Largest file\n25 MB");
    expect(figures).toContain("Quota per person\n1 GB");

    // Back to the users found by "bo", where the next step finds bob.
    await section(adminPage, "Users");
    await adminPage.getByLabel("Search by username").fill("bo");
    await adminPage.getByRole("button", { name: "Search" }).click();
    const bobsRow = adminPage.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: "bob" });
    await bobsRow.getByRole("cell", { name: "3 MB", exact: true }).waitFor();
  });

  it("suspends bob with a reason, and bob's open page loses access at once", async () => {
    await bobPage.goto(`${journey.server.url}/sign-in`);
    await bobPage.getByLabel("Username").fill("bob");
    await bobPage.getByLabel("Password").fill(PASSWORD);
    await bobPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await bobPage.getByRole("heading", { name: "Communities" }).waitFor();

    await adminPage.getByRole("link", { name: "bob" }).click();
    await adminPage.getByRole("heading", { name: "bob", level: 1 }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe(`/admin/users/${bob.id}`);
    await adminPage.getByText("Acme").waitFor();
    await adminPage.getByRole("button", { name: "Suspend…" }).click();
    const confirmation = adminPage.getByRole("form", { name: "Suspend bob?" });
    expect(await confirmation.innerText()).toContain("bob's open sessions end at once");
    // Focus is in the reason field: the keyboard carries on from here.
    await expect.poll(() => adminPage.evaluate(() => document.activeElement?.id)).toBe("suspend-reason");
    await adminPage.keyboard.type("Posting spam links");
    await confirmation.getByRole("button", { name: "Suspend bob" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Suspended bob: their open sessions have ended" }).waitFor();
    expect(await adminPage.locator(".facts").innerText()).toMatch(/Suspended .*: Posting spam links/);

    await bobPage.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bobPage.getByRole("alert").filter({ hasText: "This session has ended (account suspended)" }).waitFor();
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-user.png"), fullPage: true });
  });

  it("shows the server's refusal in words when the admin tries to suspend themself", async () => {
    await adminPage.goto(`${journey.server.url}/admin/users/${admin.id}`);
    await adminPage.getByRole("heading", { name: "admin", level: 1 }).waitFor();
    await adminPage.getByRole("button", { name: "Suspend…" }).click();
    await adminPage.getByLabel("Reason").fill("Testing");
    await adminPage.getByRole("button", { name: "Suspend admin" }).click();
    await adminPage.getByRole("alert").filter({ hasText: "You cannot suspend your own account." }).waitFor();
    await adminPage.keyboard.press("Escape");
    await adminPage.getByRole("button", { name: "Suspend…" }).waitFor();
  });

  it("lists communities with owners and sizes, gives Acme a new owner and deletes Bakers", async () => {
    await section(adminPage, "Communities");
    const table = adminPage.getByRole("table", { name: "Communities" });
    await table.getByRole("row", { name: /Acme/ }).waitFor();
    expect(await table.getByRole("row", { name: /Acme/ }).innerText()).toMatch(/Acme\s+admin\s+3\s+1/);
    expect(await table.getByRole("row", { name: /Bakers/ }).innerText()).toMatch(/Bakers\s+admin\s+2\s+1/);
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-communities.png"), fullPage: true });

    await table.getByRole("button", { name: "Acme" }).click();
    await adminPage.getByRole("heading", { name: "Acme", level: 2 }).waitFor();
    await adminPage.getByLabel("Username of a member").fill("nobody-here");
    await adminPage.getByRole("button", { name: "Transfer ownership" }).click();
    await adminPage.getByRole("alert").filter({ hasText: "No account is named “nobody-here”" }).waitFor();
    await adminPage.getByLabel("Username of a member").fill("dave");
    await adminPage.getByRole("button", { name: "Transfer ownership" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Transferred Acme to dave." }).waitFor();
    expect(await adminPage.locator(".facts").innerText()).toMatch(/Owner\s+dave/);

    await adminPage.getByRole("button", { name: "All communities" }).click();
    await table.getByRole("button", { name: "Bakers" }).click();
    await adminPage.getByRole("button", { name: "Delete community…" }).click();
    const confirmation = adminPage.getByRole("form", { name: "Delete Bakers?" });
    expect(await confirmation.innerText()).toContain("This cannot be undone");
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-community.png"), fullPage: true });
    await confirmation.getByRole("button", { name: "Delete Bakers" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Deleted Bakers" }).waitFor();
    expect(await table.getByRole("row").allInnerTexts()).toEqual([expect.anything(), expect.stringMatching(/^Acme/)]);

    const { body } = await call(journey.server, "/api/admin/communities", { token: admin.token });
    expect(body.communities).toEqual([expect.objectContaining({ name: "Acme", ownerName: "dave" })]);
  });

  it("refuses carol, who is no admin, and sends her browser none of the admin code", async () => {
    const adminCode: Response[] = [];
    carolPage.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/admin-assets/")) adminCode.push(response);
    });
    const console = carolPage.waitForResponse((response) => new URL(response.url()).pathname === "/api/admin/console");
    await carolPage.goto(`${journey.server.url}/admin`);
    expect((await console).status()).toBe(403);
    await carolPage.getByRole("heading", { name: "This page is for instance admins" }).waitFor();
    expect(await carolPage.getByRole("link", { name: "Back to Chatalot" }).getAttribute("href")).toBe("/");
    await carolPage.screenshot({ path: join(SCREENSHOTS, "admin-refusal.png") });

    const asked = await carolPage.evaluate(async () =>
      Promise.all(
        ["/admin-assets/admin.js", "/admin-assets/admin.css"].map(async (path) => (await fetch(path)).status),
      ),
    );
    expect(asked).toEqual([403, 403]);
    expect(adminCode.filter((response) => response.status() === 200)).toEqual([]);
    expect(await carolPage.locator("#admin").innerHTML()).toBe("");

    // Nobody signed in: asked to sign in, and nothing is fetched from /admin-assets either.
    const visitor = await page();
    await visitor.goto(`${journey.server.url}/admin`);
    await visitor.getByRole("heading", { name: "Sign in to open the admin page" }).waitFor();
    await visitor.context().close();
    expect(adminCode.filter((response) => response.status() === 200)).toEqual([]);
  });

  it("shows those actions in the audit log, filters them, and exports them as CSV", async () => {
    await section(adminPage, "Audit log");
    const table = adminPage.getByRole("table", { name: "Audit events" });
    const suspension = table.getByRole("row", { name: /Account suspended/ });
    await suspension.getByRole("link", { name: "bob" }).waitFor();
    expect(await suspension.innerText()).toMatch(/Account suspended \(reason: Posting spam links\)\s+admin\s+bob/);
    for (const action of [
      "Community deleted by an admin",
      "Community given a new owner by an admin",
      "Invite created",
    ]) {
      expect(await table.getByRole("row", { name: new RegExp(action) }).count(), action).toBeGreaterThan(0);
    }
    await table.getByRole("row", { name: /Registration mode changed \(mode: closed\)/ }).waitFor();
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-audit.png"), fullPage: true });

    await adminPage.getByLabel("Done by (username)").fill("nobody-here");
    await adminPage.getByRole("button", { name: "Apply filters" }).click();
    await adminPage.getByRole("alert").filter({ hasText: "No account is named “nobody-here”" }).waitFor();
    await adminPage.getByLabel("Done by (username)").fill("admin");
    await adminPage.getByLabel("Action").selectOption({ label: "Account suspended" });
    await adminPage.getByLabel("Concerning (username)").fill("bob");
    await adminPage.getByRole("button", { name: "Apply filters" }).click();
    await table
      .getByRole("row", { name: /Community/ })
      .first()
      .waitFor({ state: "detached" });
    expect(await table.locator("tbody tr").count()).toBe(1);

    const [download] = await Promise.all([
      adminPage.waitForEvent("download"),
      adminPage.getByRole("button", { name: "Export as CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("chatalot-audit.csv");
    const lines = readFileSync(await download.path(), "utf8")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("id,at,action,actor_id,target_user_id,ip,user_agent,details");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`user.suspended,${admin.id},${bob.id}`);
    expect(lines[1]).toContain("Posting spam links");

    await adminPage.getByLabel("From").fill("2099-01-01T00:00");
    await adminPage.getByRole("button", { name: "Apply filters" }).click();
    await adminPage.getByText("No event matches these filters.").waitFor();
    await adminPage.getByRole("button", { name: "Show everything" }).click();
    await suspension.waitFor();
    expect(await adminPage.getByLabel("Done by (username)").inputValue()).toBe("");
  });

  it("changes the instance's name, community policy and upload limit, and posts an announcement", async () => {
    await section(adminPage, "Settings");
    await adminPage.getByLabel("Instance name").fill("Acme Chat");
    await adminPage.getByLabel("Everyone signed in").check();
    await adminPage.getByLabel("Largest upload, in megabytes").fill("0");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    await adminPage.getByRole("alert").filter({ hasText: "The upload limit must be a number of megabytes" }).waitFor();
    await adminPage.getByLabel("Largest upload, in megabytes").fill("50");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    await adminPage.getByRole("status").filter({ hasText: "The settings are saved" }).waitFor();
    const { body } = await call(journey.server, "/api/admin/settings", { token: admin.token });
    expect(body.settings).toMatchObject({
      instanceName: "Acme Chat",
      communityCreationMode: "open",
      uploadMaxBytes: 50 * 1024 * 1024,
    });

    await adminPage.getByLabel("New announcement to everyone").fill("Maintenance on Sunday at 10:00.");
    await adminPage.getByLabel("Take it down after").selectOption({ label: "1 day" });
    await adminPage.getByRole("button", { name: "Post announcement" }).click();
    const list = adminPage.getByRole("list", { name: "Announcements up now" });
    await list.getByText("Maintenance on Sunday at 10:00.").waitFor();
    const seen = await call(journey.server, "/api/announcements", { token: dave.token });
    expect(seen.body.announcements).toEqual([expect.objectContaining({ body: "Maintenance on Sunday at 10:00." })]);
    await adminPage.screenshot({ path: join(SCREENSHOTS, "admin-settings.png"), fullPage: true });
    // Everyone signed in reads it above the chat, and can hide it.
    await carolPage.goto(`${journey.server.url}/`);
    const banner = carolPage.getByRole("region", { name: "Announcements" });
    await banner.getByText("Maintenance on Sunday at 10:00.").waitFor();
    await banner.getByRole("button", { name: "Hide this announcement" }).click();
    await banner.waitFor({ state: "detached" });

    await list.getByRole("button", { name: "Take down…" }).click();
    await list.getByRole("button", { name: "Take it down" }).click();
    await adminPage.getByText("No announcement is up.").waitFor();
  });

  it("works from the keyboard, with a focus ring on whatever has focus", async () => {
    await adminPage.goto(`${journey.server.url}/admin`);
    await adminPage.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await adminPage.keyboard.press("Tab");
    expect(await focusedElement(adminPage)).toMatchObject({ text: "Skip to the section", hasOutline: true });
    for (let presses = 0; presses < 10 && (await focusedElement(adminPage)).text !== "Users"; presses++) {
      await adminPage.keyboard.press("Tab");
    }
    expect(await focusedElement(adminPage)).toMatchObject({ text: "Users", tag: "a", hasOutline: true });
    await adminPage.keyboard.press("Enter");
    await adminPage.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    // Focus moves to the section's title, so the next Tab goes on from the top of it.
    expect(await focusedElement(adminPage)).toMatchObject({ text: "Users", tag: "h1" });
  });

  it("fits a phone-sized screen in the dark theme, every section", async () => {
    await adminPage.emulateMedia({ colorScheme: "dark" });
    await adminPage.setViewportSize(PHONE);
    try {
      for (const [path, heading, ready] of [
        ["/admin", "Overview", "Running normally"],
        ["/admin/users", "Users", "member-01"],
        [`/admin/users/${bob.id}`, "bob", "Signed in on"],
        ["/admin/registration", "Registration", "Who may create an account"],
        ["/admin/communities", "Communities", "Acme"],
        ["/admin/audit", "Audit log", "reason: Posting spam links"],
        ["/admin/settings", "Settings", "Who may create communities"],
      ] as const) {
        await adminPage.goto(`${journey.server.url}${path}`);
        await adminPage.getByRole("heading", { name: heading, level: 1 }).waitFor();
        await adminPage.getByText(ready).first().waitFor();
        expect(await elementsStickingOut(adminPage), path).toEqual([]);
        if (path === "/admin" || path === "/admin/audit") {
          const name = path === "/admin" ? "overview" : "audit";
          await adminPage.screenshot({ path: join(SCREENSHOTS, `admin-${name}-dark-phone.png`), fullPage: true });
        }
      }
      const background = await adminPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe("rgb(18, 20, 24)");
    } finally {
      await adminPage.emulateMedia({ colorScheme: "light" });
      await adminPage.setViewportSize({ width: 960, height: 600 });
    }
  });
});

describe("the admin page when the admin's session ends", () => {
  it("takes the admin page down at the admin's next click, and says why", async () => {
    await adminPage.goto(`${journey.server.url}/admin`);
    await adminPage.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    // From the admin's other device (the API session): sign out every other session, this browser's too.
    const revoked = await call(journey.server, "/api/sessions/revoke-others", { method: "POST", token: admin.token });
    expect(revoked.status, revoked.text).toBe(200);

    await adminPage.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Users" }).click();
    await adminPage.getByRole("heading", { name: "Your session has ended" }).waitFor();
    await adminPage.getByRole("alert").waitFor();
    expect(await adminPage.locator("#admin").innerHTML()).toBe("");
    expect(await adminPage.getByRole("link", { name: "Sign in again" }).getAttribute("href")).toBe("/sign-in");
  });
});

describe("the admin page under the server's Content-Security-Policy", () => {
  it("runs without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

const page = () => journey.openPage();

/** A sealed file of a bit over 3 MiB, as the chat's upload sends it: declared, then sent part by part. */
const BOBS_FILE_BYTES = sealedFileBytes(3 * 1024 * 1024);

/** Uploads `size` random bytes (the server cannot tell them from a sealed file) to the person's first channel. */
async function uploadAs(person: Account, size: number): Promise<void> {
  const { communities } = (await call(journey.server, "/api/communities", { token: person.token })).body;
  const { channels } = (
    await call(journey.server, `/api/communities/${communities[0].id}/channels`, { token: person.token })
  ).body;
  const created = await call(journey.server, `/api/channels/${channels[0].id}/uploads`, {
    token: person.token,
    body: { size },
  });
  expect(created.status, created.text).toBeOneOf([200, 201]);
  for (let offset = 0; offset < size; offset += UPLOAD_PART_BYTES) {
    const part = await fetch(`${journey.server.url}/api/uploads/${created.body.upload.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${person.token}`, "Upload-Offset": String(offset) },
      body: new Uint8Array(randomBytes(Math.min(UPLOAD_PART_BYTES, size - offset))),
    });
    expect(part.status, await part.text()).toBeLessThan(300);
  }
}

/** Opens an admin section from the navigation, as a person would. */
async function section(on: Page, name: string): Promise<void> {
  await on.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name }).click();
  await on.getByRole("heading", { name, level: 1 }).waitFor();
}

async function turnOnTwoFactor(account: Account): Promise<void> {
  const setup = await call(journey.server, "/api/two-factor/setup", { method: "POST", token: account.token });
  expect(setup.status, setup.text).toBe(200);
  totpSecret = setup.body.secret;
  const enabled = await call(journey.server, "/api/two-factor/enable", {
    token: account.token,
    body: { totpCode: await freshTotpCode(), password: ADMIN_PASSWORD },
  });
  expect(enabled.status, enabled.text).toBe(200);
}

/** A one-use registration invite from the admin, through the API. */
async function inviteCode(): Promise<string> {
  const invite = await call(journey.server, "/api/admin/invites", { token: admin.token, body: { maxUses: 1 } });
  expect(invite.status, invite.text).toBe(201);
  return invite.body.code;
}

/** Accounts that registered long ago, straight into the database (registration is rate limited per address). */
async function addCrowd(): Promise<void> {
  const client = new pg.Client({ connectionString: journey.database.url });
  await client.connect();
  try {
    await client.query(
      `insert into users (username, password_hash)
       select 'member-' || lpad(n::text, 2, '0'), '!' from generate_series(1, $1::int) as n`,
      [CROWD_SIZE],
    );
  } finally {
    await client.end();
  }
}

/** The current code from oathtool, from a time step after the last one used (waiting for it, at most 30 s). */
async function freshTotpCode(): Promise<string> {
  while (Math.floor(Date.now() / TOTP_STEP_MS) <= lastUsedStep) {
    await new Promise((resolve) => setTimeout(resolve, TOTP_STEP_MS - (Date.now() % TOTP_STEP_MS) + 100));
  }
  const now = new Date();
  lastUsedStep = Math.floor(now.getTime() / TOTP_STEP_MS);
  return oathtool(totpSecret, now);
}
