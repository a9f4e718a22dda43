/**
 * One open channel or conversation: its header on one line (name, topic, connection,
 * encryption, pins, the member list's toggle, the search box), the messages, who
 * is typing and the composer, beside a thread or the pinned messages when one is
 * open; or why the user can no longer see it.
 */
import { useModel } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { ChannelView } from "../../../protocol/index.ts";
import type { CallRecords } from "../models/calls/call-records.ts";
import type { Calls } from "../models/calls/calls.ts";
import { ChatModel } from "../models/chat.ts";
import { useNotificationJump } from "./notifications/use-notification-jump.ts";
import type { Person } from "../models/mentions.ts";
import type { Router } from "../models/router.ts";
import type { Encryption } from "../models/encryption/encryption.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { DmCallButtons } from "./calls/dm-call-buttons.tsx";
import { DmCallPanel } from "./calls/dm-call-panel.tsx";
import { useFileDrop } from "./files/drop-zone.tsx";
import { channelTitle, sendRefusalInWords } from "./channel-words.ts";
import { useSlowModeHint } from "./channel-settings/use-slow-mode-hint.ts";
import { ChannelLock, ChannelLockAlerts } from "./channel-lock.tsx";
import { Composer } from "./composer.tsx";
import { ConnectionStatus } from "./connection-status.tsx";
import { directRefusalInWords } from "./direct/direct-words.ts";
import { blocksOf } from "../models/blocks.ts";
import { MessageList } from "./message-list.tsx";
import { PinsPanel } from "./pins-panel.tsx";
import { sentence } from "./sentence.ts";
import { Icon } from "./shell/icons.tsx";
import { ThreadPanel } from "./thread-panel.tsx";
import { SearchBox } from "./search/search-box.tsx";
import type { SearchView } from "../models/search/search-view.ts";
import { TypingIndicator } from "./typing-indicator.tsx";

interface ChatViewProps {
  channelId: string;
  session: Session;
  encryption: Encryption;
  router: Router;
  /** The channel as the sidebar lists it, if it does. */
  known: ChannelView | null;
  /** Where the narrow layout's back link goes, and what it says. */
  back: { href: string; label: string };
  /** Until when the user is timed out in this channel's community, if they are. */
  timedOutUntil: string | null;
  /** Who can be @mentioned: the community's members (a conversation's participants by default). */
  people?: () => readonly Person[];
  onAccessChanged: () => void;
  /** In a DM or group DM: its calls (start, join, the call itself, how the last one ended). */
  dmCalls?: { calls: Calls; records: CallRecords };
  /** In a community's channel: whether its member list shows at the right, and the header's toggle. */
  members?: { isShown: boolean; toggle: () => void };
  /** Under the header, above the messages: a new community's welcome. */
  welcome?: ComponentChildren;
  /** The page's search, whose box sits at the header's right (issue #26). */
  search?: SearchView;
}

export function ChatView(props: ChatViewProps) {
  const { channelId, session, encryption, router, known, back, timedOutUntil, people, onAccessChanged, dmCalls } =
    props;
  const members = props.members;
  // The parent keys this view by channel, so each channel gets its own model and socket.
  const chat = useModel(() => new ChatModel(channelId, session, encryption, { known, onAccessChanged, people }));
  useNotificationJump(chat, channelId);
  const ownUserId = session.user.value?.id ?? "";
  // A conversation's name and people change live in the DM list (renamed, joined, left): its entry leads.
  const channel = (known?.communityId === null ? known : null) ?? chat.channel.value ?? known;
  const title = channel ? channelTitle(channel, ownUserId) : "Channel";
  const accessProblem = chat.accessProblem.value;
  const problem = chat.problem.value;
  const refusal = chat.canSend.value
    ? null
    : (directRefusalInWords(channel, ownUserId, blocksOf(session).blockedIds.value) ??
      sendRefusalInWords(channel, timedOutUntil));
  // Slow mode: the step, or how long until one's next message (issue #24).
  const hint = useSlowModeHint(channel, chat.entries.value, chat.permissions.value);
  const panel = chat.panels.panel.value;
  const isPinsOpen = panel?.kind === "pins";
  const attachRefusal =
    refusal ?? (chat.canAttach.value ? null : `You do not have permission to attach files in ${title}.`);
  const onFiles = (files: File[]) =>
    attachRefusal ? chat.attachments.refuse(attachRefusal) : chat.attachments.add(files);
  const drop = useFileDrop({ title, refusal: accessProblem ? "You cannot see this channel." : attachRefusal, onFiles });

  return (
    <section class={panel ? "chat has-panel" : "chat"} aria-labelledby="chat-heading" {...drop.handlers}>
      {drop.overlay}
      <header class="chat-header">
        <AppLink href={back.href} router={router} class="back-link">
          ← {back.label}
        </AppLink>
        <h2 id="chat-heading">{title}</h2>
        {channel?.isArchived && <span class="tag">archived</span>}
        {channel?.topic && (
          <p class="chat-topic" title={channel.topic}>
            {channel.topic}
          </p>
        )}
        <div class="chat-tools">
          {dmCalls && !accessProblem && <DmCallButtons chat={chat} calls={dmCalls.calls} title={title} />}
          <ConnectionStatus status={chat.status.value} />
          <ChannelLock chat={chat} encryption={encryption} ownUserId={ownUserId} />
          <button
            type="button"
            class="icon-button pins-button"
            aria-label="Pinned messages"
            title="Pinned messages"
            aria-expanded={isPinsOpen}
            onClick={() => (isPinsOpen ? chat.panels.close() : void chat.panels.openPins())}
          >
            <Icon name="pin" />
          </button>
          {members && (
            <button
              type="button"
              class="icon-button members-toggle"
              aria-label="Member list"
              title={members.isShown ? "Hide the member list" : "Show the member list"}
              aria-pressed={members.isShown}
              onClick={members.toggle}
            >
              <Icon name="members" />
            </button>
          )}
          {props.search && <SearchBox search={props.search} />}
        </div>
      </header>
      <ChannelLockAlerts chat={chat} encryption={encryption} ownUserId={ownUserId} />
      {props.welcome}
      {accessProblem ? (
        <p class="notice chat-notice" role="alert">
          {sentence(accessProblem)}
        </p>
      ) : (
        problem && (
          <p class="error chat-problem" role="alert">
            {sentence(problem)}{" "}
            <button type="button" class="link-button" onClick={() => chat.dismissProblem()}>
              Dismiss
            </button>
          </p>
        )
      )}
      {dmCalls && (
        <DmCallPanel
          channelId={channelId}
          calls={dmCalls.calls}
          records={dmCalls.records}
          nameOf={(userId) => chat.people().find((person) => person.userId === userId)?.username ?? "someone"}
        />
      )}
      <div class="chat-body">
        <div class="chat-main">
          <MessageList chat={chat} title={title} ownUserId={ownUserId} />
          <TypingIndicator names={chat.typingNames.value} />
          {!accessProblem && (
            <Composer
              chat={chat}
              session={session}
              channelId={channelId}
              title={title}
              refusal={refusal}
              hint={hint}
              attachRefusal={attachRefusal}
              onFiles={onFiles}
            />
          )}
        </div>
        {panel?.kind === "thread" && (
          <ThreadPanel chat={chat} ownUserId={ownUserId} isShut={!!accessProblem || !!refusal} />
        )}
        {isPinsOpen && <PinsPanel chat={chat} ownUserId={ownUserId} />}
      </div>
    </section>
  );
}
