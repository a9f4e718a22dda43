/**
 * A native <dialog> shown as a modal for as long as its component is mounted:
 * the page behind is inert, Escape closes it (through `onClose`), and focus goes
 * back to where it was when it opened, unless that element is gone.
 */
import { useEffect, useRef } from "preact/hooks";

export function useModalDialog(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onCancel = (event: Event) => {
      // Closed by the component's unmount, so the two cannot disagree.
      event.preventDefault();
      close.current();
    };
    // A click on the backdrop lands on the dialog element itself, outside its content box.
    const onClick = (event: MouseEvent) => {
      if (event.target === dialog) close.current();
    };
    dialog.addEventListener("cancel", onCancel);
    dialog.addEventListener("click", onClick);
    dialog.showModal();
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("click", onClick);
      if (dialog.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus({ preventScroll: true });
    };
  }, []);
  return ref;
}
