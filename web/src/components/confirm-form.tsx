/**
 * A sensitive change confirmed with the password, plus a current two-factor
 * code when two-factor authentication is on.
 */
import type { Action } from "../models/action.ts";
import { describedBy, FormError } from "./form-error.tsx";

interface ConfirmFormProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  action: Action;
  needsCode: boolean;
  submitLabel: string;
  isDangerous?: boolean;
  onConfirm: (password: string, code: string) => Promise<boolean>;
}

export function ConfirmForm({ id, action, needsCode, submitLabel, isDangerous = false, onConfirm }: ConfirmFormProps) {
  const error = action.error.value;
  const errorId = error ? `${id}-error` : null;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    if (await onConfirm(String(data.get("password") ?? ""), String(data.get("code") ?? ""))) form.reset();
  };

  return (
    <form class="stack" onSubmit={onSubmit} noValidate>
      <label for={`${id}-password`}>Your password</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        aria-describedby={describedBy(errorId)}
      />
      {needsCode && (
        <>
          <label for={`${id}-code`}>Current two-factor code</label>
          <input
            id={`${id}-code`}
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            aria-describedby={describedBy(errorId)}
          />
        </>
      )}
      <FormError id={`${id}-error`} error={error} />
      <button type="submit" class={isDangerous ? "danger" : "primary"} disabled={action.isBusy.value}>
        {submitLabel}
      </button>
    </form>
  );
}
