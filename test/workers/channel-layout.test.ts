/**
 * Reordering a community's channels and categories in one request, and creating a
 * private channel with its readers in one request: alice owns the community, bob is a
 * member, carol keeps its channels (MANAGE_CHANNELS), mallory owns a community of her own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CategoryView, ChannelView, CommunityView, EventsServerFrame, RoleView } from "../../protocol/index.ts";
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

let alice: Person, bob: Person, carol: Person, mallory: Person;
let community: CommunityView;
let keeperRole: RoleView;

const layoutOf = async (person: Person, communityId = community.id) => {
  const response = await expectStatus(await as(person, "GET", `/api/communities/${communityId}/channels`), 200);
  return (await response.json()) as { categories: CategoryView[]; channels: ChannelView[] };
};
const createCategory = async (person: Person, name: string, communityId = community.id) => {
  const response = await as(person, "POST", `/api/communities/${communityId}/categories`, { name });
  return ((await expectStatus(response, 201).then((answer) => answer.json())) as { category: CategoryView }).category;
};
const putLayout = (person: Person, body: unknown, communityId = community.id) =>
  as(person, "PUT", `/api/communities/${communityId}/layout`, body);
const channelName = () => unique("room").replace(/_/g, "-").toLowerCase();

/** Bob's account socket, to see what his open page is told. */
async function accountSocket(person: Person) {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!);
  return socket as unknown as {
    next(type: "changed", predicate?: (frame: EventsServerFrame) => boolean): Promise<EventsServerFrame>;
    close(): void;
  };
}

