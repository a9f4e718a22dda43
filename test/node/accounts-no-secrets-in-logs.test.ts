/**
 * A whole account life (registration, a wrong password, two-factor set-up, sign-ins
 * with a code and a backup code, refreshes and a refresh-token reuse, recovery, a
 * password change) against the production server; afterwards nothing secret may be
 * in anything the server printed, and no error body may echo a password.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, generalChannel, oathtool, registerOn, signInOn, type ApiResponse } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const STEP_MS = 30_000;
const ALICE_PASSWORD = "her first Passphrase 1a2b3c";
const WRONG_PASSWORD = "a wrong Guess 9z8y7x6w";
const RECOVERED_PASSWORD = "her recovered Passphrase 4d5e6f";
const CHANGED_PASSWORD = "her changed Passphrase 7g8h9i";
const ADMIN_PASSWORD = "the operator's Passphrase 0j1k2l";
const PASSWORDS = [ALICE_PASSWORD, WRONG_PASSWORD, RECOVERED_PASSWORD, CHANGED_PASSWORD, ADMIN_PASSWORD];

let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase("accounts_no_secrets");
  server = await startServer({ databaseUrl: database.url });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

const cookieValue = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);

describe("secrets", () => {
  it("never appear in the server's output, and passwords never in an error body", async () => {
    const secrets: Record<string, string> = {};
    const errors: ApiResponse[] = [];
    const keep = (response: ApiResponse) => {
      if (response.status >= 400) errors.push(response);
      return response;
    };
    const remember = (name: string, value: string) => {
      expect(value, name).toBeTruthy();
      secrets[name] = value;
    };
    PASSWORDS.forEach((password, index) => remember(`password ${index}`, password));

    const admin = await registerOn(server, "admin", ADMIN_PASSWORD);
    remember("admin's access token", admin.token);
    remember("admin's refresh cookie", cookieValue(admin.cookie));
    remember("admin's recovery code", admin.recoveryCode);
    const invite = keep(await call(server, "/api/admin/invites", { token: admin.token, body: { maxUses: 5 } }));
    remember("invite code", invite.body.code);

    const alice = await registerOn(server, "alice", ALICE_PASSWORD);
    remember("registration access token", alice.token);
    remember("registration refresh cookie", cookieValue(alice.cookie));
    remember("first recovery code", alice.recoveryCode);

    keep(await call(server, "/api/auth/login", { body: { username: "alice", password: WRONG_PASSWORD } }));
    keep(await call(server, "/api/auth/login", { body: { username: "nobody-here", password: WRONG_PASSWORD } }));
    keep(await call(server, "/api/auth/register", { body: { username: "alice", password: ALICE_PASSWORD } }));
    keep(
      await call(server, "/api/auth/login", {
        headers: { "Content-Type": "application/json" },
        method: "POST",
        body: undefined,
      }),
    );

    const setup = keep(await call(server, "/api/two-factor/setup", { method: "POST", token: alice.token }));
    remember("TOTP secret", setup.body.secret);
    remember("otpauth URI", setup.body.otpauthUri);
    const now = Date.now();
    const enable = keep(
      await call(server, "/api/two-factor/enable", {
        token: alice.token,
        body: { totpCode: oathtool(setup.body.secret, new Date(now)), password: ALICE_PASSWORD },
      }),
    );
    expect(enable.status, enable.text).toBe(200);
    (enable.body.backupCodes as string[]).forEach((code, index) => remember(`backup code ${index}`, code));

    keep(await call(server, "/api/auth/login", { body: { username: "alice", password: ALICE_PASSWORD } }));
    const withCode = await signInOn(server, "alice", ALICE_PASSWORD, {
      totpCode: oathtool(setup.body.secret, new Date(now + STEP_MS)),
    });
    remember("access token after a TOTP sign-in", withCode.token);
    const withBackup = await signInOn(server, "alice", ALICE_PASSWORD, { backupCode: enable.body.backupCodes[0] });
    remember("access token after a backup-code sign-in", withBackup.token);
    remember("refresh cookie after a backup-code sign-in", cookieValue(withBackup.cookie));
    keep(
      await call(server, "/api/auth/login", {
        body: { username: "alice", password: ALICE_PASSWORD, backupCode: enable.body.backupCodes[0] },
      }),
    );

    const refreshed = keep(await call(server, "/api/auth/refresh", { method: "POST", cookie: withBackup.cookie }));
    expect(refreshed.status, refreshed.text).toBe(200);
    remember("rotated refresh cookie", cookieValue(refreshed.cookie));
    remember("refreshed access token", refreshed.body.accessToken);
    const refreshedAgain = keep(await call(server, "/api/auth/refresh", { method: "POST", cookie: refreshed.cookie }));
    expect(refreshedAgain.status, refreshedAgain.text).toBe(200);
    remember("twice-rotated refresh cookie", cookieValue(refreshedAgain.cookie));
    // The first, long-spent token comes back: theft, the session ends.
    const reuse = keep(await call(server, "/api/auth/refresh", { method: "POST", cookie: withBackup.cookie }));
    expect(reuse.status).toBe(401);

    const channelId = await generalChannel(server, admin, [withCode]);
    const ticket = keep(
      await call(server, `/api/channels/${channelId}/socket-ticket`, {
        method: "POST",
        token: withCode.token,
      }),
    );
    remember("socket ticket", ticket.body.ticket);

    keep(
      await call(server, "/api/auth/recover", {
        body: {
          username: "alice",
          recoveryCode: "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg",
          newPassword: RECOVERED_PASSWORD,
        },
      }),
    );
    const recovered = keep(
      await call(server, "/api/auth/recover", {
        body: { username: "alice", recoveryCode: alice.recoveryCode, newPassword: RECOVERED_PASSWORD },
      }),
    );
    expect(recovered.status, recovered.text).toBe(200);
    remember("second recovery code", recovered.body.recoveryCode);
    remember("access token after recovery", recovered.body.accessToken);
    remember("refresh cookie after recovery", cookieValue(recovered.cookie));

    keep(
      await call(server, "/api/account/password", {
        token: recovered.body.accessToken,
        body: { currentPassword: WRONG_PASSWORD, newPassword: CHANGED_PASSWORD },
      }),
    );
    const changed = keep(
      await call(server, "/api/account/password", {
        token: recovered.body.accessToken,
        body: { currentPassword: RECOVERED_PASSWORD, newPassword: CHANGED_PASSWORD },
      }),
    );
    expect(changed.status, changed.text).toBe(204);
    keep(
      await call(server, "/api/account/recovery-code", {
        token: recovered.body.accessToken,
        body: { password: WRONG_PASSWORD },
      }),
    );

    // Give the processes a moment to flush what they print.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const output = server.output();
    expect(output).toContain("chatalot: ready"); // we are reading the real output
    for (const [name, value] of Object.entries(secrets)) {
      expect(output.includes(value), `the server printed the ${name}`).toBe(false);
    }
    // Token signatures alone, and codes typed without dashes, are secrets too.
    for (const [name, value] of Object.entries(secrets)) {
      if (value.split(".").length === 3)
        expect(output.includes(value.split(".")[2]!), `the server printed the ${name}'s signature`).toBe(false);
      if (/^[a-z0-9]{4}(-[a-z0-9]{4})+$/.test(value))
        expect(output.includes(value.replaceAll("-", "")), `the server printed the ${name}`).toBe(false);
    }

    expect(errors.length).toBeGreaterThanOrEqual(8);
    for (const response of errors) {
      expect(response.body, response.text).toEqual({
        error: {
          code: expect.any(String),
          message: expect.any(String),
          requestId: response.headers.get("X-Request-Id"),
        },
      });
      for (const password of PASSWORDS) expect(response.text).not.toContain(password);
    }
  });
});
