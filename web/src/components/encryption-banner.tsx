/**
 * End-to-end encryption on this device, where it needs the person: unlocking it
 * with the recovery key (or passphrase) on a new device, starting over when nothing
 * can unlock it, and, for an account without a backup, setting up the recovery key
 * (the "Save your recovery key" step, also shown right after registering). Setting
 * up recovery and starting over ask for the account password (and two-factor code).
 */
import { useSignal } from "@preact/signals";
import { askForRecoveryKeyStep, closeRecoveryKeyStep, recoveryKeyStep } from "../models/encryption/onboarding.ts";
import { RecoveryKeyStep } from "./onboarding/recovery-key-step.tsx";
import "./onboarding/onboarding.css";
import type { ComponentChildren } from "preact";
import type { Encryption } from "../models/encryption/encryption.ts";
import { describedBy, FormError } from "./form-error.tsx";
import { sentence } from "./sentence.ts";

export function EncryptionBanner({ encryption }: { encryption: Encryption }) {
  const state = encryption.state.value;
  const problem = encryption.problem.value;
  const step = recoveryKeyStep.value;
  const username = encryption.username();
  if (step && step.userId === encryption.ownUserId() && (state.kind === "ready" || state.kind === "starting")) {
    return <RecoveryKeyStep encryption={encryption} request={step} username={username} onDone={closeRecoveryKeyStep} />;
  }
  if (state.kind === "failed") {
    return (
      <p class="error encryption-banner" role="alert">
        {sentence(`end-to-end encryption could not start on this device: ${state.reason}`)}
      </p>
    );
  }
  if (state.kind === "locked") return <UnlockForm encryption={encryption} hasPassphrase={state.hasPassphrase} />;
  if (state.kind === "unrecoverable") return <StartOver encryption={encryption} />;
  if (state.kind === "ready" && !encryption.hasBackup.value) {
    return (
      <p class="notice encryption-banner">
        <strong>Set up your recovery key.</strong> Without it, signing out or losing this device loses your message
        history.{" "}
        <button
          type="button"
          class="small"
          onClick={() => askForRecoveryKeyStep({ userId: encryption.ownUserId(), password: null, reason: "asked" })}
        >
          Set up recovery
        </button>
      </p>
    );
  }
  if (problem) {
    return (
      <p class="error encryption-banner" role="alert">
        {sentence(problem)}
      </p>
    );
  }
  return null;
}

function UnlockForm({ encryption, hasPassphrase }: { encryption: Encryption; hasPassphrase: boolean }) {
  const action = encryption.unlocking;
  const error = action.error.value;
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const secret = String(new FormData(event.currentTarget as HTMLFormElement).get("secret") ?? "").trim();
    if (!secret) return action.fail("enter your recovery key or passphrase");
    const looksLikeKey = /^[A-Z2-9 -]{52,}$/i.test(secret) && secret.replace(/[\s-]/g, "").length === 52;
    await encryption.restore(looksLikeKey || !hasPassphrase ? { recoveryKey: secret } : { passphrase: secret });
  };
  return (
    <section class="notice encryption-banner unlock-banner" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">Unlock your encrypted messages on this device</h2>
      <p id="unlock-hint" class="hint">
        Enter the recovery key you saved when you created your account: it brings your message history here. Until then
        this device reads and sends no messages.
      </p>
      <form class="unlock-row" onSubmit={onSubmit} noValidate>
        <label for="unlock-secret" class="visually-hidden">
          {hasPassphrase ? "Recovery key or passphrase" : "Recovery key"}
        </label>
        <input
          id="unlock-secret"
          name="secret"
          type="password"
          autoComplete="off"
          placeholder={hasPassphrase ? "Recovery key or passphrase" : "Recovery key"}
          aria-describedby={describedBy("unlock-hint", error && "unlock-error")}
        />
        <button type="submit" class="primary" disabled={action.isBusy.value}>
          {action.isBusy.value ? "Unlocking…" : "Unlock"}
        </button>
      </form>
      <FormError id="unlock-error" error={error} />
      <StartOver encryption={encryption} isAlternative />
    </section>
  );
}

function StartOver({ encryption, isAlternative = false }: { encryption: Encryption; isAlternative?: boolean }) {
  const isConfirming = useSignal(false);
  const action = encryption.startingOver;
  const onConfirm = async (event: SubmitEvent) => {
    event.preventDefault();
    const proof = proofFrom(new FormData(event.currentTarget as HTMLFormElement));
    if (!proof) return action.fail("enter your account password to confirm it is you");
    const form = new FormData(event.currentTarget as HTMLFormElement);
    await encryption.startOver(proof, { signOutOthers: form.get("signOutOthers") === "on" });
  };
  const words = isAlternative
    ? "Lost your recovery key?"
    : "Your account’s encryption key is on another device, and there is no backup to restore it from.";
  return (
    <div class={isAlternative ? "stack" : "notice encryption-banner stack"}>
      {(!isAlternative || isConfirming.value) && (
        <p>
          {words} Starting over gives you a new key: people you talk with are told that it changed, and earlier messages
          stay unreadable on this device.
        </p>
      )}
      {isConfirming.value ? (
        <form class="stack" onSubmit={onConfirm} noValidate>
          <ProofFields idPrefix="start-over" encryption={encryption}>
            Your account password confirms that it is you: someone who got hold of this signed-in session alone cannot
            replace your key.
          </ProofFields>
          <label class="checkbox">
            <input type="checkbox" name="signOutOthers" defaultChecked /> Sign out everywhere else too: a lost or stolen
            device signed in under the old key cannot come back
          </label>
          <p>
            <button type="submit" class="danger" disabled={action.isBusy.value}>
              Start over with a new key
            </button>{" "}
            <button type="button" onClick={() => (isConfirming.value = false)}>
              Cancel
            </button>
          </p>
        </form>
      ) : (
        <p class="hint">
          {isAlternative && "Lost your recovery key? "}
          <button type="button" class="small" onClick={() => (isConfirming.value = true)}>
            Start over…
          </button>
        </p>
      )}
      <FormError id="start-over-error" error={action.error.value} />
    </div>
  );
}

/** The account password, and the two-factor code when it is on, with why they are asked for. */
function ProofFields({
  idPrefix,
  encryption,
  children,
}: {
  idPrefix: string;
  encryption: Encryption;
  children: ComponentChildren;
}) {
  return (
    <>
      <label for={`${idPrefix}-password`}>Account password</label>
      <input
        id={`${idPrefix}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        aria-describedby={`${idPrefix}-password-hint`}
      />
      <p id={`${idPrefix}-password-hint`} class="hint">
        {children}
      </p>
      {encryption.needsTwoFactorCode() && (
        <>
          <label for={`${idPrefix}-code`}>Two-factor code</label>
          <input
            id={`${idPrefix}-code`}
            name="totp-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
          />
        </>
      )}
    </>
  );
}

/** The password (and code) a form carries, or null without a password. */
function proofFrom(data: FormData): { password: string; totpCode?: string } | null {
  const password = String(data.get("password") ?? "");
  const totpCode = String(data.get("totp-code") ?? "").replace(/\s/g, "");
  if (!password) return null;
  return totpCode ? { password, totpCode } : { password };
}
