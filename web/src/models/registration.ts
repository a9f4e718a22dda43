/**
 * Creating an account. The server answers with a session (and a recovery code of its
 * own, soon replaced): the session is taken over at once, and the app opens on the
 * "Save your recovery key" step, which still has the password it needs to write the
 * key backup and set the recovery code derived from the key (one secret to keep).
 */
import { createModel } from "@preact/signals";
import { registerSchema, type RegisteredView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { requestJson } from "./api-client.ts";
import { askForRecoveryKeyStep } from "./encryption/onboarding.ts";
import type { Session } from "./session.ts";

export interface RegistrationInput {
  username: string;
  password: string;
  inviteCode: string;
}

export const RegistrationModel = createModel((session: Session) => {
  const action = createAction();

  return {
    action,
    async register(input: RegistrationInput): Promise<boolean> {
      const parsed = registerSchema.safeParse({
        username: input.username.trim(),
        password: input.password,
        inviteCode: input.inviteCode.trim() || undefined,
      });
      if (!parsed.success) return action.fail(parsed.error.issues[0]?.message ?? "check the form");
      const view = await action.run(() =>
        requestJson<RegisteredView>("/api/auth/register", { method: "POST", body: parsed.data }),
      );
      if (!view) return false;
      askForRecoveryKeyStep({ userId: view.user.id, password: parsed.data.password, reason: "registered" });
      session.adopt(view);
      return true;
    },
  };
});

export type Registration = InstanceType<typeof RegistrationModel>;
