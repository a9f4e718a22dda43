/**
 * What the profile card and the member menu read: alice owns a community with carol
 * (a moderator: TIMEOUT_MEMBERS), bob and mallory. A person's profile (bio and all) is
 * for those who share a community or a conversation with them; to a stranger, eve, the
 * person does not exist. A time-out's reason is for the person timed out and for
 * moderators, not for bob; lifting the time-out forgets it. The bans list says who banned.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { MemberView } from "../../protocol/index.ts";
import type { BanView, ProfileView } from "../../protocol/moderation.ts";
import { as, createCommunity, errorCode, expectStatus, register, unique, type Person } from "./fixtures.ts";

/** Five accounts (each a password hash) and a community, on a machine others share. */
const SETUP_TIMEOUT_MS = 60_000;

let alice: Person, bob: Person, carol: Person, mallory: Person, eve: Person;
let communityId: string;

beforeAll(async () => {
  [alice, bob, carol, mallory, eve] = await Promise.all([
    register(unique("alice")),
    register(unique("bob")),
    register(unique("carol")),
    register(unique("mallory")),
    register(unique("eve")),
  ]);
  communityId = (await createCommunity(alice, bob, carol, mallory)).id;
  const created = await expectStatus(
    await as(alice, "POST", `/api/communities/${communityId}/roles`, {
      name: "Moderators",
      permissions: ["TIMEOUT_MEMBERS"],
      position: 1,
    }),
    201,
  );
  const { role } = (await created.json()) as { role: { id: string } };
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.user.id}/roles/${role.id}`),
    204,
  );
  await expectStatus(
    await as(mallory, "PATCH", "/api/account/profile", { bio: "Bargains daily.", pronouns: "she/her" }),
    200,
  );
}, SETUP_TIMEOUT_MS);

async function malloryAsSeenBy(person: Person): Promise<MemberView> {
  const response = await expectStatus(await as(person, "GET", `/api/communities/${communityId}/members`), 200);
  const { members } = (await response.json()) as { members: MemberView[] };
  return members.find((member) => member.userId === mallory.user.id)!;
}

describe("a person's profile", () => {
  it("is read by those who share a community with them: bio, pronouns, since when", async () => {
    const response = await expectStatus(await as(bob, "GET", `/api/users/${mallory.user.id}`), 200);
    const { profile } = (await response.json()) as { profile: ProfileView };
    expect(profile).toMatchObject({ id: mallory.user.id, bio: "Bargains daily.", pronouns: "she/her" });
    expect(Date.parse(profile.createdAt)).toBeGreaterThan(0);
  });

  it("does not exist for a stranger, nor for a malformed id", async () => {
    const stranger = await as(eve, "GET", `/api/users/${mallory.user.id}`);
    expect(stranger.status).toBe(404);
    expect(await errorCode(stranger)).toBe("not_found");
    expect((await as(eve, "GET", "/api/users/not-a-uuid")).status).toBe(404);
    expect((await as(eve, "GET", `/api/users/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe("a time-out's reason", () => {
  it("is kept with the time-out, for mallory and the moderators, not for bob", async () => {
    await expectStatus(
      await as(carol, "POST", `/api/communities/${communityId}/members/${mallory.user.id}/timeout`, {
        minutes: 60,
        reason: "spamming",
      }),
      200,
    );
    for (const reader of [mallory, carol, alice])
      expect((await malloryAsSeenBy(reader)).timeoutReason).toBe("spamming");
    const seenByBob = await malloryAsSeenBy(bob);
    expect(seenByBob.timedOutUntil).not.toBeNull();
    expect(seenByBob.timeoutReason).toBeNull();
  });

  it("is forgotten when the time-out is lifted", async () => {
    await expectStatus(
      await as(carol, "DELETE", `/api/communities/${communityId}/members/${mallory.user.id}/timeout`),
      204,
    );
    const seen = await malloryAsSeenBy(mallory);
    expect(seen).toMatchObject({ timedOutUntil: null, timeoutReason: null });
  });

  it("is refused when too long, and nothing changes", async () => {
    const response = await as(carol, "POST", `/api/communities/${communityId}/members/${mallory.user.id}/timeout`, {
      minutes: 60,
      reason: "x".repeat(501),
    });
    expect(response.status).toBe(400);
    expect((await malloryAsSeenBy(alice)).timedOutUntil).toBeNull();
  });
});

describe("the bans list", () => {
  it("names who was banned, why and by whom", async () => {
    await expectStatus(
      await as(alice, "POST", `/api/communities/${communityId}/bans`, { userId: mallory.user.id, reason: "spam" }),
      204,
    );
    const response = await expectStatus(await as(alice, "GET", `/api/communities/${communityId}/bans`), 200);
    const { bans } = (await response.json()) as { bans: BanView[] };
    expect(bans).toEqual([
      expect.objectContaining({
        userId: mallory.user.id,
        username: mallory.user.username,
        reason: "spam",
        bannedBy: alice.user.id,
        bannedByName: alice.user.username,
      }),
    ]);
    // Bob may not read it.
    expect((await as(bob, "GET", `/api/communities/${communityId}/bans`)).status).toBe(403);
  });
});
