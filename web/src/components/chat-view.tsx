/** One open channel: its name and connection, the messages, and the composer. */
import { useModel } from "@preact/signals";
import type { Channels } from "../models/channels.ts";
import { ChatModel } from "../models/chat.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { Composer } from "./composer.tsx";
import { ConnectionStatus } from "./connection-status.tsx";
import { MessageList } from "./message-list.tsx";
import { sentence } from "./sentence.ts";

interface ChatViewProps {
  channelId: string;
  session: Session;
  channels: Channels;
  router: Router;
}

export function ChatView({ channelId, session, channels, router }: ChatViewProps) {
  // The parent keys this view by channel, so each channel gets its own model and socket.
  const chat = useModel(() => new ChatModel(channelId, session));
  const channel = channels.channels.value.find((known) => known.id === channelId);
  const title = channel ? `#${channel.name}` : "Channel";
  const problem = chat.problem.value;

  return (
    <section class="chat" aria-labelledby="chat-heading">
      <header class="chat-header">
        <AppLink href="/" router={router} class="back-link">
          ← Channels
        </AppLink>
        <h2 id="chat-heading">{title}</h2>
        <ConnectionStatus status={chat.status.value} />
      </header>
      {problem && (
        <p class="error chat-problem" role="alert">
          {sentence(problem)}
        </p>
      )}
      <MessageList chat={chat} title={title} />
      <Composer chat={chat} title={title} />
    </section>
  );
}
