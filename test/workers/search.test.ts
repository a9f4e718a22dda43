/**
 * Search's metadata route, `GET /api/search/messages`: each filter narrows as it says,
 * filters combine, pages follow one another without repeats or gaps, and only
 * channels the caller may read answer, without revealing the others exist.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, MessageView, SearchMetadataPage } from "../../protocol/index.ts";
import { sendAndAnswer, upload } from "./attachments-fixtures.ts";
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

let alice: Person, bob: Person, carol: Person, dave: Person;
let general: ChannelView, random: ChannelView, secret: ChannelView, aliceAndDave: ChannelView;
type Sent = "randomHello" | "first" | "mentionsCarol" | "pinned" | "withFile" | "reply" | "randomLast";
/** What #general and #random hold (a deleted message aside), by name; filled before the tests. */
const sent = {} as Record<Sent, MessageView>;

async function post(socket: TestSocket, body: string, extra: Record<string, unknown> = {}): Promise<MessageView> {
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text(body), ...extra });
  return (await socket.next("ack", (frame) => frame.clientId === id)).message;
}

async function change(socket: TestSocket, type: "pin" | "delete", seq: number): Promise<void> {
  const id = clientId();
  socket.send({ type, clientId: id, seq });
  await socket.next("done", (frame) => frame.clientId === id);
}

/** A millisecond apart at least, so `before`/`after` at a message's sentAt split cleanly. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

async function searchAs(person: Person, query: string): Promise<SearchMetadataPage> {
  const response = await expectStatus(await as(person, "GET", `/api/search/messages?${query}`), 200);
  return (await response.json()) as SearchMetadataPage;
}

/** The names of the messages a search answers, newest first. */
async function found(person: Person, query: string): Promise<string[]> {
  const { messages } = await searchAs(person, query);
  return messages.map((message) => nameOf(message));
}

const nameOf = (message: MessageView) =>
  Object.entries(sent).find(([, one]) => one.id === message.id)?.[0] ?? `unknown ${message.channelId}/${message.seq}`;

