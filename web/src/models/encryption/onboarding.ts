/**
 * Hand-offs about the one recovery key between screens that do not share a model:
 * the register form (which still holds the password) asks for the "Save your
 * recovery key" step, the sign-out warning asks for it again, and the account
 * recovery page passes on the recovery key it was given so the new session's device
 * unlocks without asking twice. In memory only: a reload forgets them, and the
 * encryption banner then asks for what it needs.
 */
import { signal } from "@preact/signals";

export interface RecoveryKeyStepRequest {
  userId: string;
  /** The account password, when a form just had it (registration); null: the step asks for it. */
  password: string | null;
  /** Where the step was asked for: right after registering it cannot be put off. */
  reason: "registered" | "signing-out" | "asked";
}

/** The "Save your recovery key" step to show over the app, for the signed-in person. */
export const recoveryKeyStep = signal<RecoveryKeyStepRequest | null>(null);

export function askForRecoveryKeyStep(request: RecoveryKeyStepRequest): void {
  recoveryKeyStep.value = request;
}

export function closeRecoveryKeyStep(): void {
  recoveryKeyStep.value = null;
}

const keysToUnlockWith = new Map<string, string>();

/** The recovery key the person just typed on the recovery page: the next device of `userId` unlocks with it. */
export function unlockNextStartWith(userId: string, recoveryKey: string): void {
  keysToUnlockWith.set(userId, recoveryKey);
}

/** The recovery key handed over for `userId` (once), or null. */
export function takeKeyToUnlockWith(userId: string): string | null {
  const key = keysToUnlockWith.get(userId) ?? null;
  keysToUnlockWith.delete(userId);
  return key;
}
