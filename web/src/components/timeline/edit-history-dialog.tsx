/**
 * "(edited)" opens this: every version of a message, oldest first, each with when
 * it was written, decrypted on this device like the message itself. A modal
 * dialog: Esc or Close shuts it and focus returns to what opened it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { describeError } from "../../models/api-client.ts";
import { readEditHistory, type MessageVersionReading } from "../../models/edit-history.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import { MessageText } from "../message-text.tsx";
import { PersonName } from "../people/person-name.tsx";
import { sentence } from "../sentence.ts";
import { fullDateTimeInWords } from "./timeline-layout.ts";

export function EditHistoryDialog({ chat, entry }: { chat: Chat; entry: TimelineEntry }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [versions, setVersions] = useState<MessageVersionReading[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => chat.actions.closeVersions();

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    element?.showModal();
    return () => {
      // Focus cannot leave a modal dialog still open: it closes before focus goes back.
      element?.close();
      opener?.focus({ preventScroll: true });
    };
  }, []);

  useEffect(() => {
    let isCurrent = true;
    readEditHistory(chat, entry).then(
      (read) => isCurrent && setVersions(read),
      (caught: unknown) =>
        isCurrent && setProblem(`the earlier versions could not be loaded: ${describeError(caught)}`),
    );
    return () => {
      isCurrent = false;
    };
  }, [entry.seq, entry.event]);

  return (
    <dialog
      ref={dialog}
      class="edit-history"
      aria-labelledby="edit-history-heading"
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <header class="edit-history-header">
        <h2 id="edit-history-heading">Edit history</h2>
        <button type="button" class="small" onClick={close}>
          Close
        </button>
      </header>
      <p class="edit-history-who">
        A message from <PersonName userId={entry.senderId} fallback={chat.senderNameOf(entry)} />, oldest version first.
      </p>
      {problem && (
        <p class="error" role="alert">
          {sentence(problem)}
        </p>
      )}
      {!versions && !problem && <p class="hint">Opening the earlier versions…</p>}
      {versions && (
        <ol class="edit-versions">
          {versions.map((version, index) => (
            <li key={index} class={version.replacedAt === null ? "edit-version is-current" : "edit-version"}>
              <p class="edit-version-meta">
                <strong>{index === 0 ? "Original" : version.replacedAt === null ? "Current" : `Edit ${index}`}</strong>{" "}
                {version.writtenAt && (
                  <time dateTime={version.writtenAt}>{fullDateTimeInWords(version.writtenAt)}</time>
                )}
              </p>
              <p class="message-text">
                {version.text !== null ? <MessageText text={version.text} /> : <em>{version.unreadable}</em>}
              </p>
            </li>
          ))}
        </ol>
      )}
    </dialog>
  );
}
