/**
 * Signing out of this browser: forgets this browser's encryption keys (the next
 * sign-in here asks for the recovery key, like a new browser), and warns first when
 * the keys here exist nowhere else: "Set up a recovery key first" opens the recovery
 * key step; "Sign out anyway" keeps the account key here (so no new key is needed) but
 * the history is lost. The user panel shows it. CONTRACT: the signature stays.
 */
import { useSignal } from "@preact/signals";
import { askForRecoveryKeyStep } from "../models/encryption/onboarding.ts";
import { forgetBrowserKeys, holdsOnlyCopy } from "../models/encryption/device-store.ts";
import { forgetSearchIndex } from "../models/search/search-store.ts";
import type { Session } from "../models/session.ts";
import { SignOutWarning } from "./onboarding/sign-out-warning.tsx";

export function SignOutButton({ session }: { session: Session }) {
  const isWarning = useSignal(false);
  const userId = session.user.value?.id ?? "";

  const signOut = async (forgetsKeys: boolean) => {
    const deviceId = session.sessionId.peek();
    if (forgetsKeys && deviceId) await forgetBrowserKeys(userId, deviceId);
    // The search index holds decrypted text: it never outlives the session that made it.
    await forgetSearchIndex(userId);
    await session.signOut();
  };
  // Asked at the click, not when shown: a key set up a moment ago counts.
  const onClick = async () => {
    if (await holdsOnlyCopy(userId)) isWarning.value = true;
    else await signOut(true);
  };

  return (
    <>
      <button type="button" onClick={() => void onClick()} disabled={session.isSigningOut.value}>
        Sign out
      </button>
      {isWarning.value && (
        <SignOutWarning
          onSetUp={() => {
            isWarning.value = false;
            askForRecoveryKeyStep({ userId, password: null, reason: "signing-out" });
          }}
          onSignOutAnyway={() => void signOut(false)}
          onClose={() => (isWarning.value = false)}
        />
      )}
    </>
  );
}
