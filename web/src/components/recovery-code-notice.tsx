/** The account's recovery code, shown once, after registering or after using the old one. */
import { OneTimeCodes } from "./one-time-codes.tsx";

interface RecoveryCodeNoticeProps {
  code: string;
  onContinue: () => void;
  /** After registering; otherwise after a password reset or a new code from the settings. */
  isNewAccount?: boolean;
  continueLabel?: string;
}

export function RecoveryCodeNotice({
  code,
  onContinue,
  isNewAccount = false,
  continueLabel = "Continue to Chatalot",
}: RecoveryCodeNoticeProps) {
  return (
    <OneTimeCodes
      id="recovery-code"
      heading={isNewAccount ? "Save your recovery code now" : "Save your new recovery code now"}
      listLabel="Recovery code"
      codes={[code]}
      fileName="chatalot-recovery-code.txt"
      fileTitle="Chatalot recovery code: it resets your password if you forget it. Keep it secret."
      confirmLabel="I have saved my recovery code somewhere safe"
      continueLabel={continueLabel}
      onContinue={onContinue}
    >
      <p>
        If you forget your password, this code is the only way back into your account. It is shown{" "}
        <strong>only this once</strong>: keep it in a password manager or print it.
      </p>
      {!isNewAccount && <p class="hint">Any recovery code you saved before no longer works.</p>}
    </OneTimeCodes>
  );
}
