/**
 * One message: what it replies to, who sent it and when (the time its sender
 * sealed), what it says (or who removed it), whether it was edited or pinned, its
 * reactions and replies, whether it has reached the server, whether its sender is
 * verified, where the server's account of it differs from what its sender sealed,
 * whether it is end-to-end encrypted, and what the reader may do with it. In the
 * main list it may follow the one before under a shared header (avatar, name,
 * time: `timeline-layout.ts`), and carry the day's or the "New" divider above it.
 */
import type { TrustStatus } from "../../../e2ee/index.ts";
import type { Chat } from "../models/chat.ts";
import { profileCard } from "../models/profile-card.ts";
import { roleColours } from "../models/role-colours.ts";
import type { TimelineEntry } from "../models/timeline.ts";
import { Avatar } from "./avatar.tsx";
import { CallRecordLine } from "./calls/call-record-line.tsx";
import { DeleteConfirmation } from "./delete-confirmation.tsx";
import { AttachmentList } from "./files/attachment-list.tsx";
import { OutgoingFileList } from "./files/outgoing-file-list.tsx";
import { MessageEditor } from "./message-editor.tsx";
import { MessageText } from "./message-text.tsx";
import { MessageToolbar } from "./message-toolbar.tsx";
import { PersonName } from "./people/person-name.tsx";
import { ReactionBar } from "./reaction-bar.tsx";
import { ReplyQuote } from "./reply-quote.tsx";
import { sentence } from "./sentence.ts";
import { DayDivider, NewDivider } from "./timeline/dividers.tsx";
import { fullDateTimeInWords, shownTimeOf, timeInWords, type MessageLayout } from "./timeline/timeline-layout.ts";
import { useLongPress } from "./timeline/use-long-press.ts";
import "./timeline/timeline.css";
import "./people/name-buttons.css";
import { UndecryptableNotice } from "./onboarding/undecryptable-notice.tsx";

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
  /** In the main list: whether it joins the group above, and the dividers over it. */
  layout?: MessageLayout;
}

export function MessageItem({
  entry,
  chat,
  ownUserId,
  place,
  replyCount = 0,
  isHighlighted = false,
  layout,
}: MessageItemProps) {
  const { actions } = chat;
  const seq = entry.seq;
  const canAct = entry.state === "stored" && !entry.isDeleted && seq !== null;
  const longPress = useLongPress(() => canAct && place === "main" && actions.openSheet(seq));
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
  const shownAt = shownTimeOf(entry);
  const warnings = entry.isDeleted ? [] : (entry.warnings ?? []);
  // A message of files alone shows no empty text line: the files are its content.
  const attachments = entry.isDeleted ? [] : (entry.attachments ?? []);
  const isContinuation = layout?.isContinuation ?? false;
  const senderName = chat.senderNameOf(entry);
  const communityId = chat.channel.value?.communityId ?? null;
  // Role colours belong to the open community: a DM's names keep the default colour.
  const nameColour = communityId ? roleColours.nameColour(entry.senderId) : null;
  const openCard = (anchor: HTMLElement) =>
    profileCard.open({ userId: entry.senderId, communityId, fallbackName: senderName, anchor });
  const classes = [
    "message",
    isContinuation ? "is-continuation" : "starts-group",
    `is-${entry.state}`,
    entry.isOwn && "is-own",
    entry.isMentioningMe && "is-mentioning-me",
    entry.isDeleted && "is-deleted",
    warnings.length > 0 && "has-warnings",
    isHighlighted && "is-highlighted",
  ].filter(Boolean);
  const edited = entry.editedAt && !entry.isDeleted && (
    <button
      type="button"
      class="edited"
      title={`Edited ${fullDateTimeInWords(entry.editedAt)}: show the earlier versions`}
      onClick={() => seq !== null && actions.showVersions(seq)}
    >
      (edited)
    </button>
  );

  return (
    <li class="timeline-item">
      {layout?.day && <DayDivider day={layout.day} />}
      {layout?.isFirstUnread && <NewDivider />}
      <div
        id={place === "main" && seq !== null ? messageElementId(seq) : undefined}
        class={classes.join(" ")}
        tabIndex={place === "main" && seq !== null ? -1 : undefined}
        {...longPress}
      >
        {entry.replyToSeq !== null && <ReplyQuote chat={chat} seq={entry.replyToSeq} />}
        <div class="message-gutter">
          {!isContinuation && (
            // The name beside it is the same button for keyboards and screen readers.
            <button
              type="button"
              class="avatar-button"
              tabIndex={-1}
              aria-hidden="true"
              onClick={(event) => openCard(event.currentTarget)}
            >
              <Avatar
                name={senderName}
                id={entry.senderId}
                url={chat.people().find((person) => person.userId === entry.senderId)?.avatarUrl}
                isDecorative
              />
            </button>
          )}
          {/* Beside a grouped message on hover; beside every message in the compact density. */}
          {shownAt && (
            <time class="gutter-time" dateTime={shownAt} title={fullDateTimeInWords(shownAt)}>
              {timeInWords(shownAt)}
            </time>
          )}
        </div>
        <div class="message-body">
          {isContinuation ? (
            <span class="visually-hidden">
              <PersonName userId={entry.senderId} fallback={senderName} />:{" "}
            </span>
          ) : (
            <p class="message-meta">
              <button
                type="button"
                class="sender"
                style={nameColour ? { color: nameColour } : undefined}
                onClick={(event) => openCard(event.currentTarget)}
              >
                <PersonName userId={entry.senderId} fallback={senderName} />
              </button>
              {!entry.isOwn && <TrustMark status={chat.trust.value.get(entry.senderId) ?? "unknown"} />}
              {shownAt && (
                <time dateTime={shownAt} title={fullDateTimeInWords(shownAt)}>
                  {timeInWords(shownAt)}
                </time>
              )}
              {entry.pinnedAt && !entry.isDeleted && <span class="tag">pinned</span>}
              {entry.isMentioningMe && <span class="tag mention-tag">mentions you</span>}
            </p>
          )}
          {isContinuation && entry.pinnedAt && !entry.isDeleted && <span class="tag">pinned</span>}
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
          ) : entry.text === "" && (attachments.length > 0 || entry.state !== "stored") ? (
            edited
          ) : (
            <div class="message-text">
              {entry.text === null ? (
                <UndecryptableNotice reason={entry.unreadable} />
              ) : (
                <MessageText text={entry.text} />
              )}
              {edited}
            </div>
          )}
          {entry.state === "pending" && <p class="delivery">Sending…</p>}
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
        </div>
        {canAct && !isEditing && <MessageToolbar chat={chat} entry={entry} place={place} />}
      </div>
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
