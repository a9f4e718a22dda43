/**
 * "Confirm it's you": shown when the server wants the password (and the two-factor
 * code) again before an action that changes who controls the instance. Focus moves
 * to the password; Escape or Cancel gives up the action.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import { describedBy, FormError } from "../../../src/components/form-error.tsx";
import type { Reauthentication } from "../models/reauthentication-model.ts";

export function ReauthenticationForm({
  reauthentication,
  hasTwoFactor,
}: {
  reauthentication: Reauthentication;
  hasTwoFactor: boolean;
}) {
  const pending = reauthentication.pending.value;
  const password = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => password.current?.focus(), [pending]);
  if (!pending) return null;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const totpCode = String(form.get("code") ?? "").trim();
    reauthentication.answer({ password: String(form.get("password") ?? ""), ...(totpCode ? { totpCode } : {}) });
  };
  return (
    <form
      class="confirm-change reauthentication"
      aria-labelledby="reauth-heading"
      aria-describedby="reauth-why"
      onSubmit={onSubmit}
      onKeyDown={(event) => event.key === "Escape" && reauthentication.answer(null)}
      noValidate
    >
      <h2 id="reauth-heading" class="confirm-question">
        Confirm it’s you
      </h2>
      <p id="reauth-why">
        Changing who runs this instance needs your password
        {hasTwoFactor ? " and a code from your authenticator app" : ""} again. You will not be asked again for ten
        minutes.
      </p>
      <FormError id="reauth-error" error={pending.error} />
      <label for="reauth-password">Your password</label>
      <input
        id="reauth-password"
        ref={password}
        name="password"
        type="password"
        autoComplete="current-password"
        aria-invalid={pending.error ? true : undefined}
        aria-describedby={describedBy(pending.error && "reauth-error")}
      />
      {hasTwoFactor && (
        <>
          <label for="reauth-code">Code from your authenticator app</label>
          <input id="reauth-code" name="code" autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
        </>
      )}
      <div class="button-row">
        <button type="submit" class="primary">
          Confirm
        </button>
        <button type="button" onClick={() => reauthentication.answer(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
