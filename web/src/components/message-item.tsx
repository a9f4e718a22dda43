/**
 * One message: what it replies to, who sent it and when (the time its sender
 * sealed), what it says (or who removed it), whether it was edited or pinned, its
 * reactions and replies, whether it has reached the server, whether its sender is
 * verified, where the server's account of it differs from what its sender sealed,
 * whether it is end-to-end encrypted, and what the reader may do with it.
 */
import type { TrustStatus } from "../../../e2ee/index.ts";
import type { Chat } from "../models/chat.ts";
import type { TimelineEntry } from "../models/timeline.ts";
import { Avatar } from "./avatar.tsx";
import { CallRecordLine } from "./calls/call-record-line.tsx";
import { DeleteConfirmation } from "./delete-confirmation.tsx";
import { AttachmentList } from "./files/attachment-list.tsx";
import { OutgoingFileList } from "./files/outgoing-file-list.tsx";
import { MessageEditor } from "./message-editor.tsx";
import { MessageText } from "./message-text.tsx";
import { MessageToolbar } from "./message-toolbar.tsx";
import { ReactionBar } from "./reaction-bar.tsx";
import { ReplyQuote } from "./reply-quote.tsx";
import { sentence } from "./sentence.ts";
import { dateTimeInWords } from "./time-words.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** Where a message shows: the main list, a thread panel, the pinned messages. */
export type MessagePlace = "main" | "thread" | "pins";

/** The main list's element for a message, for jumping to it. */
export const messageElementId = (seq: number) => `message-${seq}`;

interface MessageItemProps {
  entry: TimelineEntry;
  chat: Chat;
  ownUserId: string;
  place: MessagePlace;
  replyCount?: number;
  isHighlighted?: boolean;
}

export function MessageItem({
  entry,
  chat,
  ownUserId,
  place,
  replyCount = 0,
  isHighlighted = false,
}: MessageItemProps) {
  const { actions } = chat;
  const seq = entry.seq;
  // A call in a conversation is a line of its own, not a bubble.
  if (entry.call && !entry.isDeleted && place === "main") {
    return (
      <CallRecordLine
        entry={entry}
        call={entry.call}
        chat={chat}
        id={seq === null ? undefined : messageElementId(seq)}
      />
    );
  }
  const isEditing = seq !== null && actions.editing.value?.seq === seq;
  // The sender's own clock, sealed with the text, over the server's say of when it arrived.
  const shownAt = entry.sealedAt ?? entry.sentAt;
  const warnings = entry.isDeleted ? [] : (entry.warnings ?? []);
  // A message of files alone shows no empty text line: the files are its content.
  const attachments = entry.isDeleted ? [] : (entry.attachments ?? []);
  const classes = [
    "message",
    `is-${entry.state}`,
    entry.isOwn && "is-own",
    entry.isMentioningMe && "is-mentioning-me",
    entry.isDeleted && "is-deleted",
    warnings.length > 0 && "has-warnings",
    isHighlighted && "is-highlighted",
  ].filter(Boolean);

  return (
    <li
      id={place === "main" && seq !== null ? messageElementId(seq) : undefined}
      class={classes.join(" ")}
      tabIndex={place === "main" && seq !== null ? -1 : undefined}
    >
      {entry.replyToSeq !== null && <ReplyQuote chat={chat} seq={entry.replyToSeq} />}
      <p class="message-meta">
        <Avatar
          name={chat.senderNameOf(entry)}
          id={entry.senderId}
          url={chat.people().find((person) => person.userId === entry.senderId)?.avatarUrl}
        />
        <span class="sender">{chat.senderNameOf(entry)}</span>
        {!entry.isOwn && <TrustMark status={chat.trust.value.get(entry.senderId) ?? "unknown"} />}
        {shownAt && (
          <time dateTime={shownAt} title={entry.sealedAt ? "As its sender’s device sealed it" : undefined}>
            {timeFormat.format(new Date(shownAt))}
          </time>
        )}
        {entry.editedAt && !entry.isDeleted && (
          <span class="edited" title={`Edited ${dateTimeInWords(entry.editedAt)}`}>
            (edited)
          </span>
        )}
        {entry.pinnedAt && !entry.isDeleted && <span class="tag">pinned</span>}
        {entry.isMentioningMe && <span class="tag mention-tag">mentions you</span>}
        {entry.state === "pending" && <span class="delivery">Sending…</span>}
      </p>
      {entry.isDeleted ? (
        <p class="message-text is-tombstone">
          <em>This message was deleted.</em>
          {entry.removal && (
            <span class={`removal${entry.removal.by === "someone else" ? " is-unsigned" : ""}`}>
              {" "}
              {entry.removal.by === "someone else" && <span aria-hidden="true">⚠ </span>}
              {sentence(entry.removal.words)}
            </span>
          )}
        </p>
      ) : isEditing ? (
        <MessageEditor chat={chat} place={place} />
      ) : entry.text === "" && (attachments.length > 0 || entry.state !== "stored") ? null : (
        <p class="message-text">
          {entry.text === null ? (
            <em>
              {entry.unreadable ? `This message cannot be read on this device: ${entry.unreadable}.` : "Decrypting…"}
            </em>
          ) : (
            <MessageText text={entry.text} />
          )}
        </p>
      )}
      {attachments.length > 0 && !isEditing && <AttachmentList chat={chat} attachments={attachments} />}
      {entry.isOwn && entry.state !== "stored" && <OutgoingFileList chat={chat} entry={entry} />}
      {warnings.map((warning) => (
        <p
          key={warning}
          class="message-notice is-warning"
          role="note"
          title="Your device compared what the server shows with what the sender’s device sealed"
        >
          <span aria-hidden="true">⚠</span> {sentence(warning)}
        </p>
      ))}
      {!entry.isDeleted && !entry.isEncrypted && (
        <p class="message-notice is-unencrypted" role="note">
          <span aria-hidden="true">🔓</span> Not end-to-end encrypted: the server could read this message.
        </p>
      )}
      {entry.state === "failed" && (
        <p class="error delivery-failure">
          Not sent: {sentence(entry.failure ?? "the server refused it")}{" "}
          <button type="button" class="link-button" onClick={() => chat.retry(entry.clientId)}>
            Try again
          </button>{" "}
          <button type="button" class="link-button" onClick={() => chat.discard(entry.clientId)}>
            Remove
          </button>
        </p>
      )}
      {!entry.isDeleted && entry.reactions.length > 0 && seq !== null && (
        <ReactionBar chat={chat} seq={seq} reactions={entry.reactions} ownUserId={ownUserId} />
      )}
      {place === "main" && replyCount > 0 && seq !== null && (
        <button type="button" class="link-button thread-link" onClick={() => void chat.panels.openThread(seq)}>
          {replyCount === 1 ? "1 reply" : `${replyCount} replies`}
        </button>
      )}
      {seq !== null && actions.confirmingDelete.value === seq && <DeleteConfirmation chat={chat} />}
      {entry.state === "stored" && !entry.isDeleted && !isEditing && (
        <MessageToolbar chat={chat} entry={entry} place={place} />
      )}
    </li>
  );
}

/** Beside a sender's name: verified (safety numbers compared), or their key changed. */
function TrustMark({ status }: { status: TrustStatus }) {
  if (status === "verified") {
    return (
      <span class="tag is-verified" title="You compared safety numbers">
        verified
      </span>
    );
  }
  if (status === "changed") {
    return (
      <span class="tag is-key-changed" title="Their account key changed: compare safety numbers again">
        key changed
      </span>
    );
  }
  return null;
}
