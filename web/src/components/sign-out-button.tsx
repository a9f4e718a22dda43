/**
 * Signing out of this browser: forgets this browser's encryption keys unless the
 * person says otherwise, and warns first when the keys here exist nowhere else.
 * The user panel shows it. CONTRACT: the keys helper owns this file (the warning
 * dialog and "set up the backup first"); the signature stays.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { forgetBrowserKeys, holdsOnlyCopy } from "../models/encryption/device-store.ts";
import type { Session } from "../models/session.ts";

export function SignOutButton({ session }: { session: Session }) {
  const userId = session.user.value?.id ?? "";
  /** Forget the keys at sign-out: on, unless this browser holds the account's key with no backup set up here. */
  const forgetsKeys = useSignal(true);
  const isOnlyCopy = useSignal(false);
  useEffect(() => {
    void holdsOnlyCopy(userId).then((only) => {
      isOnlyCopy.value = only;
      forgetsKeys.value = !only;
    });
  }, [userId]);
  const signOut = async () => {
    const deviceId = session.sessionId.peek();
    if (forgetsKeys.peek() && deviceId) await forgetBrowserKeys(userId, deviceId);
    await session.signOut();
  };
  return (
    <>
      <label
        class="checkbox forget-keys"
        title={
          isOnlyCopy.value
            ? "This browser holds your only copy of your encryption key: set up recovery first, or you will have to start over"
            : "Someone using this browser after you cannot read your messages; your next sign-in here asks for your recovery key"
        }
      >
        <input
          type="checkbox"
          checked={forgetsKeys.value}
          onChange={(event) => (forgetsKeys.value = event.currentTarget.checked)}
        />{" "}
        {isOnlyCopy.value ? "Forget keys (no backup!)" : "Forget keys here"}
      </label>
      <button type="button" onClick={() => void signOut()} disabled={session.isSigningOut.value}>
        Sign out
      </button>
    </>
  );
}
