/**
 * "Forgot password": the recovery code from registration sets a new password.
 * The server signs out every other session and issues a new recovery code, the
 * old one now spent; like at registration it is shown once before going on.
 */
import { computed, createModel, signal } from "@preact/signals";
import { recoverSchema, type RegisteredView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { requestJson } from "./api-client.ts";
import type { Session } from "./session.ts";

export interface RecoveryInput {
  username: string;
  recoveryCode: string;
  newPassword: string;
}

export const RecoveryModel = createModel((session: Session) => {
  const action = createAction();
  const recovered = signal<RegisteredView | null>(null);

  return {
    action,
    /** The new recovery code to show, while it waits to be saved. */
    recoveryCode: computed(() => recovered.value?.recoveryCode ?? null),
    async recover(input: RecoveryInput): Promise<boolean> {
      if (!input.username.trim() || !input.recoveryCode.trim())
        return action.fail("enter your username and your recovery code");
      const parsed = recoverSchema.safeParse({
        username: input.username.trim(),
        recoveryCode: input.recoveryCode.trim(),
        newPassword: input.newPassword,
      });
      if (!parsed.success) return action.fail(parsed.error.issues[0]?.message ?? "check the form");
      const view = await action.run(() =>
        requestJson<RegisteredView>("/api/auth/recover", { method: "POST", body: parsed.data }),
      );
      recovered.value = view;
      return view !== null;
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
