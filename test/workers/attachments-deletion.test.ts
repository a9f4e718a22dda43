/**
 * Deleting what carries files deletes the files (docs/files.md, "Delete"): a message
 * (by its sender or a moderator), a channel, a community, an account (its unsent
 * uploads and its avatar; files its messages carry stay with them). alice owns the
 * community, bob is a member, carol a moderator. "Gone" is checked where a person
 * sees it (a download answers 404, the quota no longer counts it) and where the
 * server keeps it (no part left in the file store).
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { UPLOAD_PART_BYTES, type ChannelView, type RoleView, type UserView } from "../../protocol/index.ts";
import {
  downloadStatus,
  eventually,
  randomBytes,
  sendAndAnswer,
  sendPart,
  startUpload,
  storedParts,
  upload,
} from "./attachments-fixtures.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  expectStatus,
  PASSWORD,
  register,
  request,
  unique,
  type Person,
  type TestSocket,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person;
let communityId: string;
let channel: ChannelView, elsewhere: ChannelView;

/** Uploads, registrations and sockets on a busy machine: more than the default 5 s. */
const TIMEOUT_MS = 30_000;

beforeEach(async () => {
  [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob, carol)).id;
  [channel, elsewhere] = [await createChannelIn(alice, communityId), await createChannelIn(alice, communityId)];
  const role = await as(alice, "POST", `/api/communities/${communityId}/roles`, {
    name: "moderator",
    position: 5,
    permissions: ["MANAGE_MESSAGES"],
  });
  const { id } = ((await role.json()) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.user.id}/roles/${id}`),
    204,
  );
}, TIMEOUT_MS);

/** A file of two parts, so that removal has more than one to find. */
const TWO_PARTS = UPLOAD_PART_BYTES + 123;

/** A 1×1 PNG, whole and valid. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (character) => character.charCodeAt(0),
);

/** An upload of two parts with only the first stored: interrupted half way. */
async function interruptedUpload(person: Person, channelId: string): Promise<string> {
  const id = await startUpload(person, channelId, TWO_PARTS);
  await expectStatus(await sendPart(person, id, 0, randomBytes(UPLOAD_PART_BYTES)), 200);
  expect(await storedParts(id)).toHaveLength(1);
  return id;
}

/** Sets a picture (PUT with PNG bytes) and answers the JSON the route returns. */
async function putPicture<T>(person: Person, path: string): Promise<T> {
  const response = await request(path, {
    method: "PUT",
    headers: { Authorization: `Bearer ${person.token}`, "Content-Type": "image/png" },
    body: PNG,
  });
  return (await expectStatus(response, 200)).json() as Promise<T>;
}

/** Whether a picture's address still answers and its object is still stored. */
async function isPictureGone(url: string): Promise<boolean> {
  const stored = await env.UPLOADS_BUCKET.head(`pictures/${url.split("/").pop()}`);
  const served = await request(url);
  await served.body?.cancel();
  return stored === null && served.status === 404;
}

/** Uploads a file and sends it in a message of its own; answers the file and the message's seq. */
async function sendFile(socket: TestSocket, person: Person, channelId: string, size = 300) {
  const file = await upload(person, channelId, randomBytes(size));
  const answer = await sendAndAnswer(socket, [file]);
  if (answer.type !== "ack") expect.fail(`not sent: ${JSON.stringify(answer)}`);
  return { file, seq: answer.message.seq };
}

async function deleteMessage(socket: TestSocket, seq: number): Promise<void> {
  const id = clientId();
  socket.send({ type: "delete", clientId: id, seq });
  await socket.next("done", (frame) => frame.clientId === id);
}

async function usedBytes(person: Person): Promise<number> {
  const response = await expectStatus(await as(person, "GET", "/api/me/storage"), 200);
  return ((await response.json()) as { storage: { usedBytes: number } }).storage.usedBytes;
}

const isGone = async (file: string) => (await storedParts(file)).length === 0;

describe("deleting a message", { timeout: TIMEOUT_MS }, () => {
  it("alice deletes her message: its file is gone for bob, for her quota and from the store", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const { file, seq } = await sendFile(aliceSocket, alice, channel.id, TWO_PARTS);
    expect(await storedParts(file)).toHaveLength(2);
    expect(await usedBytes(alice)).toBe(TWO_PARTS);
    await deleteMessage(aliceSocket, seq);
    expect(await downloadStatus(bob, file)).toBe(404);
    expect(await downloadStatus(alice, file)).toBe(404);
    expect(await usedBytes(alice)).toBe(0);
    await eventually(() => isGone(file), "the deleted message's parts are removed");
  });

  it("carol, a moderator, deletes bob's message: its file goes too", async () => {
    const bobSocket = await connect(bob, channel.id);
    const { file, seq } = await sendFile(bobSocket, bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    await deleteMessage(carolSocket, seq);
    expect(await downloadStatus(alice, file)).toBe(404);
    await eventually(() => isGone(file), "the moderated message's parts are removed");
  });
});

describe("deleting a channel or a community", { timeout: TIMEOUT_MS }, () => {
  it("deleting a channel deletes the files sent and being sent in it; another channel's stay", async () => {
    const { file: sent } = await sendFile(await connect(alice, channel.id), alice, channel.id);
    const unsent = await upload(bob, channel.id);
    const partial = await interruptedUpload(bob, channel.id);
    const { file: kept } = await sendFile(await connect(alice, elsewhere.id), alice, elsewhere.id);
    await expectStatus(await as(alice, "DELETE", `/api/channels/${channel.id}`), 204);
    for (const file of [sent, unsent, partial]) expect(await isGone(file)).toBe(true);
    expect(await downloadStatus(bob, unsent)).toBe(404);
    expect((await as(bob, "GET", `/api/uploads/${partial}`)).status).toBe(404);
    expect(await usedBytes(bob)).toBe(0);
    expect(await downloadStatus(bob, kept)).toBe(200);
  });

  it("deleting the community deletes every channel's files and its icon", async () => {
    const { file: sent } = await sendFile(await connect(alice, channel.id), alice, channel.id);
    const unsent = await upload(bob, elsewhere.id);
    const { community } = await putPicture<{ community: { iconUrl: string } }>(
      alice,
      `/api/communities/${communityId}/icon`,
    );
    await expectStatus(await as(alice, "DELETE", `/api/communities/${communityId}`), 204);
    for (const file of [sent, unsent]) expect(await isGone(file)).toBe(true);
    expect(await usedBytes(bob)).toBe(0);
    expect(await isPictureGone(community.iconUrl)).toBe(true);
  });
});

describe("deleting an account", { timeout: TIMEOUT_MS }, () => {
  it("bob's unsent uploads and avatar go; the file his message carries stays readable by alice", async () => {
    const { file: sent } = await sendFile(await connect(bob, channel.id), bob, channel.id);
    const unsent = await upload(bob, channel.id);
    const partial = await interruptedUpload(bob, elsewhere.id);
    const { user } = await putPicture<{ user: UserView }>(bob, "/api/me/avatar");
    await expectStatus(await as(bob, "DELETE", "/api/account", { password: PASSWORD }), 204);
    expect(await isGone(unsent)).toBe(true);
    expect(await isGone(partial)).toBe(true);
    expect(await downloadStatus(alice, sent)).toBe(200);
    expect(await storedParts(sent)).toHaveLength(1);
    expect(await isPictureGone(user.avatarUrl!)).toBe(true);
  });
});
