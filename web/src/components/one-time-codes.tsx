/**
 * Codes the server shows once (a recovery code, backup codes): copy them, or
 * download them as a text file, and say they are saved before going on.
 */
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useFocusOnMount } from "./use-focus-on-mount.ts";
import { useTextFileUrl } from "./use-text-file-url.ts";

interface OneTimeCodesProps {
  id: string;
  heading: string;
  /** Names the list: "Recovery code", "Backup codes". */
  listLabel: string;
  codes: readonly string[];
  fileName: string;
  /** The first line of the downloaded file, saying what the codes are for. */
  fileTitle: string;
  confirmLabel: string;
  continueLabel: string;
  onContinue: () => void;
  children: ComponentChildren;
}

export function OneTimeCodes(props: OneTimeCodesProps) {
  const isSaved = useSignal(false);
  const copyStatus = useSignal<string | null>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const fileUrl = useTextFileUrl(`${props.fileTitle}\n\n${props.codes.join("\n")}\n`);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.codes.join("\n"));
      copyStatus.value = props.codes.length === 1 ? "Copied." : "Copied all codes.";
    } catch {
      copyStatus.value = "This browser did not allow copying: select the codes and copy them, or download them.";
    }
  };

  return (
    <section class="one-time-codes" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`} tabIndex={-1} ref={heading}>
        {props.heading}
      </h2>
      {props.children}
      <ol class={props.codes.length === 1 ? "codes is-single" : "codes"} aria-label={props.listLabel}>
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div class="button-row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <a class="button" href={fileUrl} download={props.fileName}>
          Download as a text file
        </a>
      </div>
      <p class="hint" role="status">
        {copyStatus.value}
      </p>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={isSaved.value}
          onChange={(event) => (isSaved.value = event.currentTarget.checked)}
        />
        {props.confirmLabel}
      </label>
      <button type="button" class="primary" disabled={!isSaved.value} onClick={props.onContinue}>
        {props.continueLabel}
      </button>
    </section>
  );
}
