/**
 * The composer's "Attach files" button, opening the system's file picker (several
 * files at once). Without ATTACH_FILES it stays, disabled, and says why.
 */
import { useRef } from "preact/hooks";

interface AttachButtonProps {
  /** Why files cannot be attached here (null: they can). */
  refusal: string | null;
  onFiles(files: File[]): void;
}

export function AttachButton({ refusal, onFiles }: AttachButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        class="attach-button"
        aria-label="Attach files"
        title={refusal ?? "Attach files"}
        disabled={refusal !== null}
        aria-describedby={refusal ? "attach-refusal" : undefined}
        onClick={() => input.current?.click()}
      >
        <span aria-hidden="true">+</span>
      </button>
      {refusal && (
        <span id="attach-refusal" class="visually-hidden">
          {refusal}
        </span>
      )}
      <input
        ref={input}
        type="file"
        multiple
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const chosen = [...(event.currentTarget.files ?? [])];
          // Emptied, so choosing the same file again is a change too.
          event.currentTarget.value = "";
          if (chosen.length > 0) onFiles(chosen);
        }}
      />
    </>
  );
}
