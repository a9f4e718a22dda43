import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, MessageView } from "../../protocol/index.ts";
import {
  clientId,
  connect,
  createChannel,
  register,
  request,
  text,
  ticketFor,
  unique,
  upgrade,
  TestSocket,
  type Person,
} from "./fixtures.ts";

let alice: Person;
let bob: Person;

beforeAll(async () => {
  alice = await register(unique("alice"));
  bob = await register(unique("bob"));
});

async function history(person: Person, channel: ChannelView): Promise<MessageView[]> {
  const response = await request(`/api/channels/${channel.id}/messages`, {
    headers: { Authorization: `Bearer ${person.token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: MessageView[] }).messages;
}

describe("a channel room", () => {
  it("acknowledges a message to its sender, relays it to the others, and stores it", async () => {
    const general = await createChannel(alice, bob);
    const aliceSocket = await connect(alice, general.id);
    const bobSocket = await connect(bob, general.id);
    const id = clientId();

    aliceSocket.send({ type: "send", clientId: id, payload: text("hello bob") });
    const ack = await aliceSocket.next("ack");
    const relayed = await bobSocket.next("message");

    expect(ack.clientId).toBe(id);
    expect(ack.message).toMatchObject({
      seq: 1,
      senderId: alice.user.id,
      senderName: alice.user.username,
      payload: text("hello bob"),
    });
    expect(relayed.message).toEqual(ack.message);
    expect(await history(bob, general)).toEqual([ack.message]);
    aliceSocket.close();
    bobSocket.close();
  });

  it("stores a resent client id once and answers with the original acknowledgement", async () => {
    const channel = await createChannel(alice, bob);
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const id = clientId();

    aliceSocket.send({ type: "send", clientId: id, payload: text("once") });
    const first = await aliceSocket.next("ack");
    aliceSocket.send({ type: "send", clientId: id, payload: text("once") });
    const second = await aliceSocket.next("ack");
    // A different message afterwards proves bob saw no second copy in between.
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("twice") });
    await aliceSocket.next("ack");

    expect(second.message).toEqual(first.message);
    expect((await bobSocket.next("message")).message.payload).toBe(text("once"));
    expect((await bobSocket.next("message")).message.payload).toBe(text("twice"));
    expect((await history(alice, channel)).map((message) => message.seq)).toEqual([1, 2]);
  });

  it("numbers concurrent senders' messages 1..n without gaps or duplicates", async () => {
    const channel = await createChannel(alice, bob);
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const perSender = 15;
    for (let index = 0; index < perSender; index++) {
      aliceSocket.send({ type: "send", clientId: clientId(), payload: text(`a${index}`) });
      bobSocket.send({ type: "send", clientId: clientId(), payload: text(`b${index}`) });
    }
    const acks = [];
    for (let index = 0; index < perSender; index++) {
      acks.push(await aliceSocket.next("ack"), await bobSocket.next("ack"));
    }
    const seqs = acks.map((ack) => ack.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: perSender * 2 }, (_, index) => index + 1));
    const stored = await history(alice, channel);
    expect(stored.map((message) => message.seq)).toEqual(seqs);
    // Each sender's own messages keep the order they were sent in.
    const aliceOrder = stored
      .filter((message) => message.senderId === alice.user.id)
      .map((message) => atob(message.payload));
    expect(aliceOrder).toEqual(Array.from({ length: perSender }, (_, index) => `a${index}`));
  });
});

describe("a channel room refuses bad frames and keeps the connection usable", () => {
  const cases: [string, unknown, string][] = [
    ["text that is not JSON", "{not json", "malformed_frame"],
    ["an unknown frame type", { type: "shout", payload: "x" }, "invalid_frame"],
    ["a send without a client id", { type: "send", payload: text("x") }, "invalid_frame"],
    ["a payload that is not base64", { type: "send", clientId: clientId(), payload: "not base64!" }, "invalid_frame"],
    ["an extra field", { type: "send", clientId: clientId(), payload: text("x"), admin: true }, "invalid_frame"],
    ["a frame over the frame cap", "x".repeat(100 * 1024), "frame_too_large"],
  ];

  it.each(cases)("answers %s with an error frame and stores nothing", async (_name, frame, code) => {
    const channel = await createChannel(alice);
    const socket = await connect(alice, channel.id);
    socket.send(frame);
    expect((await socket.next("error")).code).toBe(code);
    // Still usable: a valid message right after goes through as seq 1.
    socket.send({ type: "send", clientId: clientId(), payload: text("still here") });
    expect((await socket.next("ack")).message.seq).toBe(1);
    expect(await history(alice, channel)).toHaveLength(1);
  });

  it("answers a binary frame with an error frame", async () => {
    const channel = await createChannel(alice);
    const socket = await connect(alice, channel.id);
    socket.socket.send(new Uint8Array([1, 2, 3]));
    expect((await socket.next("error")).code).toBe("malformed_frame");
  });

  it("accepts a 64 KiB payload and refuses one byte more", async () => {
    const channel = await createChannel(alice);
    const socket = await connect(alice, channel.id);
    const limit = new Uint8Array(64 * 1024).fill(7);
    const tooBig = new Uint8Array(64 * 1024 + 1).fill(7);
    const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
    socket.send({ type: "send", clientId: clientId(), payload: base64(limit) });
    expect((await socket.next("ack")).message.seq).toBe(1);
    const id = clientId();
    socket.send({ type: "send", clientId: id, payload: base64(tooBig) });
    const error = await socket.next("error");
    expect(["payload_too_large", "invalid_frame"]).toContain(error.code);
    expect(await history(alice, channel)).toHaveLength(1);
  });
});

describe("the socket route", () => {
  it("refuses an upgrade without a ticket, with a ticket for another channel, or from a foreign origin", async () => {
    const first = await createChannel(alice);
    const second = await createChannel(alice);
    expect((await upgrade(`/api/channels/${first.id}/socket`)).status).toBe(401);
    const ticketForSecond = await ticketFor(alice, second.id);
    expect((await upgrade(`/api/channels/${first.id}/socket?ticket=${ticketForSecond}`)).status).toBe(401);
    const foreign = await upgrade(`/api/channels/${first.id}/socket?ticket=${await ticketFor(alice, first.id)}`, {
      Origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
  });

  it("ignores a connection id a client tries to choose, so nobody can take another's", async () => {
    const channel = await createChannel(alice, bob);
    const open = async (person: Person) => {
      const response = await upgrade(
        `/api/channels/${channel.id}/socket?_pk=chosen-id&ticket=${await ticketFor(person, channel.id)}`,
      );
      const socket = new TestSocket(response.webSocket!);
      await socket.next("welcome");
      return socket;
    };
    const aliceSocket = await open(alice);
    const bobSocket = await open(bob);
    bobSocket.send({ type: "send", clientId: clientId(), payload: text("can you hear me") });
    await bobSocket.next("ack");
    expect((await aliceSocket.next("message")).message.payload).toBe(text("can you hear me"));
  });

  it("ignores identity headers a client tries to set itself", async () => {
    const channel = await createChannel(alice, bob);
    const response = await upgrade(`/api/channels/${channel.id}/socket?ticket=${await ticketFor(bob, channel.id)}`, {
      "X-Chatalot-User-Id": alice.user.id,
      "X-Chatalot-Username": alice.user.username,
    });
    expect(response.status).toBe(101);
    const socket = response.webSocket!;
    socket.accept();
    const welcome = await new Promise<{ userId: string }>((resolve) =>
      socket.addEventListener("message", (event) => resolve(JSON.parse(event.data as string))),
    );
    expect(welcome.userId).toBe(bob.user.id);
  });

  it("answers a plain GET with 426 and an unknown channel's ticket with 404", async () => {
    const channel = await createChannel(alice);
    expect((await request(`/api/channels/${channel.id}/socket`)).status).toBe(426);
    const missing = await request(`/api/channels/${crypto.randomUUID()}/socket-ticket`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    expect(missing.status).toBe(404);
  });
});

describe("a channel room under a flood", () => {
  it("refuses frames beyond the per-connection rate, naming the refused send, and stores only what it accepted", async () => {
    // Someone who sent nothing yet: the account-wide budget (hardening-budget.test.ts) is full.
    const flooder = await register(unique("flooder"));
    const channel = await createChannel(flooder);
    const socket = await connect(flooder, channel.id);
    const ids = Array.from({ length: 30 }, () => clientId());
    for (const id of ids) socket.send({ type: "send", clientId: id, payload: text("flood") });
    const answered = () => socket.frames.filter((frame) => frame.type === "ack" || frame.type === "error");
    for (let waited = 0; answered().length < ids.length && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const acks = socket.frames.filter((frame) => frame.type === "ack");
    const refusals = socket.frames.filter((frame) => frame.type === "error");
    // A burst of 20 at once is fine (10 a second by default); the rest are refused by name.
    expect(acks.length).toBeGreaterThanOrEqual(20);
    expect(refusals.length).toBeGreaterThan(0);
    expect(acks.length + refusals.length).toBe(30);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: "rate_limited", clientId: expect.any(String) });
    }
    expect(await history(flooder, channel)).toHaveLength(acks.length);
  });
});
