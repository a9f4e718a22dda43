/**
 * Channels inside communities, through the API: alice owns the community, bob is
 * a member, carol a moderator who may manage channels, mallory an outsider.
 * Visibility is scoping: a channel someone may not view answers 404, like one
 * that does not exist.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { CategoryView, ChannelView, CommunityView, MessageView, RoleView } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  request,
  text,
  unique,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person, mallory: Person;
let community: CommunityView;

const layoutOf = async (person: Person) => {
  const response = await expectStatus(await as(person, "GET", `/api/communities/${community.id}/channels`), 200);
  return (await response.json()) as { categories: CategoryView[]; channels: ChannelView[] };
};
const channelName = () => unique("topic").replace(/_/g, "-").toLowerCase();

beforeAll(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  community = await createCommunity(alice, bob, carol);
  const role = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
    name: "channel keeper",
    position: 3,
    permissions: ["MANAGE_CHANNELS", "MANAGE_MESSAGES"],
  });
  const { id } = ((await role.json()) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${community.id}/members/${carol.user.id}/roles/${id}`),
    204,
  );
});

describe("a new community", () => {
  it("starts with a #general text channel every member sees", async () => {
    const { channels } = await layoutOf(bob);
    expect(channels.find((channel) => channel.name === "general")).toMatchObject({
      kind: "text",
      communityId: community.id,
      myPermissions: expect.arrayContaining(["VIEW_CHANNEL", "SEND_MESSAGES"]),
    });
  });
});

describe("creating channels", () => {
  it("needs MANAGE_CHANNELS: the moderator may, a member may not, an outsider finds no community", async () => {
    const byCarol = await createChannelIn(carol, community.id, { kind: "voice", topic: "Calls" });
    expect(byCarol).toMatchObject({ kind: "voice", topic: "Calls", isArchived: false, slowModeSeconds: 0 });
    const byBob = await as(bob, "POST", `/api/communities/${community.id}/channels`, { name: channelName() });
    expect(byBob.status).toBe(403);
    expect(await errorCode(byBob)).toBe("missing_permission");
    const byMallory = await as(mallory, "POST", `/api/communities/${community.id}/channels`, { name: channelName() });
    expect(byMallory.status).toBe(404);
  });

  it("refuses a second channel with the same name in the community, in any case, but not in another community", async () => {
    const name = channelName();
    await createChannelIn(alice, community.id, { name });
    const again = await as(alice, "POST", `/api/communities/${community.id}/channels`, { name });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("channel_exists");
    const elsewhere = await createCommunity(alice);
    expect((await createChannelIn(alice, elsewhere.id, { name })).name).toBe(name);
  });

  it("refuses names that are not lower-case words joined by dashes, unknown kinds and oversized topics", async () => {
    for (const body of [
      { name: "" },
      { name: "Has Spaces" },
      { name: "UPPER" },
      { name: "-leading" },
      { name: "x".repeat(65) },
      { name: channelName(), kind: "dm" },
      { name: channelName(), topic: "t".repeat(1025) },
      { name: channelName(), extra: true },
    ]) {
      const response = await as(alice, "POST", `/api/communities/${community.id}/channels`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("makes a private channel visible to its creator and the owner, invisible (404) to other members", async () => {
    const secret = await createChannelIn(carol, community.id, { isPrivate: true });
    expect((await layoutOf(carol)).channels.map((channel) => channel.id)).toContain(secret.id);
    expect((await layoutOf(alice)).channels.map((channel) => channel.id)).toContain(secret.id);
    expect((await layoutOf(bob)).channels.map((channel) => channel.id)).not.toContain(secret.id);
    for (const path of ["", "/messages"]) {
      expect((await as(bob, "GET", `/api/channels/${secret.id}${path}`)).status).toBe(404);
    }
    expect((await as(bob, "POST", `/api/channels/${secret.id}/socket-ticket`)).status).toBe(404);
    expect((await as(mallory, "GET", `/api/channels/${secret.id}`)).status).toBe(404);
  });
});

describe("changing a channel", () => {
  it("renames, sets the topic, reorders, moves between categories, and archives, each audited", async () => {
    const channel = await createChannelIn(alice, community.id);
    const created = await as(carol, "POST", `/api/communities/${community.id}/categories`, { name: "Projects" });
    const { category } = (await (await expectStatus(created, 201)).json()) as { category: CategoryView };
    const renamed = channelName();
    const changed = await as(carol, "PATCH", `/api/channels/${channel.id}`, {
      name: renamed,
      topic: "What we build",
      position: 7,
      categoryId: category.id,
      slowModeSeconds: 30,
    });
    expect(((await (await expectStatus(changed, 200)).json()) as { channel: ChannelView }).channel).toMatchObject({
      name: renamed,
      topic: "What we build",
      position: 7,
      categoryId: category.id,
      slowModeSeconds: 30,
    });
    const layout = await layoutOf(bob);
    expect(layout.categories).toContainEqual(category);
    expect(layout.channels.find((known) => known.id === channel.id)?.categoryId).toBe(category.id);

    // Deleting the category keeps its channels, uncategorised.
    await expectStatus(await as(carol, "DELETE", `/api/communities/${community.id}/categories/${category.id}`), 204);
    expect((await layoutOf(bob)).channels.find((known) => known.id === channel.id)?.categoryId).toBeNull();

    await expectStatus(await as(carol, "PATCH", `/api/channels/${channel.id}`, { isArchived: true }), 200);
    const archived = (await layoutOf(bob)).channels.find((known) => known.id === channel.id)!;
    expect(archived.isArchived).toBe(true);
    expect(archived.myPermissions).toContain("VIEW_CHANNEL");
    expect(archived.myPermissions).not.toContain("SEND_MESSAGES");

    const audit = await as(alice, "GET", `/api/communities/${community.id}/audit`);
    const actions = ((await audit.json()) as { events: { action: string; actorId: string }[] }).events
      .filter((event) => event.actorId === carol.user.id)
      .map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["channel.changed", "category.created", "category.deleted"]));
  });

  it("is refused to a member without MANAGE_CHANNELS, and to a rename onto a taken name", async () => {
    const first = await createChannelIn(alice, community.id);
    const second = await createChannelIn(alice, community.id);
    expect((await as(bob, "PATCH", `/api/channels/${first.id}`, { topic: "mine now" })).status).toBe(403);
    expect((await as(bob, "DELETE", `/api/channels/${first.id}`)).status).toBe(403);
    const clash = await as(alice, "PATCH", `/api/channels/${first.id}`, { name: second.name });
    expect(clash.status).toBe(409);
    expect((await as(alice, "PATCH", `/api/channels/${first.id}`, {})).status).toBe(400);
    const foreignCategory = await as(alice, "PATCH", `/api/channels/${first.id}`, { categoryId: crypto.randomUUID() });
    expect(foreignCategory.status).toBe(404);
  });

  it("deletes a channel with its history; afterwards it answers 404", async () => {
    const channel = await createChannelIn(alice, community.id);
    await expectStatus(await as(carol, "DELETE", `/api/channels/${channel.id}`), 204);
    expect((await as(alice, "GET", `/api/channels/${channel.id}`)).status).toBe(404);
    expect((await layoutOf(alice)).channels.map((known) => known.id)).not.toContain(channel.id);
  });
});

describe("overrides", () => {
  it("hide a channel from a role's holders and show it to one member, within the grant and hierarchy rules", async () => {
    const channel = await createChannelIn(alice, community.id);
    const roles = (
      (await (await as(alice, "GET", `/api/communities/${community.id}/roles`)).json()) as {
        roles: RoleView[];
      }
    ).roles;
    const everyone = roles.find((role) => role.isEveryone)!;
    const path = `/api/channels/${channel.id}/overrides`;
    // Carol keeps channels but may not manage roles: overrides are not hers to set.
    expect((await as(carol, "PUT", `${path}/members/${bob.user.id}`, { allow: ["VIEW_CHANNEL"] })).status).toBe(403);
    await expectStatus(await as(alice, "PUT", `${path}/roles/${everyone.id}`, { deny: ["VIEW_CHANNEL"] }), 204);
    expect((await as(bob, "GET", `/api/channels/${channel.id}`)).status).toBe(404);
    await expectStatus(await as(alice, "PUT", `${path}/members/${bob.user.id}`, { allow: ["VIEW_CHANNEL"] }), 204);
    expect((await as(bob, "GET", `/api/channels/${channel.id}`)).status).toBe(200);

    const overrides = ((await (await as(alice, "GET", path)).json()) as { overrides: unknown[] }).overrides;
    expect(overrides).toEqual(
      expect.arrayContaining([
        { roleId: everyone.id, userId: null, allow: [], deny: ["VIEW_CHANNEL"] },
        { roleId: null, userId: bob.user.id, allow: ["VIEW_CHANNEL"], deny: [] },
      ]),
    );
    // Hidden from @everyone now, the channel is not there for carol at all.
    expect((await as(carol, "GET", path)).status).toBe(404);
    // Nobody allows what they do not hold, nor both allows and denies one permission.
    const both = await as(alice, "PUT", `${path}/members/${bob.user.id}`, {
      allow: ["SEND_MESSAGES"],
      deny: ["SEND_MESSAGES"],
    });
    expect(both.status).toBe(400);
    const unknown = await as(alice, "PUT", `${path}/members/${bob.user.id}`, { allow: ["FLY"] });
    expect(unknown.status).toBe(400);
    // Overrides never apply to the owner.
    await expectStatus(await as(alice, "PUT", `${path}/roles/${everyone.id}`, { deny: ["VIEW_CHANNEL"] }), 204);
    expect((await as(alice, "GET", `/api/channels/${channel.id}`)).status).toBe(200);
  });
});

describe("history", () => {
  it("pages backwards from the newest message, oldest first within a page", async () => {
    const channel = await createChannelIn(alice, community.id);
    const socket = await connect(alice, channel.id);
    for (let index = 1; index <= 5; index++) {
      socket.send({ type: "send", clientId: clientId(), payload: text(`m${index}`) });
      await socket.next("ack");
    }
    socket.close();
    const page = async (query: string) => {
      const response = await expectStatus(await as(bob, "GET", `/api/channels/${channel.id}/messages${query}`), 200);
      return ((await response.json()) as { messages: MessageView[] }).messages.map((message) => atob(message.payload));
    };
    expect(await page("?limit=2")).toEqual(["m4", "m5"]);
    expect(await page("?limit=2&before=4")).toEqual(["m2", "m3"]);
    expect(await page("?before=2")).toEqual(["m1"]);
    expect(await page("")).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect((await as(mallory, "GET", `/api/channels/${channel.id}/messages`)).status).toBe(404);
  });

  it("rejects a page size over the limit and answers 404 for a channel that does not exist", async () => {
    const channel = await createChannelIn(alice, community.id);
    expect((await as(alice, "GET", `/api/channels/${channel.id}/messages?limit=1000`)).status).toBe(400);
    expect((await as(alice, "GET", `/api/channels/${crypto.randomUUID()}/messages`)).status).toBe(404);
    expect((await as(alice, "GET", `/api/channels/not-a-uuid/messages`)).status).toBe(404);
  });

  it("is invisible to anyone who is not signed in", async () => {
    const channel = await createChannelIn(alice, community.id);
    expect((await request(`/api/channels/${channel.id}/messages`)).status).toBe(401);
    expect((await request(`/api/communities/${community.id}/channels`)).status).toBe(401);
  });
});

describe("every response", () => {
  it("carries a strict Content-Security-Policy and the usual protective headers", async () => {
    const response = await request("/health");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("is a JSON error with a stable code for an unknown API route", async () => {
    const response = await request("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "no such API route", requestId: response.headers.get("X-Request-Id") },
    });
  });

  it("names the variable and the fix when the configuration is invalid, and hides secrets", async () => {
    const response = await request(
      "/health",
      {},
      { ...env, REGISTRATION_MODE: "wide_open", DATABASE_URL: "mysql://u:hunter22@h/d" },
    );
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_configuration");
    expect(error.message).toContain("REGISTRATION_MODE must be one of open, invite_only, closed");
    expect(error.message).toContain("DATABASE_URL must look like postgres://");
    expect(error.message).not.toContain("hunter22");
  });
});
