/**
 * Roles' colours, grouping and order, and channel overrides saved all at once, through
 * the API: alice owns the community, carol manages roles through "Helpers" (below
 * "Moderators"), bob is a member. Every refusal changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, EventsServerFrame, OverrideView, RoleView } from "../../protocol/index.ts";
import {
  as,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  TestSocket,
  unique,
  upgrade,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person;
let communityId: string;
let moderators: RoleView, helpers: RoleView, artists: RoleView;

const rolesPath = () => `/api/communities/${communityId}/roles`;

async function createRole(person: Person, body: Record<string, unknown>): Promise<RoleView> {
  const response = await expectStatus(await as(person, "POST", rolesPath(), body), 201);
  return ((await response.json()) as { role: RoleView }).role;
}

async function roles(): Promise<RoleView[]> {
  const response = await expectStatus(await as(alice, "GET", rolesPath()), 200);
  return ((await response.json()) as { roles: RoleView[] }).roles;
}

const namesInOrder = async () => (await roles()).map((role) => role.name);

async function accountSocket(person: Person) {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!);
  return socket as unknown as {
    next(
      type: "changed",
      predicate: (frame: Extract<EventsServerFrame, { type: "changed" }>) => boolean,
    ): Promise<unknown>;
    next(type: "presence"): Promise<unknown>;
    socket: WebSocket;
  };
}

beforeAll(async () => {
  [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob, carol)).id;
  moderators = await createRole(alice, {
    name: "Moderators",
    permissions: ["KICK_MEMBERS"],
    color: 0x2ecc71,
    hoist: true,
  });
  helpers = await createRole(alice, { name: "Helpers", permissions: ["MANAGE_ROLES", "VIEW_CHANNEL"] });
  artists = await createRole(alice, { name: "Artists", permissions: [] });
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.user.id}/roles/${helpers.id}`),
    204,
  );
});

describe("role colours and grouping", () => {
  it("puts a role created without a position at the bottom, above @everyone, with its colour and grouping", async () => {
    expect(await namesInOrder()).toEqual(["Moderators", "Helpers", "Artists", "@everyone"]);
    const listed = (await roles()).find((role) => role.id === moderators.id)!;
    expect(listed).toMatchObject({ color: 0x2ecc71, hoist: true });
    expect((await roles()).find((role) => role.id === artists.id)).toMatchObject({ color: null, hoist: false });
  });

  it("refuses a colour outside 0..0xFFFFFF, a fraction or a string, and changes nothing", async () => {
    for (const color of [0x1000000, -1, 1.5, "#ff0000"]) {
      const response = await as(alice, "PATCH", `${rolesPath()}/${artists.id}`, { color });
      expect(response.status, String(color)).toBe(400);
      expect(await errorCode(response)).toBe("invalid_request");
    }
    const created = await as(alice, "POST", rolesPath(), { name: "Bad", permissions: [], color: 0x1000000 });
    expect(created.status).toBe(400);
    expect((await roles()).find((role) => role.id === artists.id)?.color).toBeNull();
    expect(await namesInOrder()).not.toContain("Bad");
  });

  it("changes a colour and grouping, and removes the colour with null", async () => {
    const changed = await expectStatus(
      await as(alice, "PATCH", `${rolesPath()}/${artists.id}`, { color: 0xe91e63, hoist: true }),
      200,
    );
    expect(((await changed.json()) as { role: RoleView }).role).toMatchObject({ color: 0xe91e63, hoist: true });
    await expectStatus(await as(alice, "PATCH", `${rolesPath()}/${artists.id}`, { color: null, hoist: false }), 200);
    expect((await roles()).find((role) => role.id === artists.id)).toMatchObject({ color: null, hoist: false });
  });

  it("tells bob's open account socket that roles changed, and members too when someone is given a role", async () => {
    const bobEvents = await accountSocket(bob);
    await bobEvents.next("presence");
    await expectStatus(await as(alice, "PATCH", `${rolesPath()}/${moderators.id}`, { color: 0x1abc9c }), 200);
    await bobEvents.next("changed", (frame) => frame.scope === "roles" && frame.communityId === communityId);
    await expectStatus(
      await as(alice, "PUT", `/api/communities/${communityId}/members/${bob.user.id}/roles/${artists.id}`),
      204,
    );
    await bobEvents.next("changed", (frame) => frame.scope === "members" && frame.communityId === communityId);
    bobEvents.socket.close();
  });
});

describe("reordering roles", () => {
  const order = () => `${rolesPath()}/order`;

  it("lets the owner reorder every role in one request, and the order persists", async () => {
    const response = await expectStatus(
      await as(alice, "PUT", order(), { roleIds: [moderators.id, artists.id, helpers.id] }),
      200,
    );
    const answered = ((await response.json()) as { roles: RoleView[] }).roles.map((role) => role.name);
    expect(answered).toEqual(["Moderators", "Artists", "Helpers", "@everyone"]);
    expect(await namesInOrder()).toEqual(answered);
  });

  it("refuses carol moving Moderators, above her Helpers role, and changes nothing", async () => {
    const before = await roles();
    const response = await as(carol, "PUT", order(), { roleIds: [artists.id, moderators.id, helpers.id] });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({
      code: "hierarchy",
      message: "you can only move roles below your highest role",
      requestId: response.headers.get("X-Request-Id"),
    });
    expect(await roles()).toEqual(before);
  });

  it("refuses carol moving a role above her own (Artists over Helpers)", async () => {
    // Helpers is carol's highest: it is locked, so Artists may not pass it.
    await expectStatus(await as(alice, "PUT", order(), { roleIds: [moderators.id, helpers.id, artists.id] }), 200);
    const before = await roles();
    const response = await as(carol, "PUT", order(), { roleIds: [moderators.id, artists.id, helpers.id] });
    expect(response.status).toBe(403);
    expect(await roles()).toEqual(before);
  });

  it("refuses a list that leaves a role out, names one twice, names @everyone or a stranger's role", async () => {
    const before = await roles();
    const everyone = before.find((role) => role.isEveryone)!;
    const lists = [
      [moderators.id, helpers.id],
      [moderators.id, helpers.id, helpers.id],
      [moderators.id, helpers.id, artists.id, everyone.id],
      [moderators.id, helpers.id, crypto.randomUUID()],
      ["not-a-uuid"],
    ];
    for (const roleIds of lists) {
      const response = await as(alice, "PUT", order(), { roleIds });
      expect(response.status, JSON.stringify(roleIds)).toBe(400);
    }
    expect(await roles()).toEqual(before);
  });

  it("refuses bob, who cannot manage roles", async () => {
    const response = await as(bob, "PUT", order(), { roleIds: [moderators.id, helpers.id, artists.id] });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("missing_permission");
  });
});

describe("channel overrides saved together", () => {
  let staff: ChannelView;
  let everyoneId: string;
  const overrides = async (): Promise<OverrideView[]> => {
    const response = await expectStatus(await as(alice, "GET", `/api/channels/${staff.id}/overrides`), 200);
    return ((await response.json()) as { overrides: OverrideView[] }).overrides;
  };

  beforeAll(async () => {
    staff = await createChannelIn(alice, communityId);
    everyoneId = (await roles()).find((role) => role.isEveryone)!.id;
  });

  it("saves a private channel in one request: @everyone denied, Moderators and carol allowed", async () => {
    const response = await as(alice, "PUT", `/api/channels/${staff.id}/overrides`, {
      overrides: [
        { roleId: everyoneId, allow: [], deny: ["VIEW_CHANNEL"] },
        { roleId: moderators.id, allow: ["VIEW_CHANNEL"], deny: [] },
        { userId: carol.user.id, allow: ["VIEW_CHANNEL"], deny: [] },
      ],
    });
    await expectStatus(response, 200);
    expect(await overrides()).toHaveLength(3);
    const bobSees = await as(bob, "GET", `/api/channels/${staff.id}`);
    expect(bobSees.status).toBe(404);
  });

  it("refuses the whole save when one entry is refused (carol on Moderators), writing none of it", async () => {
    const before = await overrides();
    const response = await as(carol, "PUT", `/api/channels/${staff.id}/overrides`, {
      overrides: [
        { roleId: artists.id, allow: ["VIEW_CHANNEL"], deny: [] },
        { roleId: moderators.id, allow: [], deny: ["VIEW_CHANNEL"] },
      ],
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("hierarchy");
    expect(await overrides()).toEqual(before);
  });

  it("refuses allowing and denying the same permission, an unknown one, or naming a role and a member at once", async () => {
    const before = await overrides();
    for (const entry of [
      { roleId: artists.id, allow: ["VIEW_CHANNEL"], deny: ["VIEW_CHANNEL"] },
      { roleId: artists.id, allow: ["FLY"], deny: [] },
      { roleId: artists.id, userId: bob.user.id, allow: [], deny: [] },
    ]) {
      const response = await as(alice, "PUT", `/api/channels/${staff.id}/overrides`, { overrides: [entry] });
      expect(response.status, JSON.stringify(entry)).toBe(400);
    }
    expect(await overrides()).toEqual(before);
  });

  it("refuses carol granting a permission she does not hold (KICK_MEMBERS), writing nothing", async () => {
    const before = await overrides();
    const response = await as(carol, "PUT", `/api/channels/${staff.id}/overrides`, {
      overrides: [{ roleId: artists.id, allow: ["KICK_MEMBERS"], deny: [] }],
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("missing_permission");
    expect(await overrides()).toEqual(before);
  });

  it("removes carol's own override with DELETE, and answers 404 for one that is not there", async () => {
    await expectStatus(await as(alice, "DELETE", `/api/channels/${staff.id}/overrides/members/${carol.user.id}`), 204);
    expect((await overrides()).some((override) => override.userId === carol.user.id)).toBe(false);
    const again = await as(alice, "DELETE", `/api/channels/${staff.id}/overrides/members/${carol.user.id}`);
    expect(again.status).toBe(404);
    await expectStatus(await as(alice, "DELETE", `/api/channels/${staff.id}/overrides/roles/${moderators.id}`), 204);
    expect((await overrides()).map((override) => override.roleId)).toEqual([everyoneId]);
  });

  it("lists a community's overrides for the preview, leaving out channels the caller cannot see", async () => {
    const owner = await expectStatus(await as(alice, "GET", `/api/communities/${communityId}/overrides`), 200);
    const ownerView = (await owner.json()) as { channels: { channelId: string; overrides: OverrideView[] }[] };
    expect(ownerView.channels.find((channel) => channel.channelId === staff.id)?.overrides).toHaveLength(1);
    // carol (Helpers, MANAGE_ROLES) no longer sees #staff: it is not in her list.
    const helper = await expectStatus(await as(carol, "GET", `/api/communities/${communityId}/overrides`), 200);
    const helperView = (await helper.json()) as { channels: { channelId: string }[] };
    expect(helperView.channels.some((channel) => channel.channelId === staff.id)).toBe(false);
    expect(helperView.channels.length).toBeGreaterThan(0);
    expect((await as(bob, "GET", `/api/communities/${communityId}/overrides`)).status).toBe(403);
  });
});
