/**
 * "Save your recovery key": the one secret a person keeps, shown over the app right
 * after registering (Element's secure-backup step is the model), or when they set it
 * up later from the banner or from the sign-out warning. Making it writes the key
 * backup and sets the account recovery code derived from it, so the key both unlocks
 * the message history on a new device and resets a forgotten password.
 */
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Encryption } from "../../models/encryption/encryption.ts";
import type { RecoveryKeyStepRequest } from "../../models/encryption/onboarding.ts";
import { FormError } from "../form-error.tsx";
import { OneTimeCodes } from "../one-time-codes.tsx";
import { RecoveryKeyForm } from "./recovery-key-form.tsx";
import "./onboarding.css";

interface RecoveryKeyStepProps {
  encryption: Encryption;
  request: RecoveryKeyStepRequest;
  username: string;
  onDone: () => void;
}

export function RecoveryKeyStep({ encryption, request, username, onDone }: RecoveryKeyStepProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const shownKey = encryption.shownRecoveryKey.value;
  const action = encryption.settingUp;
  const hasTried = useSignal(false);
  /** Right after registering it cannot be put off; asked for later, Esc or Cancel puts it off. */
  const canPutOff = request.reason !== "registered" && !shownKey;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  useEffect(() => {
    // Right after registering the form still had the password: the key is made at once.
    if (request.password && !hasTried.peek()) {
      hasTried.value = true;
      void encryption.setUpRecovery(null, { password: request.password });
    }
  }, [request.password]);

  const finish = () => {
    encryption.dismissRecoveryKey();
    onDone();
  };
  const onCancel = (event: Event) => {
    event.preventDefault();
    if (canPutOff) onDone();
  };
  const instance = location.host;

  return (
    <dialog ref={dialog} class="recovery-key-step" aria-labelledby="recovery-key-heading" onCancel={onCancel}>
      {shownKey ? (
        <OneTimeCodes
          id="recovery-key"
          heading="Save your recovery key"
          listLabel="Recovery key"
          codes={[shownKey]}
          fileName={`chatalot-recovery-key-${username}.txt`}
          fileTitle={`Chatalot recovery key for ${username} on ${instance}. It unlocks your account if you forget your password, and your message history on a new device. Keep it secret: nobody, not even the server's admin, can recover it for you.`}
          confirmLabel="I have saved my recovery key"
          continueLabel="Continue"
          onContinue={finish}
        >
          <RecoveryKeyWords username={username} instance={instance} />
        </OneTimeCodes>
      ) : request.password && !action.error.value ? (
        <section class="one-time-codes" aria-busy="true">
          <h2 id="recovery-key-heading">Save your recovery key</h2>
          <p role="status">Making your recovery key and the encrypted backup of your keys…</p>
        </section>
      ) : (
        <section class="one-time-codes">
          <h2 id="recovery-key-heading">Set up your recovery key</h2>
          {request.reason === "signing-out" && (
            <p>Then sign out: your message history is waiting for you on any device.</p>
          )}
          <RecoveryKeyWords username={username} instance={instance} />
          {request.password && <FormError id="recovery-key-error" error={action.error.value} />}
          <RecoveryKeyForm encryption={encryption} onCancel={canPutOff ? onDone : null} />
        </section>
      )}
    </dialog>
  );
}

/** What the key is for, plainly. */
function RecoveryKeyWords({ username, instance }: { username: string; instance: string }) {
  return (
    <>
      <p>
        Your messages are end-to-end encrypted: only your devices hold the keys. Your recovery key for{" "}
        <strong>{username}</strong> on <strong>{instance}</strong> unlocks:
      </p>
      <ul class="recovery-key-uses">
        <li>your account, if you forget your password;</li>
        <li>your message history, when you sign in on a new device or sign in again here.</li>
      </ul>
      <p>
        Keep it in a password manager or print it. <strong>Nobody can recover it for you</strong>, not even the server’s
        admin.
      </p>
    </>
  );
}
