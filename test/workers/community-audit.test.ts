/**
 * A community's audit log and invites as its settings page reads them: alice owns the
 * community, bob is a member who may not manage it. Entries name the people involved,
 * newest first, narrowed by action and by who acted, a page at a time; invites can last
 * thirty minutes and say who made them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type {
  CommunityAuditFilters,
  CommunityAuditPage,
  CommunityInviteView,
  CommunityView,
} from "../../protocol/index.ts";
import { as, createCommunity, errorCode, expectStatus, register, unique, type Person } from "./fixtures.ts";

let alice: Person, bob: Person;
let community: CommunityView;

const auditOf = async (person: Person, query = "") =>
  (await (
    await expectStatus(await as(person, "GET", `/api/communities/${community.id}/audit${query}`), 200)
  ).json()) as CommunityAuditPage;

beforeAll(async () => {
  [alice, bob] = await Promise.all([register(unique("alice")), register(unique("bob"))]);
  community = await createCommunity(alice, bob);
  await expectStatus(await as(alice, "PATCH", `/api/communities/${community.id}`, { name: "Zebra Friends" }), 200);
  await expectStatus(await as(bob, "POST", `/api/communities/${community.id}/leave`), 204);
});

describe("a community's audit log", () => {
  it("names who did what, newest first, with what a rename changed", async () => {
    const { events, hasMore } = await auditOf(alice);
    expect(hasMore).toBe(false);
    expect(events.map((event) => event.action)).toEqual(["member.left", "community.updated", "invite.created"]);
    const [left, renamed] = events;
    expect(left!.actor).toEqual({ userId: bob.user.id, username: bob.user.username, displayName: null });
    expect(renamed!.actor?.username).toBe(alice.user.username);
    expect(renamed!.details).toEqual({ previousName: community.name, name: "Zebra Friends" });
  });

  it("narrows by action and by who acted, and lists the choices", async () => {
    expect((await auditOf(alice, "?action=member.left")).events.map((event) => event.actorId)).toEqual([bob.user.id]);
    expect((await auditOf(alice, `?actorId=${alice.user.id}`)).events.map((event) => event.action)).toEqual([
      "community.updated",
      "invite.created",
    ]);
    expect((await auditOf(alice, `?actorId=${alice.user.id}&action=member.left`)).events).toEqual([]);
    const response = await expectStatus(await as(alice, "GET", `/api/communities/${community.id}/audit/filters`), 200);
    const filters = (await response.json()) as CommunityAuditFilters;
    expect(filters.actions).toEqual(["community.updated", "invite.created", "member.left"]);
    expect(filters.actors.map((actor) => actor.username).sort()).toEqual(
      [alice.user.username, bob.user.username].sort(),
    );
  });

  it("pages older entries before the oldest one shown", async () => {
    const first = await auditOf(alice, "?limit=2");
    expect(first.hasMore).toBe(true);
    const older = await auditOf(alice, `?limit=2&before=${first.events.at(-1)!.id}`);
    expect(older).toEqual({ events: [expect.objectContaining({ action: "invite.created" })], hasMore: false });
  });

  it("refuses a malformed filter in words, and anyone who may not manage the community", async () => {
    const bad = await as(alice, "GET", `/api/communities/${community.id}/audit?actorId=nobody`);
    expect(bad.status).toBe(400);
    const carol = await register(unique("carol"));
    // A non-member finds nothing; a member without MANAGE_COMMUNITY is refused.
    expect((await as(carol, "GET", `/api/communities/${community.id}/audit/filters`)).status).toBe(404);
    const dave = await register(unique("dave"));
    const invite = await expectStatus(await as(alice, "POST", `/api/communities/${community.id}/invites`, {}), 201);
    const { code } = (await invite.json()) as { code: string };
    await expectStatus(await as(dave, "POST", "/api/community-invites/accept", { code }), 200);
    expect((await as(dave, "GET", `/api/communities/${community.id}/audit`)).status).toBe(403);
    expect((await as(dave, "GET", `/api/communities/${community.id}/audit/filters`)).status).toBe(403);
  });
});

describe("a community's invites", () => {
  it("can last thirty minutes, and say who made them", async () => {
    const before = Date.now();
    const response = await expectStatus(
      await as(alice, "POST", `/api/communities/${community.id}/invites`, { expiresInMinutes: 30, maxUses: 5 }),
      201,
    );
    const { invite } = (await response.json()) as { invite: CommunityInviteView };
    const lifetime = Date.parse(invite.expiresAt!) - before;
    expect(lifetime).toBeGreaterThan(29 * 60_000);
    expect(lifetime).toBeLessThan(31 * 60_000);
    expect(invite).toMatchObject({ maxUses: 5, createdBy: alice.user.id });

    const list = await expectStatus(await as(alice, "GET", `/api/communities/${community.id}/invites`), 200);
    const { invites } = (await list.json()) as { invites: CommunityInviteView[] };
    expect(invites.find((listed) => listed.id === invite.id)?.createdBy).toBe(alice.user.id);
    const { events } = await auditOf(alice, "?action=invite.created&limit=1");
    expect(events[0]!.details).toMatchObject({ inviteId: invite.id, maxUses: 5, expiresAt: invite.expiresAt });
  });

  it("refuses an expiry given both in minutes and in hours", async () => {
    const response = await as(alice, "POST", `/api/communities/${community.id}/invites`, {
      expiresInMinutes: 30,
      expiresInHours: 1,
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  });

  it("records a revocation in the log", async () => {
    const made = await expectStatus(await as(alice, "POST", `/api/communities/${community.id}/invites`, {}), 201);
    const { invite } = (await made.json()) as { invite: CommunityInviteView };
    await expectStatus(await as(alice, "DELETE", `/api/communities/${community.id}/invites/${invite.id}`), 204);
    const { events } = await auditOf(alice, "?action=invite.revoked");
    expect(events.map((event) => event.details)).toEqual([{ inviteId: invite.id }]);
  });
});
