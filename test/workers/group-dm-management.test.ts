/**
 * Managing conversations from the web app's side of the API: alice, bob, carol and
 * dave share a community, erin shares none, mallory is in it but blocks and gets
 * blocked. Group DMs are renamed and grown by their participants, within the size
 * limit and the same reachability rules as opening one; the picker finds people;
 * blocks are told to the blocker's devices and silence the DM in the list too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, EventsServerFrame } from "../../protocol/index.ts";
import type { DmCandidateView } from "../../protocol/direct-messages.ts";
import {
  as,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  TestSocket,
  unique,
  upgrade,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person, dave: Person, erin: Person, mallory: Person;

beforeAll(async () => {
  [alice, bob, carol, dave, erin, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "dave", "erin", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person, Person, Person];
  await createCommunity(alice, bob, carol, dave, mallory);
  await createCommunity(erin);
});

const channelOf = async (response: Response) => ((await response.json()) as { channel: ChannelView }).channel;
const idsOf = (channel: ChannelView) => (channel.participants ?? []).map((person) => person.userId).sort();

async function groupOf(owner: Person, ...others: Person[]) {
  return channelOf(
    await expectStatus(await as(owner, "POST", "/api/dms", { userIds: others.map((other) => other.user.id) }), 201),
  );
}

/** An account socket typed for its frames. */
async function account(person: Person) {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!) as unknown as {
    next<T extends EventsServerFrame["type"]>(
      type: T,
      predicate?: (frame: Extract<EventsServerFrame, { type: T }>) => boolean,
    ): Promise<Extract<EventsServerFrame, { type: T }>>;
  };
  await socket.next("presence");
  return socket;
}

describe("renaming a group DM", () => {
  it("lets a participant name it, tells the others, and clears back to its people's names", async () => {
    const group = await groupOf(alice, bob, carol);
    const bobEvents = await account(bob);
    const renamed = await channelOf(
      await expectStatus(await as(alice, "PATCH", `/api/dms/${group.id}`, { name: "  Zebra plotting " }), 200),
    );
    expect(renamed.name).toBe("Zebra plotting");
    await bobEvents.next("changed", (frame) => frame.scope === "dms");
    const listed = (await (await as(bob, "GET", "/api/dms")).json()) as { channels: ChannelView[] };
    expect(listed.channels.find((channel) => channel.id === group.id)?.name).toBe("Zebra plotting");
    const cleared = await channelOf(
      await expectStatus(await as(bob, "PATCH", `/api/dms/${group.id}`, { name: null }), 200),
    );
    expect(cleared.name).toBe("group");
  });

  it("refuses outsiders (404), a 1:1 DM, and a name too long or with invisible characters", async () => {
    const group = await groupOf(alice, bob, carol);
    expect((await as(dave, "PATCH", `/api/dms/${group.id}`, { name: "mine now" })).status).toBe(404);
    const dm = await channelOf(await as(alice, "POST", "/api/dms", { userIds: [dave.user.id] }));
    const oneToOne = await as(alice, "PATCH", `/api/dms/${dm.id}`, { name: "us" });
    expect(await errorCode(await expectStatus(oneToOne, 400))).toBe("not_a_group");
    expect((await as(alice, "PATCH", `/api/dms/${group.id}`, { name: "x".repeat(65) })).status).toBe(400);
    expect((await as(alice, "PATCH", `/api/dms/${group.id}`, { name: "a\u202Eb" })).status).toBe(400);
    expect((await as(alice, "PATCH", `/api/dms/${group.id}`, { name: "ok", extra: 1 })).status).toBe(400);
    const after = await channelOf(await as(alice, "GET", `/api/channels/${group.id}`));
    expect(after.name).toBe("group");
  });
});

