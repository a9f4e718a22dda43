/**
 * Whom the server decides to tell of new messages (rooms/notify/): alice, bob and
 * carol share a community with #general; alice and bob also have a DM. Messages go
 * over real channel sockets; the window each sentence decides on is the activity
 * frame the channel really flushed (alice's page receives it), and the decision is
 * the product's own `decideNotices`, the step the flush hands to Web Push delivery,
 * run on the real database and the people's real account sockets.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelView, EventsServerFrame, MessageView, RoleView } from "../../protocol/index.ts";
import { decideNotices } from "../../rooms/notify/decide-notices.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  expectStatus,
  register,
  text,
  unique,
  type Person,
  type TestSocket,
} from "./fixtures.ts";
import { accountSocket, setTarget, type AccountSocket } from "./notify-fixtures.ts";

/** Three sign-ups (scrypt) on a machine shared with other suites. */
const HOOK_TIMEOUT_MS = 30_000;

let alice: Person, bob: Person, carol: Person;
let communityId: string;
let general: ChannelView;
let dm: ChannelView;
/** alice's page: it receives every activity frame of #general and the DM. */
let alicePage: AccountSocket;

beforeEach(async () => {
  [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob, carol)).id;
  general = await createChannelIn(alice, communityId);
  const opened = await expectStatus(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }), 201);
  dm = ((await opened.json()) as { channel: ChannelView }).channel;
  alicePage = await accountSocket(alice);
  return () => alicePage.close();
}, HOOK_TIMEOUT_MS);

type Mentions = { userIds?: string[]; roleIds?: string[]; everyone?: boolean; here?: boolean };

/** `sender` says something in `channel`; resolves with the activity window the channel flushed for it. */
async function say(sender: Person, channel: ChannelView, mentions: Mentions = {}) {
  const socket: TestSocket = await connect(sender, channel.id);
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text("hello"), mentions });
  const { message } = (await socket.next("ack", (frame) => frame.clientId === id)) as { message: MessageView };
  socket.close();
  return alicePage.next("activity", (frame) => frame.channelId === channel.id && frame.lastSeq >= message.seq);
}

type Window = Extract<EventsServerFrame, { type: "activity" }>;
/** Who would be pushed, and why, sorted by name. */
async function told(window: Window, now?: number) {
  const names = new Map([alice, bob, carol].map((person) => [person.user.id, person.user.username.split("_")[0]]));
  const notices = await decideNotices(env, window, now);
  for (const notice of notices) {
    expect(notice).toMatchObject({ channelId: window.channelId, communityId: window.communityId, seq: window.lastSeq });
  }
  return notices.map((notice) => `${names.get(notice.userId)}:${notice.reason}`).sort();
}

/** Sets `person`'s status from their page; resolves once the server applied it. */
async function setStatus(page: AccountSocket, person: Person, status: "dnd" | "online") {
  page.send({ type: "status", status });
  await page.next("hello", (frame) => frame.userId === person.user.id && frame.status === status);
}

describe("direct messages", () => {
  it("a DM tells the other person, never the sender", async () => {
    expect(await told(await say(alice, dm))).toEqual(["bob:dm"]);
  });

  it("a DM turned off, or DMs turned off altogether, tells no one", async () => {
    await setTarget(bob, "channel", dm.id, { level: "nothing" });
    expect(await told(await say(alice, dm))).toEqual([]);
    await setTarget(bob, "channel", dm.id, { level: "all" });
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { directMessages: false }), 200);
    expect(await told(await say(alice, dm))).toEqual([]);
  });
});

