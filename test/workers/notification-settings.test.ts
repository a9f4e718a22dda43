/**
 * Notification settings through /api/notifications: alice and bob share a community
 * with #general and a DM; mallory shares nothing with them. Each sentence is checked
 * by the responses, and the sync by the frames bob's other page receives.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { query } from "../../db/index.ts";
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  type ChannelView,
  type NotificationPreferences,
  type NotificationTarget,
} from "../../protocol/index.ts";
import {
  as,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  request,
  unique,
  type Person,
} from "./fixtures.ts";
import { accountSocket, setTarget, settingsOf } from "./notify-fixtures.ts";

/** Three sign-ups (scrypt) on a machine shared with other suites. */
const HOOK_TIMEOUT_MS = 30_000;

let alice: Person, bob: Person, mallory: Person;
let communityId: string;
let general: ChannelView;
let dm: ChannelView;

beforeEach(async () => {
  [alice, bob, mallory] = (await Promise.all(["alice", "bob", "mallory"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob)).id;
  general = await createChannelIn(alice, communityId);
  const opened = await expectStatus(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }), 201);
  dm = ((await opened.json()) as { channel: ChannelView }).channel;
}, HOOK_TIMEOUT_MS);

const errorMessage = async (response: Response) =>
  ((await response.json()) as { error: { message: string } }).error.message;
const inAnHour = () => new Date(Date.now() + 60 * 60_000).toISOString();

describe("settings round trip", () => {
  it("gives a newcomer the documented defaults and no per-target settings", async () => {
    expect(await settingsOf(bob)).toEqual({ preferences: DEFAULT_NOTIFICATION_PREFERENCES, targets: [] });
  });

  it("keeps bob's preferences, merging each change into what he chose before", async () => {
    const first = await expectStatus(
      await as(bob, "PUT", "/api/notifications/preferences", { hideContent: true, dndAllows: "dms" }),
      200,
    );
    expect(await first.json()).toEqual({ ...DEFAULT_NOTIFICATION_PREFERENCES, hideContent: true, dndAllows: "dms" });
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { sound: false }), 200);
    const { preferences } = await settingsOf(bob);
    expect(preferences).toEqual({
      hideContent: true,
      sound: false,
      directMessages: true,
      dndAllows: "dms",
    } satisfies NotificationPreferences);
    // Alice's are her own.
    expect((await settingsOf(alice)).preferences).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
  });

  it("sets levels and mutes per community, channel and DM, and forgets them on reset", async () => {
    const until = inAnHour();
    const community = await setTarget(bob, "community", communityId, { level: "all" });
    expect(await community.json()).toEqual({ kind: "community", id: communityId, level: "all", mutedUntil: null });
    await setTarget(bob, "channel", general.id, { mutedUntil: until });
    // Leaving a field out keeps it: the mute stays when the level changes.
    const channel = await setTarget(bob, "channel", general.id, { level: "nothing" });
    expect(await channel.json()).toEqual({ kind: "channel", id: general.id, level: "nothing", mutedUntil: until });
    await setTarget(bob, "channel", dm.id, { level: "nothing", mutedUntil: "forever" });

    const { targets } = await settingsOf(bob);
    expect(targets).toHaveLength(3);
    expect(targets).toEqual(
      expect.arrayContaining<NotificationTarget>([
        { kind: "community", id: communityId, level: "all", mutedUntil: null },
        { kind: "channel", id: general.id, level: "nothing", mutedUntil: until },
        { kind: "channel", id: dm.id, level: "nothing", mutedUntil: "forever" },
      ]),
    );

    // Unmuting keeps the level; inheriting again keeps the mute.
    expect(await (await setTarget(bob, "channel", dm.id, { mutedUntil: null })).json()).toMatchObject({
      level: "nothing",
      mutedUntil: null,
    });
    expect(await (await setTarget(bob, "channel", general.id, { level: null })).json()).toMatchObject({
      level: null,
      mutedUntil: until,
    });
    await expectStatus(await as(bob, "DELETE", `/api/notifications/targets/channel/${general.id}`), 204);
    await expectStatus(await as(bob, "DELETE", `/api/notifications/targets/community/${communityId}`), 204);
    expect((await settingsOf(bob)).targets).toEqual([
      { kind: "channel", id: dm.id, level: "nothing", mutedUntil: null },
    ]);
  });
});

