/**
 * "Confirm it's you": the server asks for the password (and the two-factor code)
 * again before an admin action that changes who controls the instance. The API layer
 * asks this model, which the page shows as a form, and waits for the answer; the
 * proof it earns lasts ten minutes, so a run of such actions asks once.
 */
import { createModel, signal } from "@preact/signals";

export interface Proof {
  password: string;
  totpCode?: string;
}

interface Pending {
  /** Why the last proof was refused, to show above the fields. */
  error: string | null;
  resolve: (proof: Proof | null) => void;
}

export const ReauthenticationModel = createModel(() => {
  const pending = signal<Pending | null>(null);
  return {
    pending,
    /** Shows the form; resolves with what the admin typed, or null when they cancelled. */
    ask(error: string | null): Promise<Proof | null> {
      pending.peek()?.resolve(null);
      return new Promise((resolve) => (pending.value = { error, resolve }));
    },
    answer(proof: Proof | null): void {
      const asked = pending.peek();
      pending.value = null;
      asked?.resolve(proof);
    },
  };
});

export type Reauthentication = InstanceType<typeof ReauthenticationModel>;
