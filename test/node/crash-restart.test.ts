/**
 * After a crash (SIGKILL: no close handler runs), what the server counted from the
 * sockets that died with it is put right: who was online is not shown online unless
 * they come back, and the sockets they held do not count against their socket cap.
 * The restarted server keeps its Durable Object storage, as the container's volume does.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketProtocols, type EventsServerFrame } from "../../protocol/index.ts";
import {
  call,
  generalChannel,
  openChannelSocket,
  registerOn,
  signInOn,
  within,
  type Account,
} from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
const env = { ROOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), "chatalot-crash-rooms-")), SOCKETS_PER_USER: "2" };

let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase("presence_restart");
  server = await startServer({ databaseUrl: database.url, env });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

type Presence = Extract<EventsServerFrame, { type: "presence" }>;

/** An account socket, collecting its frames; `presence(userId)` waits for news of that user. */
async function accountSocket(account: Account) {
  const ticket = await call(server, "/api/events/socket-ticket", { method: "POST", token: account.token });
  expect(ticket.status).toBe(200);
  const socket = new WebSocket(
    `${server.url.replace("http", "ws")}/api/events/socket`,
    socketProtocols(ticket.body.ticket),
  );
  const frames: EventsServerFrame[] = [];
  let arrived = () => {};
  socket.on("message", (data) => {
    frames.push(JSON.parse(String(data)) as EventsServerFrame);
    arrived();
  });
  await new Promise<void>((resolve, reject) => socket.once("open", () => resolve()).once("error", reject));
  const presenceFrames = () => frames.filter((frame): frame is Presence => frame.type === "presence");
  return {
    socket,
    /** The snapshot every new account socket gets right after its hello. */
    snapshot: () =>
      within(
        (async () => {
          while (presenceFrames().length === 0) await new Promise<void>((resolve) => (arrived = resolve));
          return presenceFrames()[0]!;
        })(),
        10_000,
        "the presence snapshot",
      ),
    /** Waits until a presence frame after the snapshot gives `userId` this status. */
    news: (userId: string, status: string) =>
      within(
        (async () => {
          const told = () =>
            presenceFrames()
              .slice(1)
              .flatMap((frame) => frame.users)
              .some((user) => user.userId === userId && user.status === status);
          while (!told()) await new Promise<void>((resolve) => (arrived = resolve));
        })(),
        10_000,
        `news of ${userId} ${status}`,
      ),
  };
}

const shown = (snapshot: Presence, userId: string) => snapshot.users.find((user) => user.userId === userId)?.status;

describe("after the server process is killed", () => {
  it("shows offline whoever was online and did not come back, and online whoever did; sockets that died do not count against the cap", async () => {
    const admin = await registerOn(server, "admin", PASSWORD);
    const bob = await registerOn(server, "bob", PASSWORD);
    const channelId = await generalChannel(server, admin, [bob]);
    await accountSocket(bob);
    for (let index = 0; index < 2; index++) await openChannelSocket(server, bob, channelId);
    const before = await accountSocket(admin);
    expect(shown(await before.snapshot(), bob.id)).toBe("online");

    process.kill(-server.process.pid!, "SIGKILL");
    await server.exited;
    server = await startServer({ databaseUrl: database.url, env });

    // Bob's socket died with the process and he has not come back.
    const adminAgain = await signInOn(server, "admin", PASSWORD);
    const after = await accountSocket(adminAgain);
    expect(shown(await after.snapshot(), bob.id)).toBeUndefined();

    // When he does, the admin hears of it.
    const bobAgain = await signInOn(server, "bob", PASSWORD);
    await accountSocket(bobAgain);
    await after.news(bob.id, "online");

    // His two channel sockets died too: he may open two again (SOCKETS_PER_USER), not a third.
    const sockets = [];
    for (let index = 0; index < 2; index++) sockets.push(await openChannelSocket(server, bobAgain, channelId));
    await expect(openChannelSocket(server, bobAgain, channelId)).rejects.toThrow(/closed before its welcome: 4029/);
    for (const { socket } of sockets) expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
