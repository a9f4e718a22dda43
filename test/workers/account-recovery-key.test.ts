/**
 * One secret for the person: the client derives the account recovery code from its
 * recovery key and sets it (POST /api/account/recovery-code with a chosen code, the
 * password confirming it, audited like a new code); recovering with it can keep it
 * (`nextRecoveryCode`), so the same key resets the password again. Without a chosen
 * code the server makes one, as before.
 */
import { describe, expect, it } from "vitest";
import { accountRecoveryCode } from "../../e2ee/recovery-code.ts";
import type { RegisteredView } from "../../protocol/index.ts";
import { auditOf, errorOf, statusWith } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, request, unique } from "./fixtures.ts";

const SIGN_INS_TIMEOUT_MS = 30_000;
const NEW_PASSWORD = "a brand new passphrase 42";
const recoveryKey = () => crypto.getRandomValues(new Uint8Array(32));
const setCode = (token: string, body: object) => request("/api/account/recovery-code", json("POST", body, token));
const recover = (body: object) => request("/api/auth/recover", json("POST", body));

describe("a recovery code the client derives from its recovery key", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("is set with the password, audited, and then resets the password; the server's own code is retired", async () => {
    const alice = await register(unique("alice"));
    const code = await accountRecoveryCode(recoveryKey());
    expect(code).toMatch(/^([a-km-np-z2-9]{4}-){6}[a-km-np-z2-9]{4}$/);

    const response = await setCode(alice.token, { password: PASSWORD, recoveryCode: code.toUpperCase() });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ recoveryCode: code });
    expect((await auditOf(alice)).map((event) => event.action)).toContain("recovery_code.regenerated");

    expect(
      (await recover({ username: alice.user.username, recoveryCode: alice.recoveryCode, newPassword: NEW_PASSWORD }))
        .status,
    ).toBe(401);
    const recovered = await recover({ username: alice.user.username, recoveryCode: code, newPassword: NEW_PASSWORD });
    expect(recovered.status).toBe(200);
  });

  it("keeps working after a reset that asks to keep it", async () => {
    const bob = await register(unique("bob"));
    const code = await accountRecoveryCode(recoveryKey());
    expect((await setCode(bob.token, { password: PASSWORD, recoveryCode: code })).status).toBe(200);

    const first = await recover({
      username: bob.user.username,
      recoveryCode: code,
      newPassword: NEW_PASSWORD,
      nextRecoveryCode: code,
    });
    expect(first.status).toBe(200);
    expect(((await first.json()) as RegisteredView).recoveryCode).toBe(code);
    const second = await recover({
      username: bob.user.username,
      recoveryCode: code,
      newPassword: "yet another passphrase 7",
      nextRecoveryCode: code,
    });
    expect(second.status).toBe(200);
  });

  it("derives the same code from the same key, and different codes from different keys", async () => {
    const key = recoveryKey();
    expect(await accountRecoveryCode(key)).toBe(await accountRecoveryCode(new Uint8Array(key)));
    expect(await accountRecoveryCode(key)).not.toBe(await accountRecoveryCode(recoveryKey()));
  });

  it("refuses a chosen code without the right password, or not in the server's format, and changes nothing", async () => {
    const carol = await register(unique("carol"));
    const code = await accountRecoveryCode(recoveryKey());
    const wrongPassword = await setCode(carol.token, { password: "not my password", recoveryCode: code });
    expect(wrongPassword.status).toBe(403);
    for (const malformed of ["aaaa-bbbb", "0000-1111-oooo-llll-aaaa-bbbb-cccc", `${code}-abcd`]) {
      const response = await setCode(carol.token, { password: PASSWORD, recoveryCode: malformed });
      expect(response.status, malformed).toBe(400);
      expect((await errorOf(response)).message).toMatch(/recovery code/);
    }
    expect(
      (await recover({ username: carol.user.username, recoveryCode: code, newPassword: NEW_PASSWORD })).status,
    ).toBe(401);
    expect(
      (
        await recover({
          username: carol.user.username,
          recoveryCode: carol.recoveryCode,
          newPassword: NEW_PASSWORD,
          nextRecoveryCode: "not-a-code",
        })
      ).status,
    ).toBe(400);
    expect(await statusWith(carol.token)).toBe(200);
  });

  it("is made by the server when none is chosen, as before", async () => {
    const dave = await register(unique("dave"));
    const response = await setCode(dave.token, { password: PASSWORD });
    expect(response.status).toBe(200);
    const { recoveryCode } = (await response.json()) as { recoveryCode: string };
    expect(recoveryCode).toMatch(/^([a-km-np-z2-9]{4}-){6}[a-km-np-z2-9]{4}$/);
    expect(recoveryCode).not.toBe(dave.recoveryCode);
  });
});
