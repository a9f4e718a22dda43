/**
 * Creating an account. The server answers with a session and the account's
 * recovery code, which is shown once: the session is taken over only after the
 * user says the code is saved, so the code cannot scroll past unseen.
 */
import { computed, createModel, signal } from "@preact/signals";
import { registerSchema, type RegisteredView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { requestJson } from "./api-client.ts";
import type { Session } from "./session.ts";

export interface RegistrationInput {
  username: string;
  password: string;
  inviteCode: string;
}

export const RegistrationModel = createModel((session: Session) => {
  const action = createAction();
  const registered = signal<RegisteredView | null>(null);

  return {
    action,
    /** The recovery code to show, while it waits to be saved. */
    recoveryCode: computed(() => registered.value?.recoveryCode ?? null),
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
      registered.value = view;
      return view !== null;
    },
    /** The user saved the code: on into the app. */
    finish() {
      const view = registered.peek();
      if (!view) return;
      registered.value = null;
      session.adopt(view);
    },
  };
});

export type Registration = InstanceType<typeof RegistrationModel>;
