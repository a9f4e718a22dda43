import { describe, expect, it } from "vitest";
import type { RegisteredView } from "../../protocol/index.ts";
import { closeOf, device, errorOf, refresh, signIn, statusWith } from "./accounts-fixtures.ts";
import { connect, createChannel, json, PASSWORD, refreshCookieOf, register, request, unique } from "./fixtures.ts";

// Several sign-ins per test, each a deliberately slow password hash, queued behind other files' hashes.
const SIGN_INS_TIMEOUT_MS = 30_000;

const NEW_PASSWORD = "a brand new passphrase 42";

const login = (username: string, password: string) => request("/api/auth/login", json("POST", { username, password }));

describe("changing the password", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("signs out every other session, sockets included, and keeps the current one", async () => {
    const alice = await register(unique("alice"));
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const laptop = await signIn(alice.user.username, { from: device("laptop") });
    const general = await createChannel(phone);
    const phoneSocket = await connect(phone, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);

    const response = await request(
      "/api/account/password",
      json("POST", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, laptop.token),
    );
    expect(response.status).toBe(204);

    expect((await phoneClosed).code).toBe(4001);
    expect(await statusWith(phone.token)).toBe(401);
    expect(await statusWith(alice.token)).toBe(401);
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect(await statusWith(laptop.token)).toBe(200);
    expect((await refresh(laptop.cookie)).status).toBe(200);
    expect((await login(alice.user.username, PASSWORD)).status).toBe(401);
    expect((await login(alice.user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("needs the current password and follows the same rules as registration", async () => {
    const bob = await register(unique("bob"));
    const wrong = await request(
      "/api/account/password",
      json("POST", { currentPassword: "not my password", newPassword: NEW_PASSWORD }, bob.token),
    );
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).code).toBe("wrong_password");
    const common = await request(
      "/api/account/password",
      json("POST", { currentPassword: PASSWORD, newPassword: "password123" }, bob.token),
    );
    expect(common.status).toBe(400);
    expect((await errorOf(common)).code).toBe("password_too_common");
    expect(await statusWith(bob.token)).toBe(200);
    expect((await login(bob.user.username, PASSWORD)).status).toBe(200);
  });
});

describe("recovering an account with the recovery code", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  const recover = (username: string, recoveryCode: string, newPassword = NEW_PASSWORD) =>
    request("/api/auth/recover", json("POST", { username, recoveryCode, newPassword }));

  it("resets the password, ends every session, signs in afresh and hands out a new code; the old code is spent", async () => {
    const carol = await register(unique("carol"));
    const phone = await signIn(carol.user.username, { from: device("phone") });
    const general = await createChannel(phone);
    const phoneSocket = await connect(phone, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);

    const response = await recover(carol.user.username.toUpperCase(), carol.recoveryCode.toUpperCase());
    expect(response.status, await response.clone().text()).toBe(200);
    const recovered = (await response.json()) as RegisteredView;

    expect(recovered.user.id).toBe(carol.user.id);
    expect(recovered.recoveryCode).toMatch(/^([a-z0-9]{4}-){6}[a-z0-9]{4}$/);
    expect(recovered.recoveryCode).not.toBe(carol.recoveryCode);
    expect(refreshCookieOf(response)).toMatch(/^chatalot_refresh=.+/);
    expect(await statusWith(recovered.accessToken)).toBe(200);

    expect((await phoneClosed).code).toBe(4001);
    for (const old of [carol, phone]) {
      expect(await statusWith(old.token)).toBe(401);
      expect((await refresh(old.cookie)).status).toBe(401);
    }
    expect((await login(carol.user.username, PASSWORD)).status).toBe(401);
    expect((await login(carol.user.username, NEW_PASSWORD)).status).toBe(200);

    const again = await recover(carol.user.username, carol.recoveryCode, "yet another passphrase 7");
    expect(again.status).toBe(401);
    expect((await errorOf(again)).code).toBe("invalid_recovery_code");
    const withNewCode = await recover(carol.user.username, recovered.recoveryCode, "yet another passphrase 7");
    expect(withNewCode.status).toBe(200);
  });

  it("refuses a wrong recovery code, and an unknown user, with the same 401", async () => {
    const dave = await register(unique("dave"));
    const wrong = await recover(dave.user.username, "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg");
    const unknown = await recover(unique("nobody"), "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await errorOf(wrong)).toEqual(await errorOf(unknown));
    expect((await errorOf(await recover(dave.user.username, "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg"))).code).toBe(
      "invalid_recovery_code",
    );
    // Nothing changed for dave.
    expect(await statusWith(dave.token)).toBe(200);
    expect((await login(dave.user.username, PASSWORD)).status).toBe(200);
  });

  it("can be regenerated from settings with the password, which retires the old one", async () => {
    const erin = await register(unique("erin"));
    const wrongPassword = await request(
      "/api/account/recovery-code",
      json("POST", { password: "not my password" }, erin.token),
    );
    expect(wrongPassword.status).toBe(403);
    const response = await request("/api/account/recovery-code", json("POST", { password: PASSWORD }, erin.token));
    expect(response.status).toBe(200);
    const { recoveryCode } = (await response.json()) as { recoveryCode: string };
    expect(recoveryCode).not.toBe(erin.recoveryCode);
    expect((await recover(erin.user.username, erin.recoveryCode)).status).toBe(401);
    expect((await recover(erin.user.username, recoveryCode)).status).toBe(200);
    expect(await statusWith(erin.token, "/api/me")).toBe(401);
  });
});

describe("deleting the account", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("needs the password, ends every session and socket at once, and the name no longer signs in", async () => {
    const frank = await register(unique("frank"));
    const phone = await signIn(frank.user.username, { from: device("phone") });
    // Someone else owns the community: an owner must hand it over before deleting the account.
    const general = await createChannel(await register(unique("gina")), phone);
    const phoneSocket = await connect(phone, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);

    const wrong = await request("/api/account", json("DELETE", { password: "not my password" }, frank.token));
    expect(wrong.status).toBe(403);
    expect(await statusWith(frank.token)).toBe(200);

    const response = await request("/api/account", json("DELETE", { password: PASSWORD }, frank.token));
    expect(response.status).toBe(204);
    expect((await phoneClosed).code).toBe(4001);
    for (const session of [frank, phone]) {
      expect(await statusWith(session.token)).toBe(401);
      expect((await refresh(session.cookie)).status).toBe(401);
    }
    expect((await login(frank.user.username, PASSWORD)).status).toBe(401);
  });
});
