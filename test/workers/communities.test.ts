/**
 * Communities through the API: alice the owner, bob a member, carol a moderator,
 * mallory an outsider. Membership scopes everything; roles and the hierarchy
 * decide who may do what; every moderation action lands in the audit log.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommunityView, MemberView, RoleView } from "../../protocol/index.ts";
import { json, register, request, unique, type Person } from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person, mallory: Person;
let community: CommunityView;
let moderatorRole: RoleView;

const as = (person: Person, method: string, path: string, body?: unknown) =>
  request(
    path,
    body === undefined
      ? { method, headers: { Authorization: `Bearer ${person.token}` } }
      : json(method, body, person.token),
  );
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

async function join(person: Person, code: string) {
  const response = await as(person, "POST", "/api/community-invites/accept", { code });
  expect(response.status, await response.clone().text()).toBe(200);
}

beforeAll(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  const created = await as(alice, "POST", "/api/communities", { name: "Gardeners", description: "Growing things" });
  expect(created.status).toBe(201);
  community = ((await created.json()) as { community: CommunityView }).community;
  const invite = (await (await as(alice, "POST", `/api/communities/${community.id}/invites`, {})).json()) as {
    code: string;
  };
  await join(bob, invite.code);
  await join(carol, invite.code);
  const role = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
    name: "moderator",
    position: 5,
    permissions: ["KICK_MEMBERS", "BAN_MEMBERS", "TIMEOUT_MEMBERS", "MANAGE_MESSAGES"],
  });
  expect(role.status, await role.clone().text()).toBe(201);
  moderatorRole = ((await role.json()) as { role: RoleView }).role;
  expect(
    (await as(alice, "PUT", `/api/communities/${community.id}/members/${carol.user.id}/roles/${moderatorRole.id}`))
      .status,
  ).toBe(204);
});

describe("a community", () => {
  it("is created with its owner as the only member and an @everyone role", async () => {
    const response = await as(alice, "GET", `/api/communities/${community.id}`);
    const body = (await response.json()) as { community: CommunityView; roles: RoleView[]; myPermissions: string[] };
    expect(body.community.ownerId).toBe(alice.user.id);
    expect(body.roles.find((role) => role.isEveryone)?.permissions).toContain("SEND_MESSAGES");
    expect(body.myPermissions).toContain("ADMINISTRATOR");
  });

  it("is invisible to mallory, who is not a member: 404, not 403", async () => {
    expect((await as(mallory, "GET", `/api/communities/${community.id}`)).status).toBe(404);
    expect((await as(mallory, "GET", `/api/communities/${community.id}/members`)).status).toBe(404);
    const mine = (await (await as(mallory, "GET", "/api/communities")).json()) as { communities: CommunityView[] };
    expect(mine.communities.map((entry) => entry.id)).not.toContain(community.id);
  });

  it("lists its members with their roles", async () => {
    const { members } = (await (await as(bob, "GET", `/api/communities/${community.id}/members`)).json()) as {
      members: MemberView[];
    };
    expect(members.map((member) => member.userId).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
    expect(members.find((member) => member.userId === carol.user.id)?.roleIds).toEqual([moderatorRole.id]);
  });

  it("can only be created by instance admins when COMMUNITY_CREATION_MODE is admin_only", async () => {
    const response = await request("/api/communities", json("POST", { name: "Not allowed" }, bob.token), {
      ...env,
      COMMUNITY_CREATION_MODE: "admin_only",
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("community_creation_closed");
  });

  it("refuses edits from members without MANAGE_COMMUNITY and accepts the owner's", async () => {
    expect((await as(bob, "PATCH", `/api/communities/${community.id}`, { name: "Bob's now" })).status).toBe(403);
    const edited = await as(alice, "PATCH", `/api/communities/${community.id}`, {
      description: "Growing things together",
    });
    expect(((await edited.json()) as { community: CommunityView }).community.description).toBe(
      "Growing things together",
    );
  });

  it("takes a small inline image as its icon, refuses SVG, other URLs and oversized ones, and drops it on null", async () => {
    // A 1x1 transparent PNG.
    const icon =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    const set = await as(alice, "PATCH", `/api/communities/${community.id}`, { icon });
    expect(((await set.json()) as { community: CommunityView }).community.icon).toBe(icon);
    const listed = (await (await as(bob, "GET", "/api/communities")).json()) as { communities: CommunityView[] };
    expect(listed.communities.find((known) => known.id === community.id)?.icon).toBe(icon);
    for (const bad of [
      "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
      "https://example.com/icon.png",
      `data:image/png;base64,${"A".repeat(12 * 1024)}`,
    ]) {
      expect(
        (await as(alice, "PATCH", `/api/communities/${community.id}`, { icon: bad })).status,
        bad.slice(0, 30),
      ).toBe(400);
    }
    const cleared = await as(alice, "PATCH", `/api/communities/${community.id}`, { icon: null });
    expect(((await cleared.json()) as { community: CommunityView }).community.icon).toBeNull();
  });

  it("cannot be left by its owner before handing it over", async () => {
    const response = await as(alice, "POST", `/api/communities/${community.id}/leave`);
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("owner_must_transfer");
  });
});

describe("invites", () => {
  it("are spent atomically: two people racing for the last use, one gets in", async () => {
    const { code } = (await (
      await as(alice, "POST", `/api/communities/${community.id}/invites`, { maxUses: 1 })
    ).json()) as { code: string };
    const [first, second] = await Promise.all([unique("dave"), unique("erin")].map((name) => register(name)));
    const results = await Promise.all(
      [first!, second!].map((person) => as(person, "POST", "/api/community-invites/accept", { code })),
    );
    expect(results.map((response) => response.status).sort()).toEqual([200, 404]);
  });

  it("need CREATE_INVITES, which @everyone holds by default, and refuse mallory once banned", async () => {
    const { code } = (await (await as(bob, "POST", `/api/communities/${community.id}/invites`, {})).json()) as {
      code: string;
    };
    expect(
      (
        await as(alice, "POST", `/api/communities/${community.id}/bans`, {
          userId: mallory.user.id,
          reason: "spam elsewhere",
        })
      ).status,
    ).toBe(204);
    const refused = await as(mallory, "POST", "/api/community-invites/accept", { code });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("banned");
    expect((await as(alice, "DELETE", `/api/communities/${community.id}/bans/${mallory.user.id}`)).status).toBe(204);
  });
});

describe("roles and the hierarchy", () => {
  it("lets nobody grant a permission they lack", async () => {
    const response = await as(carol, "POST", `/api/communities/${community.id}/roles`, {
      name: "helper",
      position: 1,
      permissions: ["SEND_MESSAGES"],
    });
    expect(response.status).toBe(403); // carol cannot manage roles at all
    const fromOwner = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
      name: "overreach",
      position: 1,
      permissions: ["NOT_A_PERMISSION"],
    });
    expect(fromOwner.status).toBe(400);
  });

  it("keeps a moderator from acting on the owner or on an equal", async () => {
    const onOwner = await as(carol, "POST", `/api/communities/${community.id}/members/${alice.user.id}/kick`, {});
    expect(onOwner.status).toBe(403);
    expect(await errorCode(onOwner)).toBe("hierarchy");
    const frank = await register(unique("frank"));
    const { code } = (await (await as(alice, "POST", `/api/communities/${community.id}/invites`, {})).json()) as {
      code: string;
    };
    await join(frank, code);
    await as(alice, "PUT", `/api/communities/${community.id}/members/${frank.user.id}/roles/${moderatorRole.id}`);
    expect(
      (await as(carol, "POST", `/api/communities/${community.id}/members/${frank.user.id}/timeout`, { minutes: 5 }))
        .status,
    ).toBe(403);
  });

  it("lets a plain member do no moderation", async () => {
    expect((await as(bob, "POST", `/api/communities/${community.id}/members/${carol.user.id}/kick`, {})).status).toBe(
      403,
    );
    expect((await as(bob, "GET", `/api/communities/${community.id}/bans`)).status).toBe(403);
    expect((await as(bob, "GET", `/api/communities/${community.id}/audit`)).status).toBe(403);
  });
});

describe("moderation", () => {
  it("times out, kicks and bans members below, and writes each to the audit log", async () => {
    const [gina, hank] = await Promise.all([register(unique("gina")), register(unique("hank"))]);
    const { code } = (await (await as(alice, "POST", `/api/communities/${community.id}/invites`, {})).json()) as {
      code: string;
    };
    await join(gina!, code);
    await join(hank!, code);

    const timeout = await as(carol, "POST", `/api/communities/${community.id}/members/${gina!.user.id}/timeout`, {
      minutes: 10,
      reason: "cool down",
    });
    expect(timeout.status).toBe(200);
    const members = (await (await as(alice, "GET", `/api/communities/${community.id}/members`)).json()) as {
      members: MemberView[];
    };
    expect(members.members.find((member) => member.userId === gina!.user.id)?.timedOutUntil).not.toBeNull();

    expect(
      (
        await as(carol, "POST", `/api/communities/${community.id}/members/${gina!.user.id}/kick`, {
          reason: "ignored the warning",
        })
      ).status,
    ).toBe(204);
    expect((await as(gina!, "GET", `/api/communities/${community.id}`)).status).toBe(404);
    expect(
      (await as(carol, "POST", `/api/communities/${community.id}/bans`, { userId: hank!.user.id, reason: "raid" }))
        .status,
    ).toBe(204);
    expect((await as(hank!, "GET", `/api/communities/${community.id}`)).status).toBe(404);
    const bans = (await (await as(carol, "GET", `/api/communities/${community.id}/bans`)).json()) as {
      bans: { userId: string; reason: string }[];
    };
    expect(bans.bans).toContainEqual(expect.objectContaining({ userId: hank!.user.id, reason: "raid" }));

    const { events } = (await (await as(alice, "GET", `/api/communities/${community.id}/audit`)).json()) as {
      events: { action: string; actorId: string; targetUserId: string; reason: string | null }[];
    };
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "member.timed_out",
          actorId: carol.user.id,
          targetUserId: gina!.user.id,
          reason: "cool down",
        }),
        expect.objectContaining({
          action: "member.kicked",
          actorId: carol.user.id,
          targetUserId: gina!.user.id,
          reason: "ignored the warning",
        }),
        expect.objectContaining({
          action: "member.banned",
          actorId: carol.user.id,
          targetUserId: hank!.user.id,
          reason: "raid",
        }),
      ]),
    );
  });
});

describe("guarding the top of the hierarchy", () => {
  it("lets nobody hand out a role whose permissions they do not hold", async () => {
    const [ivy, jon] = (await Promise.all([register(unique("ivy")), register(unique("jon"))])) as [Person, Person];
    const { code } = (await (await as(alice, "POST", `/api/communities/${community.id}/invites`, {})).json()) as {
      code: string;
    };
    await join(ivy, code);
    await join(jon, code);
    const roleManager = (await (
      await as(alice, "POST", `/api/communities/${community.id}/roles`, {
        name: "role manager",
        position: 10,
        permissions: ["MANAGE_ROLES"],
      })
    ).json()) as { role: RoleView };
    const bots = (await (
      await as(alice, "POST", `/api/communities/${community.id}/roles`, {
        name: "bots",
        position: 2,
        permissions: ["ADMINISTRATOR"],
      })
    ).json()) as { role: RoleView };
    await as(alice, "PUT", `/api/communities/${community.id}/members/${ivy.user.id}/roles/${roleManager.role.id}`);
    const escalation = await as(
      ivy,
      "PUT",
      `/api/communities/${community.id}/members/${jon.user.id}/roles/${bots.role.id}`,
    );
    expect(escalation.status).toBe(403);
    expect(await errorCode(escalation)).toBe("missing_permission");
  });

  it("refuses permission names that are not permissions, and empty edits", async () => {
    const sneaky = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
      name: "sneaky",
      position: 1,
      permissions: ["toString"],
    });
    expect(sneaky.status).toBe(400);
    expect((await as(alice, "PATCH", `/api/communities/${community.id}`, {})).status).toBe(400);
  });
});
