/**
 * "Forgot password": the recovery key (or, for an account made before recovery keys,
 * the recovery code from registration) sets a new password; the server signs out every
 * other session. With the recovery key, the code derived from it is what the server
 * checks and keeps, so the key goes on working, and the new session's device unlocks
 * the history with it. With an old recovery code, the server issues a new one, shown once.
 */
import { computed, createModel, signal } from "@preact/signals";
import { recoverSchema, type RegisteredView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { ApiError, requestJson } from "./api-client.ts";
import { unlockNextStartWith } from "./encryption/onboarding.ts";
import type { Session } from "./session.ts";

export interface RecoveryInput {
  username: string;
  /** The recovery key (52 characters) or an old recovery code (28). */
  recoveryCode: string;
  newPassword: string;
}

/** A recovery key has 52 letters and digits, a recovery code 28: tell them apart before any crypto loads. */
const looksLikeRecoveryKey = (text: string) => text.replace(/[\s-]/g, "").length === 52;

export const RecoveryModel = createModel((session: Session) => {
  const action = createAction();
  const recovered = signal<RegisteredView | null>(null);

  /** The code the server checks: derived from the recovery key (loaded only for a key), or the code as typed. */
  async function codeFrom(typed: string): Promise<{ code: string; recoveryKey: string | null }> {
    if (!looksLikeRecoveryKey(typed)) return { code: typed, recoveryKey: null };
    const [{ parseRecoveryKey }, { accountRecoveryCode }] = await Promise.all([
      import("../../../e2ee/key-backup.ts"),
      import("../../../e2ee/recovery-code.ts"),
    ]);
    const key = parseRecoveryKey(typed);
    if (!key) throw new Error("that is not a recovery key: check it for typing mistakes");
    return { code: await accountRecoveryCode(key), recoveryKey: typed };
  }

  return {
    action,
    /** The new recovery code to show (after an old recovery code was used), while it waits to be saved. */
    recoveryCode: computed(() => recovered.value?.recoveryCode ?? null),
    async recover(input: RecoveryInput): Promise<boolean> {
      const typed = input.recoveryCode.trim();
      if (!input.username.trim() || !typed) return action.fail("enter your username and your recovery key");
      const view = await action.run(async () => {
        const { code, recoveryKey } = await codeFrom(typed);
        const parsed = recoverSchema.safeParse({
          username: input.username.trim(),
          recoveryCode: code,
          newPassword: input.newPassword,
          ...(recoveryKey && { nextRecoveryCode: code }),
        });
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "check the form");
        const answer = await requestJson<RegisteredView>("/api/auth/recover", {
          method: "POST",
          body: parsed.data,
        }).catch((error: unknown) => {
          if (recoveryKey && error instanceof ApiError && error.code === "invalid_recovery_code") {
            throw new Error(
              "wrong username or recovery key (an account made before recovery keys resets with its recovery code)",
            );
          }
          throw error;
        });
        return { answer, recoveryKey };
      });
      if (!view) return false;
      if (view.recoveryKey) {
        // The key still resets the password; the device of the new session unlocks with it.
        unlockNextStartWith(view.answer.user.id, view.recoveryKey);
        session.adopt(view.answer);
      } else recovered.value = view.answer;
      return true;
    },
    finish() {
      const view = recovered.peek();
      if (!view) return;
      recovered.value = null;
      session.adopt(view);
    },
  };
});

export type Recovery = InstanceType<typeof RecoveryModel>;
