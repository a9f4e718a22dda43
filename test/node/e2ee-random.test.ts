/**
 * Zero undecryptable messages: a seeded random run of an encrypted public channel
 * against the production server and PostgreSQL. Seven people on simulated devices
 * send, go offline and come back, leave and rejoin, get kicked and let back in; after
 * each change an online member commits what is pending. At the end every member, once
 * caught up, reads every message ever sent in the channel (it shares its history with
 * newcomers), and nobody outside it reads the messages sent after they left.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite } from "../../e2ee/index.ts";
import type { MessageView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const NAMES = ["admin", "bob", "carol", "dave", "erin", "frank", "grace"];
const STEPS = 60;

let database: TestDatabase;
let server: RunningServer;
let communityId: string;
let channelId: string;
let inviteCode: string;
const people = new Map<string, { account: Account; device: SimulatedDevice }>();
let address = 0;
const nextAddress = () => `198.18.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

beforeAll(async () => {
  database = await createTestDatabase("e2ee_random");
  server = await startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: "127.0.0.1" } });
  const cipherSuite = await chatalotCiphersuite();
  for (const name of NAMES) {
    const account = await registerOn(server, name, "a long enough password", { forwardedFor: nextAddress() });
    people.set(name, {
      account,
      device: await SimulatedDevice.setUp(server, account, cipherSuite, { keyPackages: 20 }),
    });
  }
  const admin = people.get("admin")!.account;
  communityId = (await call(server, "/api/communities", { token: admin.token, body: { name: "Random" } })).body
    .community.id;
  inviteCode = (await call(server, `/api/communities/${communityId}/invites`, { token: admin.token, body: {} })).body
    .code;
  const channels = await call(server, `/api/communities/${communityId}/channels`, { token: admin.token });
  channelId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("a random run of an encrypted channel", () => {
  it("ends with every member reading every message, and nobody outside reading what followed their leaving", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const members = new Set<string>(["admin"]);
    const online = new Set<string>(NAMES);
    /** Messages, and who was out of the channel when each was sent. */
    const sent: { message: MessageView; words: string; outsiders: string[] }[] = [];
    const tally = { sends: 0, offline: 0, back: 0, leaves: 0, kicks: 0, joins: 0, commits: 0 };
    const device = (name: string) => people.get(name)!.device;
    const token = (name: string) => people.get(name)!.account.token;

    /** Whether the device is in the channel's group now (not out of it since a removal). */
    const isActive = (name: string) => device(name).groups.get(channelId)?.state.groupActiveState.kind === "active";
    /** A member comes back: joins groups it was welcomed to, processes the commits it missed. */
    const catchUp = async (name: string) => {
      await device(name).acceptWelcomes();
      if (isActive(name)) await device(name).catchUp(channelId);
    };
    /** After a membership change: an online member commits what is pending; the others catch up. */
    const settle = async () => {
      const committers = [...members].filter((name) => online.has(name) && isActive(name));
      // The first that is still in the group commits (one that learns it was removed passes).
      for (const name of committers.sort(() => random() - 0.5)) {
        if (await device(name).commitPending(channelId)) {
          tally.commits++;
          break;
        }
      }
      for (const name of members) if (online.has(name)) await catchUp(name);
    };
    const join = async (name: string) => {
      const joined = await call(server, "/api/community-invites/accept", {
        token: token(name),
        body: { code: inviteCode },
        forwardedFor: nextAddress(),
      });
      expect(joined.status, joined.text).toBe(200);
      members.add(name);
    };

    await device("admin").startGroup(channelId);
    for (const name of NAMES.slice(1)) await join(name);
    await settle();

    for (let step = 0; step < STEPS; step++) {
      const roll = random();
      const present = [...members].filter((name) => online.has(name));
      if (roll < 0.55 && present.length > 0) {
        const speaker = pick(present);
        await catchUp(speaker);
        if (!isActive(speaker)) continue;
        const words = `step ${step}: ${speaker} says ${Math.floor(random() * 1e6)}`;
        const socket = await device(speaker).connect(channelId);
        const clientId = `random${step}x${Math.floor(random() * 1e9)}`;
        socket.socket.send(
          JSON.stringify({ type: "send", clientId, payload: await device(speaker).seal(channelId, words) }),
        );
        const { message } = await socket.next("ack", (frame) => frame.clientId === clientId);
        socket.close();
        sent.push({ message, words, outsiders: NAMES.filter((name) => !members.has(name)) });
        tally.sends++;
      } else if (roll < 0.65) {
        const name = pick(NAMES.filter((candidate) => candidate !== "admin" && online.has(candidate)));
        online.delete(name);
        tally.offline++;
      } else if (roll < 0.75) {
        const away = NAMES.filter((candidate) => !online.has(candidate));
        if (away.length === 0) continue;
        const name = pick(away);
        online.add(name);
        if (members.has(name)) await catchUp(name);
        tally.back++;
      } else if (roll < 0.85) {
        const leaving = [...members].filter((name) => name !== "admin");
        if (leaving.length === 0) continue;
        const name = pick(leaving);
        if (random() < 0.5) {
          const left = await call(server, `/api/communities/${communityId}/leave`, {
            method: "POST",
            token: token(name),
          });
          expect(left.status, left.text).toBe(204);
          tally.leaves++;
        } else {
          const kicked = await call(
            server,
            `/api/communities/${communityId}/members/${people.get(name)!.account.id}/kick`,
            {
              token: token("admin"),
              body: { reason: "random" },
            },
          );
          expect(kicked.status, kicked.text).toBe(204);
          tally.kicks++;
        }
        members.delete(name);
        await settle();
      } else {
        const outside = NAMES.filter((name) => !members.has(name));
        if (outside.length === 0) continue;
        await join(pick(outside));
        tally.joins++;
        await settle();
      }
    }

    // Everyone comes back online; the last pending changes are committed.
    for (const name of NAMES) online.add(name);
    await settle();
    const page = await device("admin").api<{ messages: MessageView[] }>(
      "GET",
      `/api/channels/${channelId}/messages?limit=100`,
    );
    expect(page.messages.length).toBeGreaterThanOrEqual(sent.length);
    const undecryptable: string[] = [];
    for (const name of members) {
      await catchUp(name);
      // Read the channel twice: history keys shared in later messages open the earlier ones.
      const read = new Map<number, string>();
      for (let pass = 0; pass < 2; pass++) {
        for (const message of page.messages) {
          if (read.has(message.seq)) continue;
          try {
            read.set(message.seq, await device(name).read(message));
          } catch {
            // not yet
          }
        }
      }
      for (const { message, words } of sent) {
        if (read.get(message.seq) !== words) undecryptable.push(`${name} cannot read seq ${message.seq}`);
      }
    }
    expect(undecryptable).toEqual([]);
    // Those outside the channel now read nothing sent while they were out of it last.
    for (const name of NAMES.filter((candidate) => !members.has(candidate))) {
      for (const { message } of sent.filter((entry) => entry.outsiders.includes(name)).slice(-3)) {
        await expect(device(name).read(message)).rejects.toThrow();
      }
    }
    expect(tally.sends).toBeGreaterThan(20);
    expect(tally.leaves + tally.kicks).toBeGreaterThan(3);
    expect(tally.joins).toBeGreaterThan(2);
    console.log(`e2ee random run: ${JSON.stringify({ ...tally, members: members.size, messages: sent.length })}`);
  }, 240_000);
});
