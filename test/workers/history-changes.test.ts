/**
 * `GET /api/channels/:id/messages?sinceEvent=`: what changed in a channel after an
 * event (new messages, edits, deletions as tombstones), in event order, through the
 * real room and database. A device's search index follows edits with it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelView, MessageView } from "../../protocol/index.ts";
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

let alice: Person, bob: Person;
let channel: ChannelView;

beforeEach(async () => {
  [alice, bob] = (await Promise.all(["alice", "bob"].map((name) => register(unique(name))))) as [Person, Person];
  channel = await createChannelIn(alice, (await createCommunity(alice, bob)).id);
});

async function post(socket: TestSocket, body: string): Promise<MessageView> {
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text(body) });
  return (await socket.next("ack", (frame) => frame.clientId === id)).message;
}

/** An edit or deletion, answered by `done` with the changed message. */
async function change(socket: TestSocket, frame: Record<string, unknown>): Promise<MessageView> {
  const id = clientId();
  socket.send({ ...frame, clientId: id });
  return (await socket.next("done", (answer) => answer.clientId === id)).message;
}

async function changes(person: Person, query: string): Promise<MessageView[]> {
  const response = await expectStatus(await as(person, "GET", `/api/channels/${channel.id}/messages?${query}`), 200);
  return ((await response.json()) as { messages: MessageView[] }).messages;
}

describe("changes since an event", () => {
  it("lists edits and deletions after the event, in event order, tombstones included", async () => {
    const socket = await connect(alice, channel.id);
    const first = await post(socket, "first");
    const second = await post(socket, "second");
    const third = await post(socket, "third");
    const watermark = third.event;
    expect(await changes(bob, `sinceEvent=${watermark}`)).toEqual([]);

    const edited = await change(socket, { type: "edit", seq: first.seq, payload: text("first, edited") });
    const deleted = await change(socket, { type: "delete", seq: second.seq });
    const fourth = await post(socket, "fourth");

    const since = await changes(bob, `sinceEvent=${watermark}`);
    expect(since.map((message) => [message.seq, message.event])).toEqual([
      [first.seq, edited.event],
      [second.seq, deleted.event],
      [fourth.seq, fourth.event],
    ]);
    expect(atob(since[0]!.payload)).toBe("first, edited");
    expect(since[1]!.deletedAt).not.toBeNull();
    expect(since[1]!.payload).toBe("");
    // Everything from the start, in event order: the untouched third comes before the changed ones.
    expect((await changes(bob, "sinceEvent=0")).map((message) => message.seq)).toEqual([
      third.seq,
      first.seq,
      second.seq,
      fourth.seq,
    ]);
    socket.close();
  });

  it("pages by event: each page goes on from the last event of the one before", async () => {
    const socket = await connect(alice, channel.id);
    const sent: MessageView[] = [];
    for (let index = 1; index <= 5; index++) sent.push(await post(socket, `m${index}`));
    await change(socket, { type: "edit", seq: sent[0]!.seq, payload: text("m1 again") });
    const seen: number[] = [];
    let since = 0;
    for (;;) {
      const page = await changes(bob, `sinceEvent=${since}&limit=2`);
      seen.push(...page.map((message) => message.seq));
      if (page.length < 2) break;
      since = page.at(-1)!.event;
    }
    expect(seen).toEqual([2, 3, 4, 5, 1].map((index) => sent[index - 1]!.seq));
    socket.close();
  });

  it("answers someone without access as history does, and refuses bad input", async () => {
    const stranger = await register(unique("mallory"));
    const history = await as(stranger, "GET", `/api/channels/${channel.id}/messages`);
    const since = await as(stranger, "GET", `/api/channels/${channel.id}/messages?sinceEvent=0`);
    expect(since.status).toBe(404);
    const withoutRequestId = async (response: Response) => {
      const { error } = (await response.json()) as { error: { requestId?: string } };
      return { ...error, requestId: undefined };
    };
    expect(await withoutRequestId(since)).toEqual(await withoutRequestId(history));
    for (const query of [
      "sinceEvent=-1",
      "sinceEvent=x",
      "sinceEvent=1.5",
      "sinceEvent=1&after=1",
      "sinceEvent=1&limit=101",
    ]) {
      const response = await as(bob, "GET", `/api/channels/${channel.id}/messages?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});
