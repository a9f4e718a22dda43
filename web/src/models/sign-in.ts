/**
 * Signing in, in one or two steps: username and password, then, when the
 * account has two-factor authentication on, a code from the authenticator app
 * or one of the backup codes. The password is kept in memory between the steps
 * only, because the server checks both together.
 */
import { createModel, signal } from "@preact/signals";
import { loginSchema, type SessionView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { ApiError, requestJson } from "./api-client.ts";
import type { Session } from "./session.ts";

export type SignInStep = "password" | "second-factor";

export const SignInModel = createModel((session: Session) => {
  const step = signal<SignInStep>("password");
  const isUsingBackupCode = signal(false);
  /** Who the second step is for. */
  const username = signal("");
  const action = createAction();
  let credentials = { username: "", password: "" };

  async function attempt(proof: { totpCode?: string; backupCode?: string }): Promise<boolean> {
    const parsed = loginSchema.safeParse({ ...credentials, ...proof });
    if (!parsed.success) return action.fail(parsed.error.issues[0]?.message ?? "check what you typed");
    const view = await action.run(async () => {
      try {
        return await requestJson<SessionView>("/api/auth/login", { method: "POST", body: parsed.data });
      } catch (caught) {
        if (caught instanceof ApiError && caught.code === "two_factor_required" && step.peek() === "password") {
          step.value = "second-factor";
          return null;
        }
        // The password was wrong after all, or the account changed: start again.
        if (caught instanceof ApiError && caught.code === "invalid_credentials") backToPassword();
        throw caught;
      }
    });
    if (!view) return false;
    credentials = { username: "", password: "" };
    session.adopt(view);
    return true;
  }

  function backToPassword() {
    step.value = "password";
    isUsingBackupCode.value = false;
    credentials.password = "";
  }

  return {
    step,
    isUsingBackupCode,
    action,
    username,
    submitPassword(typedName: string, password: string): Promise<boolean> {
      if (!typedName.trim() || !password) return Promise.resolve(action.fail("enter your username and password"));
      credentials = { username: typedName.trim(), password };
      username.value = credentials.username;
      return attempt({});
    },
    submitCode(code: string): Promise<boolean> {
      const typed = code.trim();
      if (!typed)
        return Promise.resolve(
          action.fail(isUsingBackupCode.peek() ? "enter one of your backup codes" : "enter the 6-digit code"),
        );
      if (isUsingBackupCode.peek()) return attempt({ backupCode: typed });
      return attempt({ totpCode: typed.replace(/\s+/g, "") });
    },
    toggleBackupCode() {
      isUsingBackupCode.value = !isUsingBackupCode.peek();
      action.reset();
    },
    startOver() {
      backToPassword();
      action.reset();
    },
  };
});

export type SignIn = InstanceType<typeof SignInModel>;
