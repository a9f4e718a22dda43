/**
 * The modal dialog the conversation actions open (new conversation, rename, add
 * people, leave, block): opened at once, named by its heading and explanation; Esc,
 * Cancel or a click on the backdrop close it without doing anything.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import "./direct.css";

interface ModalDialogProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  title: string;
  /** What will happen, in words: the dialog's description. */
  explanation?: ComponentChildren;
  class?: string;
  onClose: () => void;
  children: ComponentChildren;
}

export function ModalDialog({ id, title, explanation, class: className, onClose, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      class={["direct-dialog", className].filter(Boolean).join(" ")}
      aria-labelledby={`${id}-title`}
      aria-describedby={explanation ? `${id}-explanation` : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => event.target === dialog.current && onClose()}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {explanation && <p id={`${id}-explanation`}>{explanation}</p>}
      {children}
    </dialog>
  );
}

/** Cancel and the dialog's action, at its foot. */
export function DialogButtons(props: {
  submitLabel: string;
  isBusy: boolean;
  isDisabled?: boolean;
  isDangerous?: boolean;
  onCancel: () => void;
}) {
  return (
    <div class="dialog-buttons">
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        class={props.isDangerous ? "danger" : "primary"}
        disabled={props.isBusy || props.isDisabled}
      >
        {props.submitLabel}
      </button>
    </div>
  );
}
