/**
 * A new recovery code, replacing the old one (or the one the recovery key stands for):
 * confirmed with the password (and a code).
 */
import type { AccountSecrets } from "../models/account-secrets.ts";
import { ConfirmForm } from "./confirm-form.tsx";
import { RecoveryCodeNotice } from "./recovery-code-notice.tsx";

interface RecoveryCodeSectionProps {
  secrets: AccountSecrets;
  hasTwoFactor: boolean;
  onChange: () => void;
}

export function RecoveryCodeSection({ secrets, hasTwoFactor, onChange }: RecoveryCodeSectionProps) {
  const code = secrets.recoveryCode.value;
  const renew = async (password: string, totpCode: string) => {
    const isDone = await secrets.renewRecoveryCode(password, hasTwoFactor ? totpCode : null);
    if (isDone) onChange();
    return isDone;
  };

  return (
    <section class="card" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Recovery code</h2>
      {code ? (
        <RecoveryCodeNotice code={code} continueLabel="Done" onContinue={() => secrets.dismissRecoveryCode()} />
      ) : (
        <>
          <p>
            Your recovery key resets your password if you forget it (an account made before recovery keys has a recovery
            code instead). Think someone else saw it? Set up a new recovery key in Encryption, or create a separate
            recovery code here: your recovery key then no longer resets your password, only unlocks your history.
          </p>
          <details>
            <summary>Create a new recovery code</summary>
            <ConfirmForm
              id="recovery-renew"
              action={secrets.renewingRecoveryCode}
              needsCode={hasTwoFactor}
              submitLabel="Create a new recovery code"
              onConfirm={renew}
            />
          </details>
        </>
      )}
    </section>
  );
}
