/**
 * Which address the server records for a client: the connection's own, unless the
 * connection comes from a configured trusted proxy, and then the nearest address in
 * X-Forwarded-For that is not a trusted proxy. The test connects over loopback, so
 * "the connection's own address" is 127.0.0.1.
 */
import { afterAll, describe, expect, it } from "vitest";
import { call, registerOn, signInOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery staple";

const databases: TestDatabase[] = [];
const servers: RunningServer[] = [];
let server: RunningServer;

/** Each configuration gets its own database, so one's address locks cannot leak into the other. */
async function serverWith(trustedProxies: string | undefined): Promise<RunningServer> {
  for (const running of servers) await running.stop(); // one at a time, as in production
  const database = await createTestDatabase("accounts_trusted_proxy");
  databases.push(database);
  const running = await startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: trustedProxies } });
  servers.push(running);
  return running;
}

afterAll(async () => {
  for (const running of servers) await running.stop();
  for (const database of databases) await database.stop();
});

/** The address the server recorded for a fresh sign-in sent with these headers. */
async function recordedAddress(
  running: RunningServer,
  username: string,
  headers: Record<string, string>,
): Promise<string | null> {
  const session = await signInOn(running, username, PASSWORD, { headers });
  const sessions = await call(running, "/api/sessions", { token: session.token });
  return sessions.body.sessions.find((row: { isCurrent: boolean }) => row.isCurrent).ip;
}

describe("with TRUSTED_PROXIES unset", () => {
  let alice: Account;

  it("ignores the forwarding headers a client sends and records the socket's address", async () => {
    server = await serverWith(undefined);
    alice = await registerOn(server, "alice", PASSWORD, { forwardedFor: "203.0.113.5" });
    const sessions = await call(server, "/api/sessions", { token: alice.token });
    expect(sessions.body.sessions[0].ip).toBe("127.0.0.1");

    expect(await recordedAddress(server, "alice", { "X-Forwarded-For": "203.0.113.5" })).toBe("127.0.0.1");
    expect(await recordedAddress(server, "alice", { "CF-Connecting-IP": "203.0.113.6" })).toBe("127.0.0.1");
    expect(
      await recordedAddress(server, "alice", { "X-Real-IP": "203.0.113.7", "True-Client-IP": "203.0.113.8" }),
    ).toBe("127.0.0.1");

    const audit = await call(server, "/api/account/audit", { token: alice.token });
    const registered = audit.body.events.find((event: { action: string }) => event.action === "user.registered");
    expect(registered.ip).toBe("127.0.0.1");
    for (const event of audit.body.events) expect(event.ip).toBe("127.0.0.1");
  });

  it("so a client cannot dodge the per-address lock by changing X-Forwarded-For", async () => {
    // Ten failures across names lock an address (functions/abuse.ts).
    for (let attempt = 0; attempt < 10; attempt++) {
      await call(server, "/api/auth/login", {
        body: { username: `nobody${attempt}`, password: "guessing wrong!" },
        headers: { "X-Forwarded-For": `203.0.113.${10 + attempt}`, "CF-Connecting-IP": `203.0.113.${20 + attempt}` },
      });
    }
    // Anyone new to this address is refused now, whatever address the headers claim. (alice,
    // who registered from it, is a known client there: an address lock does not refuse her.)
    const next = await call(server, "/api/auth/login", {
      body: { username: "nobody-new", password: PASSWORD },
      headers: { "X-Forwarded-For": "203.0.113.50", "CF-Connecting-IP": "203.0.113.51" },
    });
    expect(next.status).toBe(429);
    expect(next.body.error.code).toBe("locked_out");
  });
});

describe("with TRUSTED_PROXIES=127.0.0.1 and a private range", () => {
  it("takes the client address from X-Forwarded-For: the rightmost hop that is not a trusted proxy", async () => {
    server = await serverWith("127.0.0.1, 10.0.0.0/8");
    await registerOn(server, "bob", PASSWORD, { forwardedFor: "198.51.100.2" });

    expect(await recordedAddress(server, "bob", { "X-Forwarded-For": "203.0.113.5" })).toBe("203.0.113.5");
    // A client may put anything on the left; only the hop our proxy appended counts.
    expect(await recordedAddress(server, "bob", { "X-Forwarded-For": "192.0.2.99, 203.0.113.7" })).toBe("203.0.113.7");
    // Hops through further trusted proxies are skipped.
    expect(await recordedAddress(server, "bob", { "X-Forwarded-For": "192.0.2.99, 203.0.113.8, 10.1.2.3" })).toBe(
      "203.0.113.8",
    );
    // IPv6 clients, too.
    expect(await recordedAddress(server, "bob", { "X-Forwarded-For": "2001:db8::42" })).toBe("2001:db8::42");
    // Without the header (or with junk in it) the proxy itself is all we know.
    expect(await recordedAddress(server, "bob", {})).toBe("127.0.0.1");
    expect(await recordedAddress(server, "bob", { "X-Forwarded-For": "not-an-address" })).toBe("127.0.0.1");

    const audit = await call(server, "/api/account/audit", {
      token: (await signInOn(server, "bob", PASSWORD, { forwardedFor: "203.0.113.9" })).token,
    });
    expect(audit.body.events[0]).toMatchObject({ action: "user.signed_in", ip: "203.0.113.9" });
  });
});
