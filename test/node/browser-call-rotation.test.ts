/**
 * A call's media keys follow the channel's MLS epochs in the real app, in Chromium with
 * fake devices: alice and bob are in Acme's "lounge" call; bob reads #general meanwhile
 * (the lounge's chat, which applies its group's commits, is closed on his page); carol
 * joins Acme and her device is added to the lounge's group by alice's page, a new epoch.
 * Past the few seconds the old keys are kept, alice and bob still decode each other:
 * bob's page took the new epoch from the call's own socket.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite, MEDIA_KEY_OVERLAP_MS, MEDIA_KEY_SWITCH_DELAY_MS } from "../../e2ee/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { FAKE_MEDIA_ARGS } from "../support/browser.ts";
import { browserJourney, channelLink } from "../support/browser-journey.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { collectPeerConnections } from "../support/peer-connections.ts";

const PASSWORD = "correct horse battery";
/** Joining and media starting take a few seconds on a busy two-core machine. */
const MEDIA_TIMEOUT_MS = 20_000;
/** Carol's device announced, alice's page told, her commit made and taken: longer on a busy machine. */
const COMMIT_TIMEOUT_MS = 40_000;

const journey = browserJourney("browser_call_rotation", { COMMUNITY_CREATION_MODE: "open" }, FAKE_MEDIA_ARGS);
let aliceAccount: Account;
let inviteCode = "";
const pages: Record<"alice" | "bob", Page> = {} as never;

beforeAll(async () => {
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const asAlice = async (path: string, body: unknown) => {
    const answer = await call(journey.server, path, { body, token: aliceAccount.token });
    expect(answer.status, answer.text).toBeLessThan(300);
    return answer.body;
  };
  const { community } = await asAlice("/api/communities", { name: "Acme" });
  await asAlice(`/api/communities/${community.id}/channels`, { name: "lounge", kind: "voice" });
  inviteCode = (await asAlice(`/api/communities/${community.id}/invites`, {})).code;
  await accept(bobAccount);
  for (const name of ["alice", "bob"] as const) {
    pages[name] = await journey.openPage();
    await pages[name].addInitScript(collectPeerConnections);
    await signIn(pages[name], name);
  }
}, 120_000);

afterAll(() => {
  expect(journey.problems).toEqual([]);
});

describe("a call while the lounge's group moves to a new epoch", () => {
  it("keeps alice and bob decoding each other after carol is added, with bob's chat elsewhere", async () => {
    for (const page of [pages.alice, pages.bob]) {
      await lounge(page).click();
      await page.getByRole("button", { name: "Join with video" }).click();
      await page.locator(".call-stage").getByRole("status").filter({ hasText: "Voice connected" }).waitFor({
        timeout: MEDIA_TIMEOUT_MS,
      });
    }
    for (const page of [pages.alice, pages.bob]) await expectDecoding(page);
    await channelLink(pages.bob, "#general").click();
    await pages.bob.getByRole("region", { name: "Your call" }).getByText("Voice connected").waitFor();

    // Carol's device is set up and she joins Acme: alice's page, with the lounge open, adds her.
    const carolAccount = await registerOn(journey.server, "carol", PASSWORD);
    await SimulatedDevice.setUp(journey.server, carolAccount, await chatalotCiphersuite());
    await accept(carolAccount);
    await pages.alice
      .getByRole("log")
      .getByTestId("roster-change")
      .filter({ hasText: "carol can now read new messages" })
      .waitFor({ timeout: COMMIT_TIMEOUT_MS });
    // Nothing on the page marks the end of the old keys' grace: what is checked is after it.
    await pages.alice.waitForTimeout(MEDIA_KEY_SWITCH_DELAY_MS + MEDIA_KEY_OVERLAP_MS);
    for (const page of [pages.alice, pages.bob]) await expectDecoding(page);
  });
});

async function accept(account: Account): Promise<void> {
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code: inviteCode },
    token: account.token,
  });
  expect(joined.status, joined.text).toBe(200);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: "Acme" }).click();
  await lounge(page).waitFor();
}

const lounge = (page: Page) =>
  page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: /^lounge/ });

/** The page's open connections keep decoding video: its frames decoded grow within a second. */
async function expectDecoding(page: Page): Promise<void> {
  const framesDecoded = () =>
    page.evaluate(async () => {
      const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
      let sum = 0;
      for (const connection of all.filter((candidate) => candidate.connectionState !== "closed")) {
        (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type === "inbound-rtp" && stat.kind === "video") sum += Number(stat.framesDecoded ?? 0);
        });
      }
      return sum;
    });
  const growth = async () => {
    const before = await framesDecoded();
    await page.waitForTimeout(1_000);
    return (await framesDecoded()) - before;
  };
  await expect.poll(growth, { timeout: MEDIA_TIMEOUT_MS }).toBeGreaterThan(0);
}