beforeAll(async () => {
  [alice, bob, carol, dave] = (await Promise.all(
    ["alice", "bob", "carol", "dave"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  const community = await createCommunity(alice, bob, carol);
  general = await createChannelIn(alice, community.id);
  random = await createChannelIn(alice, community.id);
  secret = await createChannelIn(alice, community.id, { isPrivate: true });
  await createCommunity(alice, dave); // people DM only those they share a community with
  const dm = await as(alice, "POST", "/api/dms", { userIds: [dave.user.id] });
  aliceAndDave = ((await expectStatus(dm, 201).then((response) => response.json())) as { channel: ChannelView })
    .channel;

  const [aliceInGeneral, bobInGeneral, aliceInRandom, aliceInSecret, aliceInDm] = await Promise.all([
    connect(alice, general.id),
    connect(bob, general.id),
    connect(alice, random.id),
    connect(alice, secret.id),
    connect(alice, aliceAndDave.id),
  ]);
  sent.randomHello = await post(aliceInRandom, "hello random");
  await tick();
  sent.first = await post(aliceInGeneral, "first");
  await tick();
  sent.mentionsCarol = await post(bobInGeneral, "hey carol", { mentions: { userIds: [carol.user.id] } });
  await tick();
  sent.pinned = await post(aliceInGeneral, "to pin");
  await change(aliceInGeneral, "pin", sent.pinned.seq);
  await tick();
  const file = await upload(bob, general.id);
  const withFile = await sendAndAnswer(bobInGeneral, [file]);
  if (withFile.type !== "ack") expect.fail(`not sent: ${JSON.stringify(withFile)}`);
  sent.withFile = withFile.message;
  await tick();
  const deleted = await post(aliceInGeneral, "to delete");
  await change(aliceInGeneral, "delete", deleted.seq);
  sent.reply = await post(bobInGeneral, "in the thread", { threadRootSeq: sent.first.seq });
  await tick();
  sent.randomLast = await post(aliceInRandom, "last in random");
  await post(aliceInSecret, "alice's secret");
  await post(aliceInDm, "just for dave");
  for (const socket of [aliceInGeneral, bobInGeneral, aliceInRandom, aliceInSecret, aliceInDm]) socket.close();
}, 30_000); // four registrations and a dozen sends: ~5 s alone, more beside other files

describe("searching message metadata", () => {
  it("lists every message the caller can read, newest first, without deleted ones", async () => {
    expect(await found(bob, "")).toEqual([
      "randomLast",
      "reply",
      "withFile",
      "pinned",
      "mentionsCarol",
      "first",
      "randomHello",
    ]);
  });

  it("narrows by channel, sender, mention, pin, file and thread", async () => {
    expect(await found(bob, `channelId=${random.id}`)).toEqual(["randomLast", "randomHello"]);
    expect(await found(bob, `senderId=${bob.user.id}`)).toEqual(["reply", "withFile", "mentionsCarol"]);
    expect(await found(bob, `mentionsUserId=${carol.user.id}`)).toEqual(["mentionsCarol"]);
    expect(await found(bob, "pinned=true")).toEqual(["pinned"]);
    expect(await found(bob, `pinned=false&channelId=${general.id}`)).toEqual([
      "reply",
      "withFile",
      "mentionsCarol",
      "first",
    ]);
    expect(await found(bob, "hasFile=true")).toEqual(["withFile"]);
    expect(await found(bob, `hasFile=false&channelId=${general.id}`)).toEqual([
      "reply",
      "pinned",
      "mentionsCarol",
      "first",
    ]);
    expect(await found(bob, `threadRootSeq=${sent.first.seq}`)).toEqual(["reply"]);
  });

  it("narrows by date: before is strict, after includes the instant", async () => {
    const at = encodeURIComponent(sent.pinned.sentAt);
    expect(await found(bob, `before=${at}`)).toEqual(["mentionsCarol", "first", "randomHello"]);
    expect(await found(bob, `after=${at}&before=${encodeURIComponent(sent.reply.sentAt)}`)).toEqual([
      "withFile",
      "pinned",
    ]);
  });

  it("combines filters, and several channels", async () => {
    const both = `channelId=${general.id}&channelId=${random.id}`;
    expect(await found(bob, `${both}&senderId=${alice.user.id}`)).toEqual([
      "randomLast",
      "pinned",
      "first",
      "randomHello",
    ]);
    expect(await found(bob, `${both}&senderId=${bob.user.id}&hasFile=true`)).toEqual(["withFile"]);
    expect(
      await found(bob, `senderId=${alice.user.id}&pinned=false&after=${encodeURIComponent(sent.first.sentAt)}`),
    ).toEqual(["randomLast", "first"]);
  });

  it("pages with a cursor, each message once, with no gaps", async () => {
    for (const filter of ["", `senderId=${alice.user.id}`]) {
      const whole = await found(bob, filter);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: SearchMetadataPage = await searchAs(
          bob,
          `${filter}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        expect(page.messages.length).toBeLessThanOrEqual(2);
        paged.push(...page.messages.map(nameOf));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(whole);
    }
  });

  it("answers nothing, and no error, for a private channel the caller cannot view", async () => {
    expect(await searchAs(bob, `channelId=${secret.id}`)).toEqual({ messages: [], nextCursor: null });
    // The same answer as for a channel that does not exist at all.
    expect(await searchAs(bob, `channelId=${crypto.randomUUID()}`)).toEqual({ messages: [], nextCursor: null });
    // Its owner does read it: the silence is about bob.
    expect((await searchAs(alice, `channelId=${secret.id}`)).messages).toHaveLength(1);
  });

  it("answers nothing from a DM the caller is not in, and its members find it", async () => {
    expect(await searchAs(bob, `channelId=${aliceAndDave.id}`)).toEqual({ messages: [], nextCursor: null });
    expect(await found(bob, `senderId=${alice.user.id}&channelId=${aliceAndDave.id}&channelId=${random.id}`)).toEqual([
      "randomLast",
      "randomHello",
    ]);
    const davesView = await searchAs(dave, "");
    expect(davesView.messages.map((message) => message.channelId)).toEqual([aliceAndDave.id]);
  });

  it("answers 401 to a request without a session", async () => {
    const response = await as({ ...alice, token: "not-a-token" }, "GET", "/api/search/messages");
    expect(response.status).toBe(401);
  });
});
