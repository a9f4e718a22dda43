/**
 * A commit whose answer never reaches the server: PostgreSQL stored the message, then
 * the connection died before the server heard so. The sender is told the send failed
 * (and sends it again later), but the others must still get the message live, before
 * anything stored after it: a client resumes from the newest event it holds, so a
 * message that first shows up below events it already holds would never reach it.
 *
 * The cut is made by a TCP proxy between the server and PostgreSQL (the outer edge):
 * armed, it lets through the statement carrying a marked payload and then drops the
 * connection instead of handing back PostgreSQL's answer.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerFrame } from "../../protocol/index.ts";
import { generalChannel, openChannelSocket, registerOn, within, type Account } from "../support/accounts.ts";
import { createTestDatabase, freePort, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";

/** Forwards to PostgreSQL; once armed with a marker, kills the connection whose statement carries it before the answer. */
class CuttingProxy {
  marker: string | null = null;
  cuts = 0;
  readonly #server: Server;
  constructor(target: URL) {
    this.#server = createServer((client) => {
      const upstream = createConnection(Number(target.port || 5432), target.hostname);
      let seen = "";
      let isDoomed = false;
      const end = (socket: Socket) => socket.destroy();
      client.on("data", (chunk: Buffer) => {
        // A marker split across chunks is still found: keep the tail of what came before.
        seen = (seen + chunk.toString("latin1")).slice(-4096);
        if (this.marker && seen.includes(this.marker)) {
          this.marker = null;
          isDoomed = true;
        }
        upstream.write(chunk);
      });
      upstream.on("data", (chunk: Buffer) => {
        if (!isDoomed) return void client.write(chunk);
        // PostgreSQL answers after the commit: drop its answer and the connection with it.
        this.cuts++;
        end(client);
        end(upstream);
      });
      client.on("close", () => end(upstream));
      upstream.on("close", () => end(client));
      client.on("error", () => {});
      upstream.on("error", () => {});
    });
  }
  listen(port: number): Promise<void> {
    return new Promise((resolve) => this.#server.listen(port, "127.0.0.1", resolve));
  }
  close(): void {
    this.#server.close();
  }
}

let database: TestDatabase;
let proxy: CuttingProxy;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase("lost_commit");
  if (database.isEmbedded) return;
  const direct = new URL(database.url);
  proxy = new CuttingProxy(direct);
  const port = await freePort();
  await proxy.listen(port);
  const proxied = new URL(database.url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  server = await startServer({ databaseUrl: proxied.toString() });
});

afterAll(async () => {
  await server?.stop();
  proxy?.close();
  await database?.stop();
});

/** A channel socket that keeps every frame it gets; `until` waits for one that matches. */
async function listening(account: Account, channelId: string) {
  const { socket } = await openChannelSocket(server, account, channelId);
  const frames: ServerFrame[] = [];
  let arrived = () => {};
  socket.on("message", (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    arrived();
  });
  const until = (what: string, test: (frame: ServerFrame) => boolean) =>
    within(
      (async () => {
        while (!frames.some(test)) await new Promise<void>((resolve) => (arrived = resolve));
        return frames.find(test)!;
      })(),
      15_000,
      what,
    );
  return { socket, frames, until };
}

const payloadOf = (text: string) => Buffer.from(text).toString("base64");

describe.skipIf(!process.env.DATABASE_URL)("a commit whose answer was lost", () => {
  it("still reaches the others, and before anything stored after it", async () => {
    const admin = await registerOn(server, "admin", PASSWORD);
    const bob = await registerOn(server, "bob", PASSWORD);
    const channelId = await generalChannel(server, admin, [bob]);
    const sender = await listening(admin, channelId);
    const reader = await listening(bob, channelId);

    const lost = payloadOf("the message whose commit answer is lost on the way back");
    proxy.marker = lost;
    sender.socket.send(JSON.stringify({ type: "send", clientId: "lost-one", payload: lost }));
    const failure = await sender.until("the lost send's error", (frame) => frame.type === "error");
    expect(failure).toMatchObject({ type: "error", code: "unavailable", clientId: "lost-one" });
    expect(proxy.cuts).toBe(1);
    // The premise: PostgreSQL did commit it, though the server never heard so.
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    const stored = await direct.query("select seq from messages where client_id = 'lost-one'");
    await direct.end();
    expect(stored.rows).toHaveLength(1);

    sender.socket.send(JSON.stringify({ type: "send", clientId: "after-one", payload: payloadOf("the next one") }));
    await sender.until("the next message's ack", (frame) => frame.type === "ack" && frame.clientId === "after-one");
    await reader.until(
      "the next message",
      (frame) => frame.type === "message" && frame.message.clientId === "after-one",
    );
    const relayed = reader.frames.flatMap((frame) => (frame.type === "message" ? [frame.message.clientId] : []));
    expect(relayed).toEqual(["lost-one", "after-one"]);

    // The sender's resend is acknowledged as the stored message, and not relayed again.
    sender.socket.send(JSON.stringify({ type: "send", clientId: "lost-one", payload: lost }));
    const ack = await sender.until(
      "the resend's ack",
      (frame) => frame.type === "ack" && frame.clientId === "lost-one",
    );
    expect(ack.type === "ack" && ack.message.seq).toBe(Number(stored.rows[0].seq));
    sender.socket.send(JSON.stringify({ type: "send", clientId: "after-two", payload: payloadOf("and another") }));
    await reader.until(
      "the last message",
      (frame) => frame.type === "message" && frame.message.clientId === "after-two",
    );
    const all = reader.frames.flatMap((frame) => (frame.type === "message" ? [frame.message.clientId] : []));
    expect(all).toEqual(["lost-one", "after-one", "after-two"]);
    sender.socket.close();
    reader.socket.close();
  });
});
