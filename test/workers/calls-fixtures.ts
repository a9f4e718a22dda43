/**
 * Named fixtures for the call tests: a voice channel, a join, an SDP whose sections
 * send or only receive, and an account socket. Calls' waits are short in the tests
 * (vitest.config.ts: CALL_RECONNECT_GRACE_MS, CALL_RING_MS, CALL_MAX_PARTICIPANTS 3,
 * CALL_CANDIDATES_PER_MINUTE 5).
 */
import { expect } from "vitest";
import type { CallMediaState, ChannelView, EventsServerFrame, ServerFrame } from "../../protocol/index.ts";
import {
  as,
  clientId,
  createChannelIn,
  createCommunity,
  expectStatus,
  upgrade,
  TestSocket,
  type Person,
} from "./fixtures.ts";

export const GRACE_MS = 1_500;
export const RING_MS = 2_500;

export const quiet: CallMediaState = { muted: false, deafened: false, camera: false, screen: false };

/** A voice channel in a new community of `owner`'s that `members` join. */
export async function voiceChannel(owner: Person, ...members: Person[]): Promise<ChannelView> {
  const community = await createCommunity(owner, ...members);
  return createChannelIn(owner, community.id, { kind: "voice" });
}

/** A DM (or group DM) of `person` with `others`. */
export async function directConversation(person: Person, ...others: Person[]): Promise<ChannelView> {
  const response = await as(person, "POST", "/api/dms", { userIds: others.map((other) => other.user.id) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return ((await response.json()) as { channel: ChannelView }).channel;
}

type Joined = Extract<ServerFrame, { type: "call.joined" }>;
type CallError = Extract<ServerFrame, { type: "error" }>;

/** Sends `call.join` and waits for its answer: the joined frame, or the error naming the join. */
export async function join(
  socket: TestSocket,
  options: { state?: CallMediaState; rejoin?: string } = {},
): Promise<Joined | CallError> {
  const id = clientId();
  socket.send({ type: "call.join", clientId: id, deviceId: null, state: options.state ?? quiet, ...options });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const answer = socket.frames.find(
      (frame) => (frame.type === "call.joined" || frame.type === "error") && frame.clientId === id,
    );
    if (answer) {
      socket.frames.splice(socket.frames.indexOf(answer), 1);
      return answer as Joined | CallError;
    }
    if (Date.now() > deadline) throw new Error(`no answer to call.join: ${JSON.stringify(socket.frames)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Joins and expects to be admitted. */
export async function joined(socket: TestSocket, options: Parameters<typeof join>[1] = {}): Promise<Joined> {
  const answer = await join(socket, options);
  if (answer.type !== "call.joined") throw new Error(`join refused: ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * An SDP with the four transceivers of docs/calls.md (microphone, camera, screen video,
 * screen audio), each with the given direction.
 */
export function sdp(directions: { audio?: string; video?: string } = {}): string {
  const audio = directions.audio ?? "sendrecv";
  const video = directions.video ?? "sendrecv";
  const section = (kind: string, mid: number, direction: string) => [
    `m=${kind} 9 UDP/TLS/RTP/SAVPF 96`,
    "c=IN IP4 0.0.0.0",
    `a=mid:${mid}`,
    `a=${direction}`,
  ];
  return [
    "v=0",
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0 1 2 3",
    ...section("audio", 0, audio),
    ...section("video", 1, video),
    ...section("video", 2, video),
    ...section("audio", 3, audio),
    "",
  ].join("\r\n");
}

/** Waits until the roster shows a call matching `predicate` (or no call, with null). */
export function roster(
  socket: TestSocket,
  predicate: (call: Extract<ServerFrame, { type: "call.roster" }>["call"]) => boolean,
  timeoutMs?: number,
) {
  return socket.next("call.roster", (frame) => predicate(frame.call), timeoutMs);
}

export const userIdsIn = (call: Extract<ServerFrame, { type: "call.roster" }>["call"]) =>
  (call?.participants ?? []).map((participant) => participant.userId).sort();

export type AccountSocket = Omit<TestSocket, "frames" | "next"> & {
  frames: EventsServerFrame[];
  next<T extends EventsServerFrame["type"]>(
    type: T,
    predicate?: (frame: Extract<EventsServerFrame, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<EventsServerFrame, { type: T }>>;
};

/** The person's account socket, greeted. */
export async function accountSocket(person: Person): Promise<AccountSocket> {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!) as unknown as AccountSocket;
  await socket.next("presence");
  return socket;
}
