/**
 * One person in the call: their camera or screen (or their initial), their name,
 * whether they are muted, deafened or reconnecting, a ring while they speak, the
 * connection's quality, and for others a menu with their volume (and, for moderators,
 * muting them for everyone or disconnecting them). Clicking the picture focuses the tile.
 */
import type { ActiveCall, CallParticipant } from "../../models/calls/calls.ts";
import { CallVideo } from "./call-video.tsx";

const QUALITY_WORDS = { good: "good", fair: "fair", poor: "poor" } as const;

interface CallTileProps {
  call: ActiveCall;
  participant: CallParticipant;
  name: string;
  isFocused: boolean;
}

export function CallTile({ call, participant, name, isFocused }: CallTileProps) {
  const shown = participant.isSelf ? `${name} (you)` : name;
  const stream = participant.screenStream ?? participant.cameraStream;
  const classes = ["call-tile", participant.speaking ? "is-speaking" : "", isFocused ? "is-focused" : ""];
  const states = [
    participant.speaking && "speaking",
    participant.isServerMuted ? "muted by a moderator" : participant.muted && "muted",
    participant.deafened && "deafened",
    participant.isReconnecting && "reconnecting",
    participant.screen && "sharing their screen",
  ].filter(Boolean);
  return (
    <li class={classes.filter(Boolean).join(" ")} aria-label={[shown, ...states].join(", ")}>
      <button
        type="button"
        class="call-tile-focus"
        aria-pressed={isFocused}
        onClick={() => call.focus(participant.participantId)}
      >
        {stream && !participant.isVideoPaused ? (
          <CallVideo
            stream={stream}
            label={participant.screenStream ? `${shown}’s screen` : `${shown}’s camera`}
            isMirrored={participant.isSelf && !participant.screenStream}
          />
        ) : (
          <span class="call-avatar" aria-hidden="true">
            {name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <span class="visually-hidden">{isFocused ? "Show all tiles" : `Focus ${shown}`}</span>
      </button>
      <p class="call-tile-name">
        <span>{shown}</span>
        {participant.isServerMuted || participant.muted ? <span class="tag">muted</span> : null}
        {participant.deafened && <span class="tag">deafened</span>}
        {participant.isReconnecting && <span class="tag">reconnecting</span>}
        {participant.isVideoPaused && <span class="tag">video paused</span>}
        {participant.quality && (
          <span
            class={`call-quality is-${participant.quality}`}
            title="Connection quality, from round-trip time and loss"
          >
            <span class="visually-hidden">connection </span>
            {QUALITY_WORDS[participant.quality]}
          </span>
        )}
      </p>
      {!participant.isSelf && (
        <details class="call-tile-menu">
          <summary aria-label={`Options for ${name}`}>⋯</summary>
          <label class="call-volume">
            Volume for {name}
            <input
              type="range"
              min="0"
              max="100"
              value={Math.round(participant.volume * 100)}
              onInput={(event) => call.setVolume(participant.participantId, Number(event.currentTarget.value) / 100)}
            />
          </label>
          {call.canModerate.value && (
            <div class="call-moderation">
              <button type="button" class="small" onClick={() => call.moderate(participant.participantId, "mute")}>
                Mute for everyone
              </button>
              <button
                type="button"
                class="small danger"
                onClick={() => call.moderate(participant.participantId, "disconnect")}
              >
                Disconnect
              </button>
            </div>
          )}
        </details>
      )}
    </li>
  );
}
