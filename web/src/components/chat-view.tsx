/**
 * One open channel or conversation: its name and connection, the messages, and
 * the composer, or why the user can no longer see it.
 */
import { useModel } from "@preact/signals";
import type { ChannelView } from "../../../protocol/index.ts";
import { ChatModel } from "../models/chat.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { channelTitle, sendRefusalInWords, slowModeInWords } from "./channel-words.ts";
import { Composer } from "./composer.tsx";
import { ConnectionStatus } from "./connection-status.tsx";
import { MessageList } from "./message-list.tsx";
import { sentence } from "./sentence.ts";

interface ChatViewProps {
  channelId: string;
  session: Session;
  router: Router;
  /** The channel as the sidebar lists it, if it does. */
  known: ChannelView | null;
  /** Where the narrow layout's back link goes, and what it says. */
  back: { href: string; label: string };
  /** Until when the user is timed out in this channel's community, if they are. */
  timedOutUntil: string | null;
  onAccessChanged: () => void;
}

export function ChatView({ channelId, session, router, known, back, timedOutUntil, onAccessChanged }: ChatViewProps) {
  // The parent keys this view by channel, so each channel gets its own model and socket.
  const chat = useModel(() => new ChatModel(channelId, session, { known, onAccessChanged }));
  const channel = chat.channel.value ?? known;
  const title = channel ? channelTitle(channel, session.user.value?.id ?? "") : "Channel";
  const accessProblem = chat.accessProblem.value;
  const problem = chat.problem.value;
  const refusal = chat.canSend.value ? null : sendRefusalInWords(channel, timedOutUntil);
  const hint = channel && channel.slowModeSeconds > 0 ? slowModeInWords(channel.slowModeSeconds) : null;

  return (
    <section class="chat" aria-labelledby="chat-heading">
      <header class="chat-header">
        <AppLink href={back.href} router={router} class="back-link">
          ← {back.label}
        </AppLink>
        <h2 id="chat-heading">{title}</h2>
        {channel?.isArchived && <span class="tag">archived</span>}
        <ConnectionStatus status={chat.status.value} />
        {channel?.topic && <p class="chat-topic">{channel.topic}</p>}
      </header>
      {accessProblem ? (
        <p class="notice chat-notice" role="alert">
          {sentence(accessProblem)}
        </p>
      ) : (
        problem && (
          <p class="error chat-problem" role="alert">
            {sentence(problem)}
          </p>
        )
      )}
      <MessageList chat={chat} title={title} />
      {!accessProblem && <Composer chat={chat} title={title} refusal={refusal} hint={hint} />}
    </section>
  );
}
