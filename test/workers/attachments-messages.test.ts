/**
 * Messages that carry files (docs/files.md, "Send"), through the real upload routes and
 * sockets: alice owns the community, bob is a member, mallory a member who uploads her
 * own files. A send names completed uploads of the sender's in this channel; anything
 * else is refused with `invalid_attachment` (or `missing_permission`) and binds
 * nothing, which the same upload going with a later, good send proves. Bob reads a
 * file only once a message carries it.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelView } from "../../protocol/index.ts";
import {
  answerTo,
  download,
  downloadStatus,
  randomBytes,
  sendAndAnswer,
  sendFiles,
  sendPart,
  startUpload,
  upload,
  type SendAnswer,
} from "./attachments-fixtures.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  text,
  unique,
  type Person,
  type TestSocket,
} from "./fixtures.ts";

let alice: Person, bob: Person, mallory: Person;
let communityId: string;
let channel: ChannelView, elsewhere: ChannelView;
let aliceSocket: TestSocket;

/** Uploads, registrations and sockets on a busy machine: more than the default 5 s. */
const TIMEOUT_MS = 30_000;

beforeAll(async () => {
  [alice, bob, mallory] = (await Promise.all(["alice", "bob", "mallory"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob, mallory)).id;
}, TIMEOUT_MS);

// Each test gets channels of its own: what one sends or denies there, the next never sees.
beforeEach(async () => {
  [channel, elsewhere] = [await createChannelIn(alice, communityId), await createChannelIn(alice, communityId)];
  aliceSocket = await connect(alice, channel.id);
}, TIMEOUT_MS);

function expectAck(answer: SendAnswer) {
  expect(answer, JSON.stringify(answer)).toMatchObject({ type: "ack" });
  return (answer as Extract<SendAnswer, { type: "ack" }>).message;
}

function expectRefusal(answer: SendAnswer, code: string, words: RegExp) {
  expect(answer).toMatchObject({ type: "error", code });
  expect((answer as Extract<SendAnswer, { type: "error" }>).message).toMatch(words);
}

describe("sending files", { timeout: TIMEOUT_MS }, () => {
  it("a message carries alice's files: bob reads them once it is acknowledged, not before", async () => {
    const bytes = randomBytes(2_000);
    const [first, second] = [await upload(alice, channel.id, bytes), await upload(alice, channel.id)];
    expect(await downloadStatus(bob, first)).toBe(404);
    const bobSocket = await connect(bob, channel.id);
    const message = expectAck(await sendAndAnswer(aliceSocket, [first, second]));
    expect((await bobSocket.next("message")).message.seq).toBe(message.seq);
    const read = await download(bob, first);
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
    expect(await downloadStatus(bob, second)).toBe(200);
    // Carried by a message, an upload is no longer its owner's to cancel.
    const cancel = await expectStatus(await as(alice, "DELETE", `/api/uploads/${first}`), 409);
    expect(await errorCode(cancel)).toBe("upload_attached");
  });

  it("a resend with the same client id is the same message, its files still its own", async () => {
    const file = await upload(alice, channel.id);
    const id = clientId();
    const sent = expectAck(await sendAndAnswer(aliceSocket, [file], id));
    const again = expectAck(await sendAndAnswer(aliceSocket, [file], id));
    expect(again.seq).toBe(sent.seq);
    expect(await downloadStatus(bob, file)).toBe(200);
  });

  it("an edit keeps the files the message carries", async () => {
    const file = await upload(alice, channel.id);
    const sent = expectAck(await sendAndAnswer(aliceSocket, [file]));
    const id = clientId();
    aliceSocket.send({ type: "edit", clientId: id, seq: sent.seq, payload: text("a better caption") });
    await aliceSocket.next("done", (frame) => frame.clientId === id);
    expect(await downloadStatus(bob, file)).toBe(200);
  });
});

describe("files a send may not carry", { timeout: TIMEOUT_MS }, () => {
  it("mallory's upload is refused in alice's message, and stays mallory's to send", async () => {
    const hers = await upload(mallory, channel.id);
    expectRefusal(await sendAndAnswer(aliceSocket, [hers]), "invalid_attachment", /is not an upload of yours/);
    expect(await downloadStatus(bob, hers)).toBe(404);
    expectAck(await sendAndAnswer(await connect(mallory, channel.id), [hers]));
  });

  it("an upload to another channel is refused here, and a message naming it binds none of its files", async () => {
    const [here, there] = [await upload(alice, channel.id), await upload(alice, elsewhere.id)];
    expectRefusal(await sendAndAnswer(aliceSocket, [here, there]), "invalid_attachment", /another channel/);
    expect(await downloadStatus(bob, here)).toBe(404);
    expectAck(await sendAndAnswer(aliceSocket, [here]));
    expectAck(await sendAndAnswer(await connect(alice, elsewhere.id), [there]));
  });

  it("an upload not yet complete is refused, and goes once its last part is in", async () => {
    const bytes = randomBytes(500);
    const file = await startUpload(alice, channel.id, bytes.length);
    expectRefusal(await sendAndAnswer(aliceSocket, [file]), "invalid_attachment", /not complete/);
    await expectStatus(await sendPart(alice, file, 0, bytes), 200);
    expectAck(await sendAndAnswer(aliceSocket, [file]));
  });

  it("an upload already sent with a message is refused in another", async () => {
    const file = await upload(alice, channel.id);
    const sent = expectAck(await sendAndAnswer(aliceSocket, [file]));
    expectRefusal(await sendAndAnswer(aliceSocket, [file]), "invalid_attachment", /already carried/);
    const history = await as(bob, "GET", `/api/channels/${channel.id}/messages`);
    expect(((await history.json()) as { messages: { seq: number }[] }).messages.map((m) => m.seq)).toEqual([sent.seq]);
  });

  it("the same upload twice in one message is refused", async () => {
    const file = await upload(alice, channel.id);
    expectRefusal(await sendAndAnswer(aliceSocket, [file, file]), "invalid_attachment", /named twice/);
    expectAck(await sendAndAnswer(aliceSocket, [file]));
  });

  it("without ATTACH_FILES in the channel bob's files are refused, his words are not", async () => {
    const file = await upload(bob, channel.id);
    const bobSocket = await connect(bob, channel.id);
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${channel.id}/overrides/members/${bob.user.id}`, {
        deny: ["ATTACH_FILES"],
      }),
      204,
    );
    await bobSocket.next("permissions", (frame) => !frame.permissions.includes("ATTACH_FILES"));
    expectRefusal(await sendAndAnswer(bobSocket, [file]), "missing_permission", /attach_files/);
    expect(await downloadStatus(alice, file)).toBe(404);
    const id = clientId();
    bobSocket.send({ type: "send", clientId: id, payload: text("words only") });
    expectAck(await answerTo(bobSocket, id));
  });

  it("one bad file refuses only its own message among messages stored together", async () => {
    const [first, third] = [await upload(alice, channel.id), await upload(alice, channel.id)];
    const hers = await upload(mallory, channel.id);
    const ids = [sendFiles(aliceSocket, [first]), sendFiles(aliceSocket, [hers]), sendFiles(aliceSocket, [third])];
    const [one, two, three] = await Promise.all(ids.map((id) => answerTo(aliceSocket, id)));
    expect(expectAck(three!).seq).toBe(expectAck(one!).seq + 1);
    expectRefusal(two!, "invalid_attachment", /not an upload of yours/);
    expect(await downloadStatus(bob, third)).toBe(200);
  });
});

describe("racing for one upload", { timeout: TIMEOUT_MS }, () => {
  it("from one socket, in one batch: exactly one message carries it", async () => {
    const file = await upload(alice, channel.id);
    const ids = [sendFiles(aliceSocket, [file]), sendFiles(aliceSocket, [file]), sendFiles(aliceSocket, [file])];
    const answers = await Promise.all(ids.map((id) => answerTo(aliceSocket, id)));
    expect(answers.filter((answer) => answer.type === "ack")).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.type === "error"))
      expectRefusal(refused, "invalid_attachment", /already carried/);
  });

  it("from two of alice's devices at once: exactly one message carries it", async () => {
    const file = await upload(alice, channel.id);
    const otherSocket = await connect(alice, channel.id);
    const [mine, other] = [sendFiles(aliceSocket, [file]), sendFiles(otherSocket, [file])];
    const answers = await Promise.all([answerTo(aliceSocket, mine), answerTo(otherSocket, other)]);
    expect(answers.map((answer) => answer.type).sort()).toEqual(["ack", "error"]);
    const history = await as(bob, "GET", `/api/channels/${channel.id}/messages`);
    expect(((await history.json()) as { messages: unknown[] }).messages).toHaveLength(1);
  });

  it("a send and its owner's cancel at once: the message carries the file or the file is gone, never both", async () => {
    for (let round = 0; round < 3; round++) {
      const file = await upload(alice, channel.id);
      const id = sendFiles(aliceSocket, [file]);
      const [answer, cancel] = await Promise.all([
        answerTo(aliceSocket, id),
        as(alice, "DELETE", `/api/uploads/${file}`),
      ]);
      if (answer.type === "ack") {
        expect(cancel.status).toBe(409);
        expect(await downloadStatus(bob, file)).toBe(200);
      } else {
        expectRefusal(answer, "invalid_attachment", /was deleted|not an upload of yours/);
        expect(cancel.status).toBe(204);
        expect(await downloadStatus(alice, file)).toBe(404);
      }
    }
  });
});
