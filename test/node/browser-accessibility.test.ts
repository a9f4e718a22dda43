/**
 * axe-core on every main screen, in a real browser: signing in, registering, a
 * channel with messages, a direct conversation, an invite's page, a voice channel
 * and the settings. Each must show no critical and no serious violation (contrast,
 * names, list semantics). axe runs in the page through the DevTools protocol, so the
 * strict CSP stays on and is still checked.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createCommunityWith, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, channelLink, memberList, waitUntilDelivered } from "../support/browser-journey.ts";

const PASSWORD = "correct horse battery";
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const journey = browserJourney("browser_accessibility");
let admin: Account;
let page: Page;
let acmeId = "";

beforeAll(async () => {
  admin = await registerOn(journey.server, "admin", PASSWORD);
  const bob = await registerOn(journey.server, "bob", PASSWORD);
  await createCommunityWith(journey.server, admin, "Acme", [bob]);
  acmeId = (await call(journey.server, "/api/communities", { token: admin.token })).body.communities[0].id;
  const lounge = await call(journey.server, `/api/communities/${acmeId}/channels`, {
    token: admin.token,
    body: { name: "lounge", kind: "voice" },
  });
  expect(lounge.status, lounge.text).toBe(201);
  page = await journey.openPage();
});

interface Finding {
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe's critical and serious findings on the page as it is now. */
async function seriousViolations(on: Page): Promise<Finding[]> {
  if (!(await on.evaluate(() => "axe" in window))) await on.evaluate(AXE_SOURCE);
  return on.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    interface AxeViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }
    const { violations } = await axe.run(document);
    return violations
      .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
      .map((violation) => ({
        rule: violation.id,
        impact: violation.impact ?? "",
        help: violation.help,
        nodes: violation.nodes.map((node) => node.target.join(" ")),
      }));
  });
}

describe("axe on every main screen", () => {
  it("finds nothing serious on the sign-in page", async () => {
    await page.goto(`${journey.server.url}/sign-in`);
    await page.getByRole("heading", { name: "Sign in to Chatalot" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("finds nothing serious on the registration page", async () => {
    await page.goto(`${journey.server.url}/register`);
    await page.getByRole("button", { name: "Create account", exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("finds nothing serious in a channel with messages", async () => {
    await page.goto(`${journey.server.url}/sign-in`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await channelLink(page, "#general").click();
    await waitUntilConnected(page);
    for (const text of ["welcome to acme", "the meeting moved to 3pm, @bob"]) {
      await page.getByLabel("Message #general").fill(text);
      await page.getByLabel("Message #general").press("Enter");
      await waitUntilDelivered(page);
    }
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("finds nothing serious in a direct conversation", async () => {
    await memberList(page).getByRole("button", { name: "Message bob" }).click();
    await page.getByRole("heading", { name: "@bob" }).waitFor();
    await waitUntilConnected(page);
    await page.getByLabel("Message @bob").fill("a word in private");
    await page.getByLabel("Message @bob").press("Enter");
    await waitUntilDelivered(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("finds nothing serious on an invite's page", async () => {
    const invite = await call(journey.server, `/api/communities/${acmeId}/invites`, { token: admin.token, body: {} });
    // The accept waits while axe looks, as on a slow line.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/community-invites/accept", async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${journey.server.url}/join/${invite.body.code}`);
    await page.getByRole("heading", { name: "Acme", level: 2 }).waitFor();
    const found = await seriousViolations(page);
    release();
    await channelLink(page, "#general").waitFor();
    await page.unroute("**/api/community-invites/accept");
    expect(found).toEqual([]);
  });

  it("finds nothing serious in a voice channel", async () => {
    await channelLink(page, "lounge voice").click();
    await page.getByRole("button", { name: "Join voice" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("finds nothing serious in the settings", async () => {
    await page.getByRole("region", { name: "Your account" }).getByRole("link", { name: "User settings" }).click();
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("met no page error or CSP violation on the way", () => {
    expect(journey.problems).toEqual([]);
  });
});
