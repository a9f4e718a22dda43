/**
 * The secrets that let the user back in: changing the password (which signs out
 * every other session) and replacing the recovery code, shown once.
 */
import { createModel, signal } from "@preact/signals";
import { changePasswordSchema, confirmSchema } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Session } from "./session.ts";

export const AccountSecretsModel = createModel((session: Session) => {
  const changingPassword = createAction();
  const passwordChanged = signal(false);
  const renewingRecoveryCode = createAction();
  const recoveryCode = signal<string | null>(null);

  return {
    changingPassword,
    passwordChanged,
    renewingRecoveryCode,
    /** The new recovery code, shown until the user says it is saved. */
    recoveryCode,
    async changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
      passwordChanged.value = false;
      if (!currentPassword) return changingPassword.fail("enter your current password");
      const parsed = changePasswordSchema.safeParse({ currentPassword, newPassword });
      if (!parsed.success) return changingPassword.fail(parsed.error.issues[0]?.message ?? "check both passwords");
      const isDone = await changingPassword.run(
        async () => (await session.request<null>("/api/account/password", { method: "POST", body: parsed.data }), true),
      );
      passwordChanged.value = isDone === true;
      return isDone === true;
    },
    async renewRecoveryCode(password: string, code: string | null): Promise<boolean> {
      if (!password) return renewingRecoveryCode.fail("enter your password");
      const totpCode = code?.replace(/\s+/g, "") || undefined;
      const parsed = confirmSchema.safeParse({ password, totpCode });
      if (!parsed.success) return renewingRecoveryCode.fail(parsed.error.issues[0]?.message ?? "enter your password");
      const answer = await renewingRecoveryCode.run(() =>
        session.request<{ recoveryCode: string }>("/api/account/recovery-code", { method: "POST", body: parsed.data }),
      );
      recoveryCode.value = answer?.recoveryCode ?? null;
      return answer !== null;
    },
    dismissRecoveryCode() {
      recoveryCode.value = null;
    },
  };
});

export type AccountSecrets = InstanceType<typeof AccountSecretsModel>;
