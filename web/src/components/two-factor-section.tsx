/** Two-factor authentication: set it up, or, once on, new backup codes and turning it off. */
import type { TwoFactor } from "../models/two-factor.ts";
import { ConfirmForm } from "./confirm-form.tsx";
import { FormError } from "./form-error.tsx";
import { OneTimeCodes } from "./one-time-codes.tsx";
import { TwoFactorSetup } from "./two-factor-setup.tsx";

export function TwoFactorSection({ twoFactor, onChange }: { twoFactor: TwoFactor; onChange: () => void }) {
  const backupCodes = twoFactor.backupCodes.value;
  const setup = twoFactor.pendingSetup.value;
  const left = twoFactor.backupCodesLeft.value;
  const after = (change: Promise<boolean>) => change.then((isDone) => (isDone && onChange(), isDone));

  return (
    <section class="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      <FormError id="two-factor-load-error" error={twoFactor.loading.error.value} />
      {backupCodes ? (
        <OneTimeCodes
          id="backup-codes"
          heading="Save your backup codes now"
          listLabel="Backup codes"
          codes={backupCodes}
          fileName="chatalot-backup-codes.txt"
          fileTitle="Chatalot backup codes: each signs you in once when your authenticator app is not at hand."
          confirmLabel="I have saved my backup codes somewhere safe"
          continueLabel="Done"
          onContinue={() => twoFactor.dismissBackupCodes()}
        >
          <p>
            If you lose the device with your authenticator app, each of these codes signs you in once. They are shown{" "}
            <strong>only this once</strong>: keep them in a password manager or print them.
          </p>
        </OneTimeCodes>
      ) : !twoFactor.isOn.value ? (
        setup ? (
          <TwoFactorSetup twoFactor={twoFactor} setup={setup} onEnabled={onChange} />
        ) : (
          <>
            <p>
              <strong>Off.</strong> With two-factor authentication on, signing in also asks for a code from an
              authenticator app on your phone, so a stolen password alone is not enough.
            </p>
            <FormError id="two-factor-setup-error" error={twoFactor.settingUp.error.value} />
            <button
              type="button"
              class="primary"
              onClick={() => void twoFactor.startSetup()}
              disabled={twoFactor.settingUp.isBusy.value}
            >
              Set up two-factor authentication
            </button>
          </>
        )
      ) : (
        <>
          <p>
            <strong>On.</strong> Signing in asks for a code from your authenticator app.
            {left !== null && ` ${left === 1 ? "1 backup code is" : `${left} backup codes are`} left.`}
          </p>
          <details>
            <summary>Create new backup codes</summary>
            <p class="hint">The old backup codes stop working.</p>
            <ConfirmForm
              id="backup-codes-renew"
              action={twoFactor.renewing}
              needsCode
              submitLabel="Create new backup codes"
              onConfirm={(password, code) => after(twoFactor.renewBackupCodes(password, code))}
            />
          </details>
          <details>
            <summary>Turn off two-factor authentication</summary>
            <ConfirmForm
              id="two-factor-off"
              action={twoFactor.turningOff}
              needsCode
              isDangerous
              submitLabel="Turn off two-factor authentication"
              onConfirm={(password, code) => after(twoFactor.disable(password, code))}
            />
          </details>
        </>
      )}
    </section>
  );
}
