/** The list of keyboard shortcuts, opened with Ctrl+/ (Cmd+/ on a Mac), as Discord's is. */
import { SHORTCUTS } from "../../models/keyboard-shortcuts.ts";
import { useModalDialog } from "./use-modal-dialog.ts";

interface ShortcutsDialogProps {
  isMac: boolean;
  onClose: () => void;
}

export function ShortcutsDialog({ isMac, onClose }: ShortcutsDialogProps) {
  const ref = useModalDialog(onClose);
  return (
    <dialog ref={ref} class="keyboard-dialog shortcuts-dialog" aria-labelledby="shortcuts-heading">
      <header class="shortcuts-header">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        <button type="button" class="small" onClick={onClose} autoFocus>
          Close
        </button>
      </header>
      <dl class="shortcut-list">
        {SHORTCUTS.map((shortcut) => (
          <div class="shortcut" key={shortcut.action}>
            <dt>{shortcut.description}</dt>
            <dd>
              {shortcut.keys(isMac).map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <p class="hint">
        In the quick switcher, start with <kbd>#</kbd> for channels only or <kbd>@</kbd> for people only.
      </p>
    </dialog>
  );
}
