import { describe, expect, it } from "vitest";
import { bearer, errorOf, signIn, totpAt, withFreshStep } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, request, unique } from "./fixtures.ts";

// Tests below may wait for the start of a fresh 30-second step, then sign in several times.
const TIMEOUT_MS = 60_000;

const login = (username: string, extra: Record<string, string> = {}) =>
  request("/api/auth/login", json("POST", { username, password: PASSWORD, ...extra }));

async function accountOf(token: string): Promise<{ user: { hasTwoFactor: boolean }; backupCodesLeft: number }> {
  const response = await request("/api/account", bearer(token));
  expect(response.status).toBe(200);
  return response.json();
}

describe("the tests' own TOTP generator", () => {
  it("matches the RFC 6238 test vector (SHA-1, T = 59 s)", async () => {
    // RFC 6238 appendix B: the ASCII secret "12345678901234567890", 8 digits: 94287082.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(await totpAt(secret, 1, 8)).toBe("94287082");
    expect(await totpAt(secret, Math.floor(1111111109 / 30), 8)).toBe("07081804");
    expect(await totpAt(secret, 1)).toBe("287082");
  });
});

describe("two-factor authentication", () => {
  it(
    "is set up with a secret, turned on by a code, then asked for at sign-in; codes and backup codes work once",
    async () => {
      const alice = await register(unique("alice"));
      const username = alice.user.username;

      const setup = await request("/api/two-factor/setup", { method: "POST", ...bearer(alice.token) });
      expect(setup.status).toBe(200);
      const { secret, otpauthUri } = (await setup.json()) as { secret: string; otpauthUri: string };
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      const uri = new URL(otpauthUri);
      expect(uri.protocol).toBe("otpauth:");
      expect(uri.host).toBe("totp");
      expect(decodeURIComponent(uri.pathname)).toContain(username);
      expect(uri.searchParams.get("secret")).toBe(secret);
      expect(uri.searchParams.get("issuer")).toBe("Chatalot");

      // The steps around now (step - 1 to step + 2) are used below; make sure the window stays put.
      const step = await withFreshStep(20);

      const offByOne = String((Number(await totpAt(secret, step)) + 1) % 1_000_000).padStart(6, "0");
      const wrongCode = await request(
        "/api/two-factor/enable",
        json("POST", { totpCode: offByOne, password: PASSWORD }, alice.token),
      );
      expect(wrongCode.status).toBe(400);
      expect((await errorOf(wrongCode)).code).toBe("invalid_two_factor_code");
      expect((await accountOf(alice.token)).user.hasTwoFactor).toBe(false);

      // The previous step is still accepted (±1 step for clock drift).
      const enable = await request(
        "/api/two-factor/enable",
        json("POST", { totpCode: await totpAt(secret, step - 1), password: PASSWORD }, alice.token),
      );
      expect(enable.status, await enable.clone().text()).toBe(200);
      const { backupCodes } = (await enable.json()) as { backupCodes: string[] };
      expect(backupCodes).toHaveLength(10);
      expect(new Set(backupCodes).size).toBe(10);
      for (const code of backupCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
      expect(await accountOf(alice.token)).toMatchObject({ user: { hasTwoFactor: true }, backupCodesLeft: 10 });

      const withoutCode = await login(username);
      expect(withoutCode.status).toBe(401);
      expect((await errorOf(withoutCode)).code).toBe("two_factor_required");
      // Two steps ahead is outside the window (checked early, before the clock can reach it).
      const tooFarAhead = await login(username, { totpCode: await totpAt(secret, step + 2) });
      expect(tooFarAhead.status).toBe(401);
      expect((await errorOf(tooFarAhead)).code).toBe("invalid_two_factor_code");
      // A wrong password is reported as such, without revealing that two-factor is on.
      const wrongPassword = await request("/api/auth/login", json("POST", { username, password: "not the password!" }));
      expect(wrongPassword.status).toBe(401);
      expect((await errorOf(wrongPassword)).code).toBe("invalid_credentials");

      const current = await totpAt(secret, step);
      const withCode = await login(username, { totpCode: current });
      expect(withCode.status, await withCode.clone().text()).toBe(200);

      const replay = await login(username, { totpCode: current });
      expect(replay.status).toBe(401);
      expect((await errorOf(replay)).code).toBe("invalid_two_factor_code");
      // The code that turned it on is from an earlier step: also spent.
      const older = await login(username, { totpCode: await totpAt(secret, step - 1), password: PASSWORD });
      expect(older.status).toBe(401);
      expect((await errorOf(older)).code).toBe("invalid_two_factor_code");

      const withBackup = await login(username, { backupCode: backupCodes[0]! });
      expect(withBackup.status, await withBackup.clone().text()).toBe(200);
      const backupAgain = await login(username, { backupCode: backupCodes[0]! });
      expect(backupAgain.status).toBe(401);
      expect((await errorOf(backupAgain)).code).toBe("invalid_two_factor_code");
      // Backup codes are read back forgivingly: case and dashes do not matter.
      const typedLoosely = await login(username, { backupCode: backupCodes[1]!.toUpperCase().replaceAll("-", " ") });
      expect(typedLoosely.status).toBe(200);
      expect((await accountOf(alice.token)).backupCodesLeft).toBe(8);

      // Turning it off needs the password and a current code.
      const disable = (body: Record<string, string>) =>
        request("/api/two-factor/disable", json("POST", body, alice.token));
      const noCode = await disable({ password: PASSWORD });
      expect(noCode.status).toBe(400);
      expect((await errorOf(noCode)).code).toBe("two_factor_required");
      const next = await totpAt(secret, step + 1);
      const badPassword = await disable({ password: "not the password!", totpCode: next });
      expect(badPassword.status).toBe(403);
      expect((await errorOf(badPassword)).code).toBe("wrong_password");
      const spentCode = await disable({ password: PASSWORD, totpCode: current });
      expect(spentCode.status).toBe(403);
      expect((await errorOf(spentCode)).code).toBe("invalid_two_factor_code");
      expect((await accountOf(alice.token)).user.hasTwoFactor).toBe(true);
      const disabled = await disable({ password: PASSWORD, totpCode: next });
      expect(disabled.status, await disabled.clone().text()).toBe(204);

      expect(await accountOf(alice.token)).toMatchObject({ user: { hasTwoFactor: false }, backupCodesLeft: 0 });
      expect((await login(username)).status).toBe(200);
    },
    TIMEOUT_MS,
  );

  it(
    "stays off after set-up until a code confirms it, and backup codes are replaced only with the password and a code",
    async () => {
      const bob = await register(unique("bob"));
      const setup = await request("/api/two-factor/setup", { method: "POST", ...bearer(bob.token) });
      const { secret } = (await setup.json()) as { secret: string };
      expect((await login(bob.user.username)).status).toBe(200);

      const step = await withFreshStep(10);
      const enable = await request(
        "/api/two-factor/enable",
        json("POST", { totpCode: await totpAt(secret, step - 1), password: PASSWORD }, bob.token),
      );
      const { backupCodes: first } = (await enable.json()) as { backupCodes: string[] };

      const regenerate = (body: Record<string, string>) =>
        request("/api/two-factor/backup-codes", json("POST", body, bob.token));
      const noCode = await regenerate({ password: PASSWORD });
      expect(noCode.status).toBe(400);
      expect((await errorOf(noCode)).code).toBe("two_factor_required");
      const badPassword = await regenerate({ password: "not the password!", totpCode: await totpAt(secret, step) });
      expect(badPassword.status).toBe(403);
      const response = await regenerate({ password: PASSWORD, totpCode: await totpAt(secret, step) });
      expect(response.status).toBe(200);
      const { backupCodes: second } = (await response.json()) as { backupCodes: string[] };
      expect(second).toHaveLength(10);
      expect(second.filter((code) => first.includes(code))).toEqual([]);

      expect((await login(bob.user.username, { backupCode: first[0]! })).status).toBe(401);
      const withNew = await signIn(bob.user.username, { backupCode: second[0]! });
      expect(withNew.user.hasTwoFactor).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "cannot be set up twice while on",
    async () => {
      const carol = await register(unique("carol"));
      const setup = await request("/api/two-factor/setup", { method: "POST", ...bearer(carol.token) });
      const { secret } = (await setup.json()) as { secret: string };
      const step = await withFreshStep(5);
      const enable = await request(
        "/api/two-factor/enable",
        json("POST", { totpCode: await totpAt(secret, step), password: PASSWORD }, carol.token),
      );
      expect(enable.status).toBe(200);
      const again = await request("/api/two-factor/setup", { method: "POST", ...bearer(carol.token) });
      expect(again.status).toBe(409);
      expect((await errorOf(again)).code).toBe("two_factor_already_on");
    },
    TIMEOUT_MS,
  );
});
