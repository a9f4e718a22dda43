/**
 * Making the recovery key when the password is not at hand (set up after
 * registering): the account password (and two-factor code) confirms it, so a stolen
 * session alone cannot put a backup of its own in place; a passphrase that also
 * unlocks the history is optional and kept out of the way.
 */
import type { Encryption } from "../../models/encryption/encryption.ts";
import { describedBy, FormError } from "../form-error.tsx";

interface RecoveryKeyFormProps {
  encryption: Encryption;
  /** Puts the step off (null: it cannot be). */
  onCancel: (() => void) | null;
}

export function RecoveryKeyForm({ encryption, onCancel }: RecoveryKeyFormProps) {
  const action = encryption.settingUp;
  const error = action.error.value;
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const passphrase = String(data.get("passphrase") ?? "");
    if (passphrase !== String(data.get("passphrase-again") ?? "")) return action.fail("the passphrases differ");
    const password = String(data.get("password") ?? "");
    const totpCode = String(data.get("totp-code") ?? "").replace(/\s/g, "");
    if (!password) return action.fail("enter your account password to confirm it is you");
    await encryption.setUpRecovery(passphrase || null, totpCode ? { password, totpCode } : { password });
  };
  return (
    <form class="stack" onSubmit={onSubmit} noValidate>
      <label for="recovery-password">Account password</label>
      <input
        id="recovery-password"
        name="password"
        type="password"
        autoComplete="current-password"
        aria-describedby={describedBy("recovery-password-hint", error && "recovery-setup-error")}
      />
      <p id="recovery-password-hint" class="hint">
        It confirms that it is you: someone who got hold of this signed-in session alone cannot put a backup of their
        own in place of yours.
      </p>
      {encryption.needsTwoFactorCode() && (
        <>
          <label for="recovery-code">Two-factor code</label>
          <input id="recovery-code" name="totp-code" inputMode="numeric" autoComplete="one-time-code" />
        </>
      )}
      <details class="recovery-passphrase">
        <summary>Also unlock with a passphrase (optional)</summary>
        <p class="hint">
          A long passphrase, not your account password (the server sees that one each time you sign in), that also
          unlocks your message history on a new device.
        </p>
        <label for="recovery-passphrase">Passphrase (optional)</label>
        <input id="recovery-passphrase" name="passphrase" type="password" autoComplete="new-password" />
        <label for="recovery-passphrase-again">Passphrase again</label>
        <input id="recovery-passphrase-again" name="passphrase-again" type="password" autoComplete="new-password" />
      </details>
      <FormError id="recovery-setup-error" error={error} />
      <div class="button-row">
        <button type="submit" class="primary" disabled={action.isBusy.value}>
          {action.isBusy.value ? "Making your key…" : "Create my recovery key"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Not now
          </button>
        )}
      </div>
    </form>
  );
}
