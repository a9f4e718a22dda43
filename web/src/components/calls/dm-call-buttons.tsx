/**
 * In a DM or group DM's header: start a voice or a video call, or join the one in
 * progress. A conversation that is read-only (a block either way) takes no call: the
 * buttons stay, disabled, and say why. Starting a call is the click from which the
 * browser may ask to show ringing calls as notifications.
 */
import type { Calls } from "../../models/calls/calls.ts";
import { askToNotify } from "../../models/calls/incoming-calls.ts";
import type { Chat } from "../../models/chat.ts";

interface DmCallButtonsProps {
  chat: Chat;
  calls: Calls;
  /** The conversation's name, for the "in a call" bar. */
  title: string;
}

export function DmCallButtons({ chat, calls, title }: DmCallButtonsProps) {
  const channel = chat.channel.value;
  if (!channel || (channel.kind !== "dm" && channel.kind !== "group_dm")) return null;
  if (calls.current.value?.channelId === channel.id) return null; // the call panel has the controls
  const permissions = chat.permissions.value ?? channel.myPermissions;
  const refusal = permissions.includes("CONNECT")
    ? null
    : "No calls here: this conversation is read-only (one of you blocked the other)";
  const videoRefusal = refusal ?? (permissions.includes("VIDEO") ? null : "You may not use your camera here");
  const isJoining = calls.joining.value === channel.id;
  const isInProgress = calls.summaries.value.has(channel.id);
  const start = (video: boolean) => {
    askToNotify();
    void calls.join(channel.id, { video, title });
  };
  return (
    <div class="dm-call-buttons" role="group" aria-label="Call">
      <button
        type="button"
        class={isInProgress ? "small primary" : "small"}
        disabled={refusal !== null || isJoining}
        title={refusal ?? undefined}
        onClick={() => start(false)}
      >
        {isJoining ? "Joining…" : isInProgress ? "Join call" : "Start voice call"}
      </button>
      <button
        type="button"
        class="small"
        disabled={videoRefusal !== null || isJoining}
        title={videoRefusal ?? undefined}
        onClick={() => start(true)}
      >
        {isInProgress ? "Join with video" : "Start video call"}
      </button>
    </div>
  );
}