describe("adding people to a group DM", () => {
  it("adds dave, who then finds it in his list and can open it; everyone is told", async () => {
    const group = await groupOf(alice, bob, carol);
    const [bobEvents, daveEvents] = await Promise.all([account(bob), account(dave)]);
    const grown = await channelOf(
      await expectStatus(await as(bob, "POST", `/api/dms/${group.id}/participants`, { userIds: [dave.user.id] }), 200),
    );
    expect(idsOf(grown)).toEqual([alice, bob, carol, dave].map((person) => person.user.id).sort());
    await Promise.all([
      bobEvents.next("changed", (frame) => frame.scope === "dms"),
      daveEvents.next("changed", (frame) => frame.scope === "dms"),
    ]);
    const davesList = (await (await as(dave, "GET", "/api/dms")).json()) as { channels: ChannelView[] };
    expect(davesList.channels.map((channel) => channel.id)).toContain(group.id);
    expect((await as(dave, "GET", `/api/channels/${group.id}`)).status).toBe(200);
  });

  it("refuses someone already there, strangers, blocked people, a 1:1 DM and outsiders, adding nobody", async () => {
    const group = await groupOf(alice, bob, carol);
    const add = (person: Person, ...others: Person[]) =>
      as(person, "POST", `/api/dms/${group.id}/participants`, { userIds: others.map((other) => other.user.id) });
    expect(await errorCode(await expectStatus(await add(alice, carol), 409))).toBe("already_in");
    // erin shares no community with alice: refused, and dave named with her is not added either.
    expect(await errorCode(await expectStatus(await add(alice, dave, erin), 403))).toBe("no_shared_community");
    await expectStatus(await as(mallory, "PUT", `/api/blocks/${alice.user.id}`), 204);
    expect(await errorCode(await expectStatus(await add(alice, mallory), 403))).toBe("blocked");
    expect((await add(dave, dave)).status).toBe(404);
    const dm = await channelOf(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }));
    const toOneToOne = await as(alice, "POST", `/api/dms/${dm.id}/participants`, { userIds: [carol.user.id] });
    expect(await errorCode(await expectStatus(toOneToOne, 400))).toBe("not_a_group");
    const after = await channelOf(await as(alice, "GET", `/api/channels/${group.id}`));
    expect(idsOf(after)).toEqual([alice, bob, carol].map((person) => person.user.id).sort());
    await expectStatus(await as(mallory, "DELETE", `/api/blocks/${alice.user.id}`), 204);
  });

  it("stops at ten people, all or nothing", async () => {
    const crowd = (await Promise.all(
      Array.from({ length: 8 }, (_, index) => register(unique(`p${index}`))),
    )) as Person[];
    await createCommunity(alice, ...crowd);
    const group = await groupOf(alice, bob, carol);
    const tooMany = await as(alice, "POST", `/api/dms/${group.id}/participants`, {
      userIds: crowd.map((person) => person.user.id),
    });
    expect(await errorCode(await expectStatus(tooMany, 409))).toBe("group_full");
    const after = await channelOf(await as(alice, "GET", `/api/channels/${group.id}`));
    expect(after.participants).toHaveLength(3);
    await expectStatus(
      await as(alice, "POST", `/api/dms/${group.id}/participants`, {
        userIds: crowd.slice(0, 7).map((person) => person.user.id),
      }),
      200,
    );
  });
});

describe("leaving a group DM", () => {
  it("tells those who stay", async () => {
    const group = await groupOf(alice, bob, carol);
    const aliceEvents = await account(alice);
    await expectStatus(await as(carol, "POST", `/api/dms/${group.id}/leave`), 204);
    await aliceEvents.next("changed", (frame) => frame.scope === "dms");
    const after = await channelOf(await as(alice, "GET", `/api/channels/${group.id}`));
    expect(idsOf(after)).toEqual([alice, bob].map((person) => person.user.id).sort());
  });
});

describe("the new-conversation picker", () => {
  it("finds people sharing a community by part of their name, never oneself, strangers or blocked people", async () => {
    const search = async (person: Person, q: string) =>
      (
        (await (
          await expectStatus(await as(person, "GET", `/api/dms/candidates?q=${encodeURIComponent(q)}`), 200)
        ).json()) as {
          people: DmCandidateView[];
        }
      ).people.map((candidate) => candidate.userId);
    expect(await search(alice, bob.user.username.slice(1, 6))).toEqual([bob.user.id]);
    const everyone = await search(alice, "");
    expect(everyone).toEqual(expect.arrayContaining([bob.user.id, carol.user.id, dave.user.id]));
    expect(everyone).not.toContain(alice.user.id);
    expect(everyone).not.toContain(erin.user.id);
    expect(await search(alice, "%")).toEqual([]);
    await expectStatus(await as(alice, "PUT", `/api/blocks/${dave.user.id}`), 204);
    expect(await search(alice, "")).not.toContain(dave.user.id);
    expect(await search(dave, "")).not.toContain(alice.user.id);
    await expectStatus(await as(alice, "DELETE", `/api/blocks/${dave.user.id}`), 204);
    expect((await as(alice, "GET", `/api/dms/candidates?q=${"x".repeat(65)}`)).status).toBe(400);
  });
});

describe("blocking, as the lists show it", () => {
  it("tells the blocker's devices, and both lists show the DM without sending until the unblock", async () => {
    const dm = await channelOf(await as(bob, "POST", "/api/dms", { userIds: [mallory.user.id] }));
    const [bobEvents, malloryEvents] = await Promise.all([account(bob), account(mallory)]);
    await expectStatus(await as(bob, "PUT", `/api/blocks/${mallory.user.id}`), 204);
    await Promise.all([
      bobEvents.next("changed", (frame) => frame.scope === "blocks"),
      malloryEvents.next("changed", (frame) => frame.scope === "dms"),
    ]);
    const permissionsIn = async (person: Person) =>
      ((await (await as(person, "GET", "/api/dms")).json()) as { channels: ChannelView[] }).channels.find(
        (channel) => channel.id === dm.id,
      )?.myPermissions;
    expect(await permissionsIn(bob)).toEqual(["VIEW_CHANNEL"]);
    expect(await permissionsIn(mallory)).toEqual(["VIEW_CHANNEL"]);
    await expectStatus(await as(bob, "DELETE", `/api/blocks/${mallory.user.id}`), 204);
    await malloryEvents.next("changed", (frame) => frame.scope === "dms");
    expect(await permissionsIn(mallory)).toContain("SEND_MESSAGES");
  });
});
