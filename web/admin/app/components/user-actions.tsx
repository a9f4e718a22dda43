/**
 * What an admin may do to an account. Each change that cannot simply be taken
 * back opens a confirmation naming its consequence; suspending asks for a reason.
 */
import { FormError } from "../../../src/components/form-error.tsx";
import type { UserDetailView } from "../models/admin-views.ts";
import type { UserChange, UserDetail } from "../models/user-detail-model.ts";
import { ConfirmChange } from "./confirm-change.tsx";
import { StatusMessage } from "./status-message.tsx";
import { useFocusWhenClosed } from "./use-focus-when-closed.ts";

interface Confirmation {
  question: string;
  consequence: string;
  confirmLabel: string;
  run: (detail: UserDetail, form: FormData) => Promise<void>;
}

function confirmationFor(change: UserChange, name: string): Confirmation {
  switch (change) {
    case "suspend":
      return {
        question: `Suspend ${name}?`,
        consequence: `${name}'s open sessions end at once and ${name} cannot sign in until you lift the suspension. The reason is kept in the audit log.`,
        confirmLabel: `Suspend ${name}`,
        run: (detail, form) => detail.suspend(String(form.get("reason") ?? "")),
      };
    case "revoke-sessions":
      return {
        question: `Sign out all of ${name}'s sessions?`,
        consequence: `Every device ${name} is signed in on is signed out at once and its open chats close. ${name} can sign in again.`,
        confirmLabel: "Sign out every session",
        run: (detail) => detail.revokeSessions(),
      };
    case "reset-two-factor":
      return {
        question: `Reset ${name}'s two-factor authentication?`,
        consequence: `${name}'s authenticator app and backup codes stop working, and ${name} signs in with the password alone until turning two-factor on again. Do this only once you are sure it is really ${name} asking.`,
        confirmLabel: "Reset two-factor",
        run: (detail) => detail.resetTwoFactor(),
      };
    case "grant-admin":
      return {
        question: `Make ${name} an instance admin?`,
        consequence: `${name} can then do everything this page does: manage every account, community, invite and setting.`,
        confirmLabel: `Make ${name} an admin`,
        run: (detail) => detail.setAdmin(true),
      };
    case "revoke-admin":
      return {
        question: `Revoke ${name}'s admin rights?`,
        consequence: `${name} can no longer open this page or use the admin API. The account itself stays.`,
        confirmLabel: "Revoke admin rights",
        run: (detail) => detail.setAdmin(false),
      };
    case "delete":
      return {
        question: `Delete ${name}'s account?`,
        consequence: `${name} is signed out everywhere and can never sign in again; the name, profile and two-factor are erased. Communities ${name} owns must get a new owner first. This cannot be undone.`,
        confirmLabel: `Delete ${name}'s account`,
        run: (detail) => detail.remove(),
      };
  }
}

export function UserActions({ detail, data }: { detail: UserDetail; data: UserDetailView }) {
  const { user } = data;
  const pending = detail.confirming.value;
  const isBusy = detail.change.isBusy.value;
  const confirmation = pending && confirmationFor(pending, user.username);
  const heading = useFocusWhenClosed<HTMLHeadingElement>(pending !== null);
  return (
    <section class="actions-panel" aria-labelledby="user-actions-heading">
      <h2 id="user-actions-heading" tabIndex={-1} ref={heading}>
        Actions
      </h2>
      <StatusMessage text={detail.notice.value} />
      {confirmation ? (
        <ConfirmChange
          id="user-change"
          question={confirmation.question}
          consequence={confirmation.consequence}
          confirmLabel={confirmation.confirmLabel}
          isBusy={isBusy}
          onConfirm={(form) => void confirmation.run(detail, form)}
          onCancel={() => detail.cancel()}
        >
          {pending === "suspend" && (
            <div class="field">
              <label for="suspend-reason">Reason</label>
              <textarea id="suspend-reason" name="reason" rows={2} maxLength={500} />
            </div>
          )}
        </ConfirmChange>
      ) : (
        <div class="button-row">
          {user.suspendedAt ? (
            <button type="button" onClick={() => detail.unsuspend()} disabled={isBusy}>
              Lift the suspension
            </button>
          ) : (
            <button type="button" onClick={() => detail.ask("suspend")}>
              Suspend…
            </button>
          )}
          <button type="button" onClick={() => detail.ask("revoke-sessions")}>
            Sign out all sessions…
          </button>
          {user.hasTwoFactor && (
            <button type="button" onClick={() => detail.ask("reset-two-factor")}>
              Reset two-factor…
            </button>
          )}
          <button type="button" onClick={() => detail.ask(user.isAdmin ? "revoke-admin" : "grant-admin")}>
            {user.isAdmin ? "Revoke admin rights…" : "Make admin…"}
          </button>
          <button type="button" class="danger" onClick={() => detail.ask("delete")}>
            Delete account…
          </button>
        </div>
      )}
      <FormError id="user-change-error" error={detail.change.error.value} />
    </section>
  );
}
