/**
 * Setting up two-factor authentication: scan the QR code (or type the key) into
 * an authenticator app, then prove it works with the code it shows, and confirm
 * with the password.
 */
import type { PendingSetup, TwoFactor } from "../models/two-factor.ts";
import { describedBy, FormError } from "./form-error.tsx";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

interface TwoFactorSetupProps {
  twoFactor: TwoFactor;
  setup: PendingSetup;
  onEnabled: () => void;
}

/** Base32 in groups of four, as authenticator apps print it; they ignore the spaces. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export function TwoFactorSetup({ twoFactor, setup, onEnabled }: TwoFactorSetupProps) {
  const error = twoFactor.settingUp.error.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    if (await twoFactor.enable(String(data.get("password") ?? ""), String(data.get("code") ?? ""))) onEnabled();
  };

  return (
    <div class="two-factor-setup">
      <h3 tabIndex={-1} ref={heading}>
        Set up two-factor authentication
      </h3>
      <ol class="steps">
        <li>
          <p>
            Scan this QR code with an authenticator app (such as Aegis, 2FAS, Google Authenticator or a password
            manager).
          </p>
          <img
            class="qr-code"
            src={setup.qrCodeUrl}
            width={200}
            height={200}
            alt="QR code that adds this account to an authenticator app"
          />
        </li>
        <li>
          <p>
            Or type this setup key into the app (time-based, 6 digits):{" "}
            <code class="totp-secret">{grouped(setup.secret)}</code>
          </p>
        </li>
        <li>
          <form class="stack" onSubmit={onSubmit} noValidate>
            <label for="two-factor-enable-code">Code from the app</label>
            <input
              id="two-factor-enable-code"
              name="code"
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={6}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy("two-factor-enable-hint", error && "two-factor-enable-error")}
            />
            <p id="two-factor-enable-hint" class="hint">
              The 6 digits the app shows now for Chatalot.
            </p>
            <label for="two-factor-enable-password">Your password</label>
            <input
              id="two-factor-enable-password"
              name="password"
              type="password"
              autoComplete="current-password"
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(error && "two-factor-enable-error")}
            />
            <FormError id="two-factor-enable-error" error={error} />
            <div class="button-row">
              <button type="submit" class="primary" disabled={twoFactor.settingUp.isBusy.value}>
                Turn on two-factor authentication
              </button>
              <button type="button" onClick={() => twoFactor.cancelSetup()}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