describe("bad input changes nothing", () => {
  it("refuses unknown levels, fields and preferences with a message that says what to fix", async () => {
    await setTarget(bob, "channel", general.id, { level: "loud" }, 400);
    await setTarget(bob, "channel", general.id, { level: "all", volume: 11 }, 400);
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { sound: "yes" }), 400);
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { dndAllows: "everything" }), 400);
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { desktop: true }), 400);
    // No JSON body, or JSON sent as text/plain (what a cross-site form can send).
    await expectStatus(await as(bob, "PUT", `/api/notifications/targets/channel/${general.id}`), 415);
    const asText = await request("/api/notifications/preferences", {
      method: "PUT",
      headers: { Authorization: `Bearer ${bob.token}`, "Content-Type": "text/plain" },
      body: JSON.stringify({ sound: false }),
    });
    expect(asText.status).toBe(415);
    expect(await settingsOf(bob)).toEqual({ preferences: DEFAULT_NOTIFICATION_PREFERENCES, targets: [] });
  });

  it("refuses a mute that already ended, one more than a year ahead, or one that is not a time", async () => {
    const past = await setTarget(
      bob,
      "channel",
      general.id,
      { mutedUntil: new Date(Date.now() - 1000).toISOString() },
      400,
    );
    expect(await errorMessage(past)).toMatch(/future/);
    const later = new Date(Date.now() + 400 * 24 * 60 * 60_000).toISOString();
    await setTarget(bob, "channel", general.id, { mutedUntil: later }, 400);
    await setTarget(bob, "channel", general.id, { mutedUntil: "tomorrow" }, 400);
    await setTarget(bob, "channel", general.id, { mutedUntil: 15 }, 400);
    expect((await settingsOf(bob)).targets).toEqual([]);
  });

  it("lets a DM be only on or off", async () => {
    const refused = await setTarget(bob, "channel", dm.id, { level: "mentions" }, 400);
    expect(await errorMessage(refused)).toMatch(/on \("all"\) or off \("nothing"\)/);
    await setTarget(bob, "channel", dm.id, { level: "all" });
  });
});

describe("a bounded number of settings", () => {
  it("refuses bob a new setting past the bound, while the ones he holds still change", async () => {
    // The route's bound is NOTIFICATION_TARGETS_MAX (1000); the query takes it as input.
    const set = (id: string, level: "all" | "nothing") =>
      query(env.DATABASE, "setNotificationTarget", { userId: bob.user.id, kind: "channel", id, level, max: 2 });
    expect(await set(general.id, "all")).toMatchObject({ id: general.id, level: "all" });
    expect(await set(dm.id, "all")).toMatchObject({ id: dm.id, level: "all" });
    expect(await set(crypto.randomUUID(), "all")).toBe("too_many");
    expect(await set(general.id, "nothing")).toMatchObject({ id: general.id, level: "nothing" });
    expect((await settingsOf(bob)).targets).toHaveLength(2);
  });
});

describe("targets one cannot see", () => {
  it("answers mallory 404 for alice's community, its channel and her DM, as for ones that do not exist", async () => {
    for (const [kind, id] of [
      ["community", communityId],
      ["channel", general.id],
      ["channel", dm.id],
      ["channel", crypto.randomUUID()],
      ["community", crypto.randomUUID()],
      ["community", "not-an-id"],
    ] as const) {
      const refused = await setTarget(mallory, kind, id, { level: "all" }, 404);
      expect(await errorCode(refused)).toBe("not_found");
    }
    await setTarget(mallory, "server" as "community", communityId, { level: "all" }, 404);
    expect((await settingsOf(mallory)).targets).toEqual([]);
  });
});

describe("sync across devices", () => {
  it("tells bob's other open page each time his settings change", async () => {
    const otherPage = await accountSocket(bob);
    const alicePage = await accountSocket(alice);
    await setTarget(bob, "channel", general.id, { mutedUntil: "forever" });
    await otherPage.next("changed", (frame) => frame.scope === "notifications");
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { sound: false }), 200);
    await otherPage.next("changed", (frame) => frame.scope === "notifications");
    await expectStatus(await as(bob, "DELETE", `/api/notifications/targets/channel/${general.id}`), 204);
    await otherPage.next("changed", (frame) => frame.scope === "notifications");
    // Only bob's pages hear of bob's settings.
    expect(alicePage.frames.some((frame) => frame.type === "changed" && frame.scope === "notifications")).toBe(false);
    otherPage.close();
    alicePage.close();
  });
});
