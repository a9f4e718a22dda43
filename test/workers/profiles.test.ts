/**
 * How people show to others (protocol/profiles.ts): alice sets a display name and a
 * custom status that clears itself; bob, in her community and in a DM with her, sees
 * both in his lists and hears that they changed on his account socket. Bad input is
 * refused and changes nothing; an expired status is no longer sent.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { query } from "../../db/index.ts";
import type { ChannelView, EventsServerFrame, MemberView, UserView } from "../../protocol/index.ts";
import {
  as,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  request,
  TestSocket,
  unique,
  upgrade,
  type Person,
} from "./fixtures.ts";

const HOUR_MS = 60 * 60 * 1000;

let alice: Person, bob: Person;
let communityId: string;

beforeAll(async () => {
  [alice, bob] = await Promise.all([register(unique("alice")), register(unique("bob"))]);
  communityId = (await createCommunity(alice, bob)).id;
});

async function aliceAsBobSeesHer(): Promise<MemberView> {
  const response = await expectStatus(await as(bob, "GET", `/api/communities/${communityId}/members`), 200);
  const { members } = (await response.json()) as { members: MemberView[] };
  return members.find((member) => member.userId === alice.user.id)!;
}

async function setStatus(body: unknown): Promise<Response> {
  return as(alice, "PATCH", "/api/account/status", body);
}

/** bob's account socket, for the "changed" frames his client acts on. */
async function accountSocket(person: Person) {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!) as unknown as Omit<TestSocket, "next"> & {
    next<T extends EventsServerFrame["type"]>(
      type: T,
      predicate?: (frame: Extract<EventsServerFrame, { type: T }>) => boolean,
    ): Promise<Extract<EventsServerFrame, { type: T }>>;
  };
  await socket.next("presence");
  return socket;
}

describe("a display name", () => {
  it("shows in the member list of alice's community and in bob's DM with her", async () => {
    expect((await aliceAsBobSeesHer()).displayName).toBeNull();
    const events = await accountSocket(bob);
    const changed = await expectStatus(
      await as(alice, "PATCH", "/api/account/profile", { displayName: "Alice Liddell", pronouns: "she/her" }),
      200,
    );
    expect(((await changed.json()) as { user: UserView }).user.displayName).toBe("Alice Liddell");
    await events.next("changed", (frame) => frame.scope === "members" && frame.communityId === communityId);
    events.close();

    const member = await aliceAsBobSeesHer();
    expect(member).toMatchObject({ username: alice.user.username, displayName: "Alice Liddell", pronouns: "she/her" });
    const dm = (await (await as(bob, "POST", "/api/dms", { userIds: [alice.user.id] })).json()) as {
      channel: ChannelView;
    };
    const listed = (await (await as(bob, "GET", "/api/dms")).json()) as { channels: ChannelView[] };
    for (const channel of [dm.channel, listed.channels.find((one) => one.id === dm.channel.id)!])
      expect(channel.participants?.find((person) => person.userId === alice.user.id)?.displayName).toBe(
        "Alice Liddell",
      );
  });
});

describe("a custom status", () => {
  it("is set with an emoji and an expiry, shown to bob, and told to his account socket", async () => {
    const events = await accountSocket(bob);
    const expiresAt = new Date(Date.now() + HOUR_MS).toISOString();
    const response = await expectStatus(await setStatus({ text: "  In a meeting ", emoji: "📅", expiresAt }), 200);
    const { user } = (await response.json()) as { user: UserView };
    expect(user.customStatus).toEqual({ text: "In a meeting", emoji: "📅", expiresAt });
    await events.next("changed", (frame) => frame.scope === "members" && frame.communityId === communityId);
    events.close();
    expect((await aliceAsBobSeesHer()).customStatus).toEqual({ text: "In a meeting", emoji: "📅", expiresAt });
    const me = (await (await as(alice, "GET", "/api/me")).json()) as { user: UserView };
    expect(me.user.customStatus?.text).toBe("In a meeting");
  });

  it("refuses an expiry in the past or too far ahead, and text with a line break, changing nothing", async () => {
    const before = (await aliceAsBobSeesHer()).customStatus;
    for (const body of [
      { text: "Back soon", expiresAt: new Date(Date.now() - 1_000).toISOString() },
      { text: "Away", expiresAt: new Date(Date.now() + 40 * 24 * HOUR_MS).toISOString() },
      { text: "two\nlines" },
      { text: "x".repeat(129) },
      { text: "Away", expiresAt: "tomorrow" },
    ]) {
      const refused = await setStatus(body);
      expect(refused.status).toBe(400);
      expect(await errorCode(refused)).toBe("invalid_request");
    }
    expect((await aliceAsBobSeesHer()).customStatus).toEqual(before);
  });

  it("is no longer sent once its time has passed", async () => {
    await query(env.DATABASE, "setCustomStatus", {
      userId: alice.user.id,
      text: "Lunch",
      emoji: null,
      expiresAt: new Date(Date.now() + 300),
    });
    expect((await aliceAsBobSeesHer()).customStatus?.text).toBe("Lunch");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await aliceAsBobSeesHer()).customStatus).toBeNull();
  });

  it("stays without an expiry until alice clears it", async () => {
    await expectStatus(await setStatus({ text: "Working from the garden" }), 200);
    expect((await aliceAsBobSeesHer()).customStatus).toEqual({
      text: "Working from the garden",
      emoji: null,
      expiresAt: null,
    });
    const cleared = await expectStatus(await setStatus({ text: null }), 200);
    expect(((await cleared.json()) as { user: UserView }).user.customStatus).toBeNull();
    expect((await aliceAsBobSeesHer()).customStatus).toBeNull();
  });

  it("needs a signed-in person", async () => {
    const response = await request("/api/account/status", {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "hi" }),
    });
    expect(response.status).toBe(401);
  });
});