describe("levels in a community", () => {
  it("at the default level (mentions) a mention tells who is named, a plain message no one", async () => {
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual(["bob:mention"]);
    expect(await told(await say(alice, general))).toEqual([]);
  });

  it("a role mention, @everyone and @here name people too; @here only those online", async () => {
    const created = await as(alice, "POST", `/api/communities/${communityId}/roles`, {
      name: "crew",
      position: 5,
      permissions: [],
    });
    const { id: crew } = ((await expectStatus(created, 201).then((response) => response.json())) as { role: RoleView })
      .role;
    await expectStatus(
      await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.user.id}/roles/${crew}`),
      204,
    );
    expect(await told(await say(alice, general, { roleIds: [crew] }))).toEqual(["carol:mention"]);
    expect(await told(await say(alice, general, { everyone: true }))).toEqual(["bob:mention", "carol:mention"]);
    const bobPage = await accountSocket(bob);
    expect(await told(await say(alice, general, { here: true }))).toEqual(["bob:mention"]);
    bobPage.close();
  });

  it("level all tells of every message; a channel's own level beats its community's", async () => {
    await setTarget(carol, "community", communityId, { level: "all" });
    expect(await told(await say(alice, general))).toEqual(["carol:message"]);
    expect(await told(await say(alice, general, { userIds: [carol.user.id] }))).toEqual(["carol:mention"]);
    await setTarget(bob, "channel", general.id, { level: "all" });
    await setTarget(carol, "channel", general.id, { level: "nothing" });
    expect(await told(await say(alice, general, { userIds: [carol.user.id] }))).toEqual(["bob:message"]);
  });
});

describe("mutes", () => {
  it("a muted channel or community tells no one, until the mute ends", async () => {
    await setTarget(bob, "channel", general.id, { mutedUntil: new Date(Date.now() + 60 * 60_000).toISOString() });
    const window = await say(alice, general, { userIds: [bob.user.id] });
    expect(await told(window)).toEqual([]);
    // Two hours later the hour's mute has ended.
    expect(await told(window, Date.now() + 2 * 60 * 60_000)).toEqual(["bob:mention"]);
    await setTarget(bob, "channel", general.id, { mutedUntil: null });
    await setTarget(bob, "community", communityId, { mutedUntil: "forever" });
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual([]);
    await expectStatus(await as(bob, "DELETE", `/api/notifications/targets/community/${communityId}`), 204);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual(["bob:mention"]);
  });
});

describe("presence", () => {
  it("Do Not Disturb silences bob, except what he allows", async () => {
    const bobPage = await accountSocket(bob);
    await setStatus(bobPage, bob, "dnd");
    expect(await told(await say(alice, dm))).toEqual([]);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual([]);
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { dndAllows: "dms" }), 200);
    expect(await told(await say(alice, dm))).toEqual(["bob:dm"]);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual([]);
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { dndAllows: "dms_and_mentions" }), 200);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual(["bob:mention"]);
    // Status is the person's, not the page's: it holds with the page closed.
    bobPage.close();
    await expectStatus(await as(bob, "PUT", "/api/notifications/preferences", { dndAllows: "nothing" }), 200);
    expect(await told(await say(alice, dm))).toEqual([]);
  });

  it("bob at a page right now is not pushed; an open page he is not using is", async () => {
    const bobPage = await accountSocket(bob);
    expect(await told(await say(alice, dm))).toEqual(["bob:dm"]);
    bobPage.send({ type: "active" });
    // Frames of one socket are handled in order: once the status is applied, so is `active`.
    await setStatus(bobPage, bob, "online");
    expect(bobPage.frames.some((frame) => frame.type === "error")).toBe(false);
    expect(await told(await say(alice, dm))).toEqual([]);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual([]);
    // Closing that page ends it: another page of his is not him using the app.
    bobPage.close();
    await bobPage.closed().catch(() => undefined);
    const laterPage = await accountSocket(bob);
    expect(await told(await say(alice, dm))).toEqual(["bob:dm"]);
    laterPage.close();
  });
});

describe("who may not be told", () => {
  it("a sender bob blocked does not reach him; others still do", async () => {
    await expectStatus(await as(bob, "PUT", `/api/blocks/${carol.user.id}`), 204);
    expect(await told(await say(carol, general, { userIds: [bob.user.id] }))).toEqual([]);
    expect(await told(await say(alice, general, { userIds: [bob.user.id] }))).toEqual(["bob:mention"]);
  });

  it("someone who lost access to the channel is not told, even when named or at level all", async () => {
    await setTarget(bob, "channel", general.id, { level: "all" });
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${general.id}/overrides/members/${bob.user.id}`, {
        deny: ["VIEW_CHANNEL"],
      }),
      204,
    );
    expect(await told(await say(alice, general, { userIds: [bob.user.id, carol.user.id] }))).toEqual(["carol:mention"]);
  });
});
