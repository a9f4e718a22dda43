/**
 * "Delete bob's account?": a change that cannot be taken back names what it will
 * do and waits for a second, explicit click. Focus moves to it (to its first field,
 * if it asks for one); Escape or Cancel backs out.
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

interface ConfirmChangeProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  question: string;
  consequence: string;
  confirmLabel: string;
  isBusy: boolean;
  onConfirm: (form: FormData) => void;
  onCancel: () => void;
  /** Fields the change needs, such as a reason. */
  children?: ComponentChildren;
}

export function ConfirmChange(props: ConfirmChangeProps) {
  const { id, question, consequence, confirmLabel, isBusy, onConfirm, onCancel, children } = props;
  const form = useRef<HTMLFormElement>(null);
  // Before the browser paints: the first key pressed after opening lands in the field.
  useLayoutEffect(() => {
    const field = form.current?.querySelector<HTMLElement>("input, textarea, select");
    (field ?? form.current)?.focus();
  }, []);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!isBusy) onConfirm(new FormData(event.currentTarget as HTMLFormElement));
  };
  return (
    <form
      ref={form}
      class="confirm-change"
      tabIndex={-1}
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-consequence`}
      onSubmit={onSubmit}
      onKeyDown={(event) => event.key === "Escape" && onCancel()}
      noValidate
    >
      <p id={`${id}-question`} class="confirm-question">
        {question}
      </p>
      <p id={`${id}-consequence`}>{consequence}</p>
      {children}
      <div class="button-row">
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus, and Escape with it. */}
        <button type="submit" class="danger" aria-disabled={isBusy}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
