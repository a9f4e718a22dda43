/**
 * A voice channel, opened: who is in its call and the buttons to join it, or the call
 * itself when the page is in it; whether the call's media is end-to-end encrypted, in
 * the channel header's words; and below, the channel's own text chat.
 */
import { useSignal } from "@preact/signals";
import type { ComponentProps } from "preact";
import type { ChannelView } from "../../../../protocol/index.ts";
import type { Calls } from "../../models/calls/calls.ts";
import type { Router } from "../../models/router.ts";
import { AppLink } from "../app-link.tsx";
import { ChatView } from "../chat-view.tsx";
import { sentence } from "../sentence.ts";
import { CallSettingsPanel } from "./call-settings-panel.tsx";
import { CallStage } from "./call-stage.tsx";

const ENCRYPTION_WORDS = {
  "end-to-end": "End-to-end encrypted",
  "not end-to-end": "Not end-to-end encrypted",
  "keys missing": "End-to-end encrypted, waiting for the keys",
} as const;

interface VoiceChannelViewProps {
  channel: ChannelView;
  calls: Calls;
  router: Router;
  back: { href: string; label: string };
  nameOf(userId: string): string;
  chat: ComponentProps<typeof ChatView>;
}

export function VoiceChannelView({ channel, calls, router, back, nameOf, chat }: VoiceChannelViewProps) {
  const current = calls.current.value;
  const call = current?.channelId === channel.id ? current : null;
  const summary = calls.summaries.value.get(channel.id) ?? null;
  const isJoining = calls.joining.value === channel.id;
  const problem = calls.problem.value?.channelId === channel.id ? calls.problem.value.message : null;
  const canConnect = channel.myPermissions.includes("CONNECT");
  const canVideo = channel.myPermissions.includes("VIDEO");
  const encryption = call?.encryption.value;
  const isSettingsOpen = useSignal(false);

  return (
    <div class="voice-channel">
      <section class="voice-stage" aria-labelledby="voice-heading">
        <header class="voice-header">
          <AppLink href={back.href} router={router} class="back-link">
            ← {back.label}
          </AppLink>
          <h2 id="voice-heading">{channel.name}</h2>
          <span class="tag">voice</span>
          {encryption && (
            <span class={encryption === "not end-to-end" ? "tag is-unencrypted" : "tag is-encrypted"}>
              {ENCRYPTION_WORDS[encryption]}
            </span>
          )}
        </header>
        {call ? (
          <CallStage calls={calls} call={call} nameOf={nameOf} />
        ) : (
          <div class="voice-lobby">
            <p>
              {summary && summary.participants.length > 0
                ? `In the call: ${summary.participants.map((person) => nameOf(person.userId)).join(", ")}.`
                : "Nobody is in this voice channel yet."}
            </p>
            {canConnect ? (
              <div class="call-controls">
                <button
                  type="button"
                  class="primary"
                  disabled={isJoining}
                  onClick={() => void calls.join(channel.id, { video: false, title: channel.name })}
                >
                  {isJoining ? "Joining…" : "Join voice"}
                </button>
                {canVideo && (
                  <button
                    type="button"
                    disabled={isJoining}
                    onClick={() => void calls.join(channel.id, { video: true, title: channel.name })}
                  >
                    Join with video
                  </button>
                )}
                <button
                  type="button"
                  aria-expanded={isSettingsOpen.value}
                  onClick={() => (isSettingsOpen.value = !isSettingsOpen.value)}
                >
                  Call settings
                </button>
              </div>
            ) : (
              <p class="hint">You may read this channel but not join its call (you lack the Connect permission).</p>
            )}
            {isSettingsOpen.value && <CallSettingsPanel calls={calls} call={null} />}
            {current && !call && <p class="hint">Joining leaves your call in another channel.</p>}
          </div>
        )}
        {problem && (
          <p class="error" role="alert">
            {sentence(problem)}{" "}
            <button type="button" class="link-button" onClick={() => calls.dismissProblem()}>
              Dismiss
            </button>
          </p>
        )}
      </section>
      <ChatView {...chat} />
    </div>
  );
}