beforeAll(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  community = await createCommunity(alice, bob, carol);
  const role = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
    name: "channel keeper",
    position: 3,
    permissions: ["MANAGE_CHANNELS"],
  });
  keeperRole = ((await expectStatus(role, 201).then((answer) => answer.json())) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${community.id}/members/${carol.user.id}/roles/${keeperRole.id}`),
    204,
  );
});

describe("reordering the layout", () => {
  it("moves channels between categories and reorders both in one request, and tells members", async () => {
    const [first, second] = [await createChannelIn(alice, community.id), await createChannelIn(alice, community.id)];
    const [upper, lower] = [await createCategory(alice, "Upper"), await createCategory(alice, "Lower")];
    const bobEvents = await accountSocket(bob);
    const body = {
      categories: [
        { id: lower.id, position: 0 },
        { id: upper.id, position: 1 },
      ],
      channels: [
        { id: second.id, categoryId: lower.id, position: 0 },
        { id: first.id, categoryId: lower.id, position: 1 },
      ],
    };
    await expectStatus(await putLayout(carol, body), 204);
    await bobEvents.next("changed", (frame) => frame.type === "changed" && frame.scope === "channels");
    bobEvents.close();

    const seen = await layoutOf(bob);
    expect(seen.categories.map((category) => category.id).slice(0, 2)).toEqual([lower.id, upper.id]);
    expect(seen.channels.find((channel) => channel.id === second.id)).toMatchObject({
      categoryId: lower.id,
      position: 0,
    });
    expect(seen.channels.find((channel) => channel.id === first.id)).toMatchObject({
      categoryId: lower.id,
      position: 1,
    });
  });

  it("changes nothing when one id is another community's", async () => {
    const own = await createChannelIn(alice, community.id);
    const foreignCommunity = await createCommunity(mallory);
    const foreignChannel = await createChannelIn(mallory, foreignCommunity.id);
    const foreignCategory = await createCategory(mallory, "Hers", foreignCommunity.id);
    const before = (await layoutOf(alice)).channels.find((channel) => channel.id === own.id)!;

    const withForeignChannel = await putLayout(alice, {
      channels: [
        { id: own.id, categoryId: null, position: 9_000 },
        { id: foreignChannel.id, categoryId: null, position: 0 },
      ],
    });
    expect(withForeignChannel.status).toBe(404);
    const withForeignCategory = await putLayout(alice, {
      channels: [{ id: own.id, categoryId: foreignCategory.id, position: 9_000 }],
    });
    expect(withForeignCategory.status).toBe(404);
    const movingHerCategory = await putLayout(alice, { categories: [{ id: foreignCategory.id, position: 50 }] });
    expect(movingHerCategory.status).toBe(404);

    expect((await layoutOf(alice)).channels.find((channel) => channel.id === own.id)).toMatchObject({
      position: before.position,
      categoryId: before.categoryId,
    });
    expect((await layoutOf(mallory, foreignCommunity.id)).categories[0]).toMatchObject({
      position: foreignCategory.position,
    });
  });

  it("refuses bob, who may not manage channels, and mallory, who is not a member (404)", async () => {
    const channel = await createChannelIn(alice, community.id);
    const body = { channels: [{ id: channel.id, categoryId: null, position: 0 }] };
    const refused = await putLayout(bob, body);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("missing_permission");
    expect((await putLayout(mallory, body)).status).toBe(404);
  });

  it("answers 404 for a private channel the mover cannot see, as for one that does not exist", async () => {
    const secret = await createChannelIn(alice, community.id, { name: channelName(), isPrivate: true });
    expect((await putLayout(carol, { channels: [{ id: secret.id, categoryId: null, position: 0 }] })).status).toBe(404);
  });

  it("refuses repeated ids, negative positions and more channels than a community holds, with a reason", async () => {
    const channel = await createChannelIn(alice, community.id);
    const twice = await putLayout(alice, {
      channels: [
        { id: channel.id, categoryId: null, position: 0 },
        { id: channel.id, categoryId: null, position: 1 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("named twice");
    expect((await putLayout(alice, { channels: [{ id: channel.id, categoryId: null, position: -1 }] })).status).toBe(
      400,
    );
    const tooMany = Array.from({ length: 501 }, () => ({ id: crypto.randomUUID(), categoryId: null, position: 0 }));
    expect((await putLayout(alice, { channels: tooMany })).status).toBe(400);
    expect((await putLayout(alice, { channels: [], extra: true })).status).toBe(400);
  });
});

describe("creating a private channel", () => {
  it("lets in its creator and the roles named, in one request; other members get 404", async () => {
    const created = await as(alice, "POST", `/api/communities/${community.id}/channels`, {
      name: channelName(),
      topic: "for the keepers",
      isPrivate: true,
      allowRoleIds: [keeperRole.id],
    });
    const channel = ((await expectStatus(created, 201).then((answer) => answer.json())) as { channel: ChannelView })
      .channel;
    expect(channel.topic).toBe("for the keepers");
    expect((await layoutOf(carol)).channels.some((seen) => seen.id === channel.id)).toBe(true);
    expect((await layoutOf(bob)).channels.some((seen) => seen.id === channel.id)).toBe(false);
    expect((await as(bob, "GET", `/api/channels/${channel.id}`)).status).toBe(404);
  });

  it("creates nothing when a role is another community's", async () => {
    const herCommunity = await createCommunity(mallory);
    const herRole = await as(mallory, "POST", `/api/communities/${herCommunity.id}/roles`, {
      name: "hers",
      permissions: [],
    });
    const { id } = ((await expectStatus(herRole, 201).then((answer) => answer.json())) as { role: RoleView }).role;
    const name = channelName();
    const refused = await as(alice, "POST", `/api/communities/${community.id}/channels`, {
      name,
      isPrivate: true,
      allowRoleIds: [id],
    });
    expect(refused.status).toBe(404);
    expect((await layoutOf(alice)).channels.some((channel) => channel.name === name)).toBe(false);
  });

  it("refuses roles for a channel that is not private", async () => {
    const refused = await as(alice, "POST", `/api/communities/${community.id}/channels`, {
      name: channelName(),
      allowRoleIds: [keeperRole.id],
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("private");
  });
});
