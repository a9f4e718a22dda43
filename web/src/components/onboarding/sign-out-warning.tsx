/**
 * The warning before signing out of a browser that holds the only copy of the
 * person's encryption keys: set up the recovery key first, or sign out and lose the
 * message history. A labelled modal dialog: Esc closes it, focus goes back.
 */
import { useEffect, useRef } from "preact/hooks";
import "./onboarding.css";

interface SignOutWarningProps {
  onSetUp: () => void;
  onSignOutAnyway: () => void;
  onClose: () => void;
}

export function SignOutWarning({ onSetUp, onSignOutAnyway, onClose }: SignOutWarningProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const setUp = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    setUp.current?.focus();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      class="sign-out-warning"
      aria-labelledby="sign-out-warning-heading"
      aria-describedby="sign-out-warning-words"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="sign-out-warning-heading">You will lose your message history</h2>
      <p id="sign-out-warning-words">
        This browser holds the only copy of your encryption keys. If you sign out now, you lose your message history: no
        device, and nobody on the server, can read it again.
      </p>
      <p>Set up a recovery key first: it brings your history back on any device you sign in to.</p>
      <div class="button-row">
        <button type="button" class="primary" ref={setUp} onClick={onSetUp}>
          Set up a recovery key first
        </button>
        <button type="button" class="danger" onClick={onSignOutAnyway}>
          Sign out anyway
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
