/**
 * GET /api/calls/ice-servers: who may ask, what the entries hold, and that the TURN
 * password is exactly what coturn recomputes from the shared secret (checked here with
 * node:crypto, apart from the WebCrypto code that made it).
 */
import { env } from "cloudflare:test";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IceServersView } from "../../protocol/index.ts";
import { errorCode, expectStatus, register, request, unique, type Person } from "./fixtures.ts";

const TURN_SECRET = "5f0c2a9be1d84c7396a0e2f4b8d1c6a75e3f9b2d0c4a8e6f1b7d3c5a9e2f0b4d";
const SIX_HOURS_SECONDS = 6 * 60 * 60;

const withTurn = (settings: Record<string, string> = {}) => ({ ...env, TURN_SECRET, ...settings });

async function iceServersOf(person: Person, bindings: object): Promise<IceServersView> {
  const response = await expectStatus(
    await request("/api/calls/ice-servers", { headers: { Authorization: `Bearer ${person.token}` } }, bindings),
    200,
  );
  return (await response.json()) as IceServersView;
}

describe("GET /api/calls/ice-servers", () => {
  it("answers 401 to someone signed out", async () => {
    const response = await request("/api/calls/ice-servers", {}, withTurn());

    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("unauthorized");
  });

  it("gives alice the turn profile's relay on PUBLIC_URL's host, with a credential named after her that expires in six hours", async () => {
    const alice = await register(unique("alice"));
    const before = Math.floor(Date.now() / 1000);

    const { iceServers, expiresAt } = await iceServersOf(alice, withTurn());

    expect(iceServers).toEqual([
      { urls: ["stun:chatalot.test:3478"] },
      {
        urls: ["turn:chatalot.test:3478?transport=udp", "turn:chatalot.test:3478?transport=tcp"],
        username: expect.stringMatching(new RegExp(`^\\d+:${alice.user.id}$`)),
        credential: expect.any(String),
      },
    ]);
    const expiry = Number(iceServers[1]!.username!.split(":")[0]);
    expect(expiry).toBeGreaterThanOrEqual(before + SIX_HOURS_SECONDS);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + SIX_HOURS_SECONDS);
    expect(expiresAt).toBe(new Date(expiry * 1000).toISOString());
  });

  it("signs the user name with the TURN secret the way coturn's use-auth-secret checks it", async () => {
    const bob = await register(unique("bob"));

    const turn = (await iceServersOf(bob, withTurn())).iceServers.find((entry) => entry.username)!;

    const expected = createHmac("sha1", TURN_SECRET).update(turn.username!).digest("base64");
    expect(turn.credential).toBe(expected);
    const fromOtherSecret = createHmac("sha1", TURN_SECRET.replace("5f", "6f")).update(turn.username!).digest("base64");
    expect(turn.credential).not.toBe(fromOtherSecret);
  });

  it("hands out the URLs of TURN_URLS, STUN without a credential and TURN with one", async () => {
    const carol = await register(unique("carol"));
    const settings = {
      TURN_URLS: "turns:relay.example.com:5349?transport=tcp, stun:relay.example.com,turn:[2001:db8::7]:3478",
    };

    const { iceServers } = await iceServersOf(carol, withTurn(settings));

    expect(iceServers.map(({ urls, username }) => ({ urls, hasCredential: username !== undefined }))).toEqual([
      { urls: ["stun:relay.example.com"], hasCredential: false },
      {
        urls: ["turns:relay.example.com:5349?transport=tcp", "turn:[2001:db8::7]:3478"],
        hasCredential: true,
      },
    ]);
  });

  it("without a TURN secret gives the STUN entries only, or nothing, and no expiry", async () => {
    const dave = await register(unique("dave"));

    expect(await iceServersOf(dave, env)).toEqual({
      iceServers: [{ urls: ["stun:chatalot.test:3478"] }],
      expiresAt: null,
    });
    expect(await iceServersOf(dave, { ...env, TURN_URLS: "turn:relay.example.com:3478" })).toEqual({
      iceServers: [],
      expiresAt: null,
    });
  });

  it("refuses a malformed TURN_URLS or a short TURN_SECRET by name, never echoing the secret", async () => {
    const erin = await register(unique("erin"));
    const ask = (bindings: object) =>
      request("/api/calls/ice-servers", { headers: { Authorization: `Bearer ${erin.token}` } }, bindings);

    const badUrl = await ask(withTurn({ TURN_URLS: "https://relay.example.com" }));
    expect(badUrl.status).toBe(500);
    expect(await badUrl.text()).toContain("TURN_URLS");
    const shortSecret = "too-short-a-secret";
    const badSecret = await ask({ ...env, TURN_SECRET: shortSecret });
    const body = await badSecret.text();
    expect(body).toContain("TURN_SECRET");
    expect(body).not.toContain(shortSecret);
  });

  it("answers 429 past 60 asks a minute from one person", async () => {
    const frank = await register(unique("frank"));
    const bindings = withTurn();
    for (let ask = 0; ask < 60; ask++) await iceServersOf(frank, bindings);

    const response = await request(
      "/api/calls/ice-servers",
      { headers: { Authorization: `Bearer ${frank.token}` } },
      bindings,
    );

    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBeTruthy();
  });
});
