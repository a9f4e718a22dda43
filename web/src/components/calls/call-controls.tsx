/** The buttons of a call: mute, deafen, camera, screen, settings and leave; each says whether it is on. */
import type { ActiveCall, Calls } from "../../models/calls/calls.ts";

interface CallControlsProps {
  calls: Calls;
  call: ActiveCall;
  /** The settings panel's toggle, where there is room for one (not in the sidebar bar). */
  settings?: { isOpen: boolean; toggle(): void };
  isCompact?: boolean;
}

export function CallControls({ calls, call, settings, isCompact }: CallControlsProps) {
  const isServerMuted = call.isServerMuted.value;
  const canSpeak = call.canSpeak.value && !isServerMuted;
  const small = isCompact ? "small" : undefined;
  return (
    <div class="call-controls" role="group" aria-label="Call controls">
      <button
        type="button"
        class={small}
        aria-pressed={call.muted.value}
        disabled={!canSpeak}
        title={isServerMuted ? "A moderator muted you, or you may not speak here" : undefined}
        onClick={() => call.setMuted(!call.muted.value)}
      >
        {call.muted.value ? "Unmute" : "Mute"}
      </button>
      <button
        type="button"
        class={small}
        aria-pressed={call.deafened.value}
        onClick={() => call.setDeafened(!call.deafened.value)}
      >
        {call.deafened.value ? "Undeafen" : "Deafen"}
      </button>
      {!isCompact && (
        <>
          <button
            type="button"
            aria-pressed={call.camera.value}
            disabled={!call.canVideo.value}
            onClick={() => void call.setCamera(!call.camera.value)}
          >
            {call.camera.value ? "Turn camera off" : "Turn camera on"}
          </button>
          <button
            type="button"
            aria-pressed={call.screen.value}
            disabled={!call.canVideo.value}
            onClick={() => void call.setScreen(!call.screen.value)}
          >
            {call.screen.value ? "Stop sharing" : "Share screen"}
          </button>
        </>
      )}
      {settings && (
        <button type="button" aria-expanded={settings.isOpen} onClick={settings.toggle}>
          Call settings
        </button>
      )}
      <button type="button" class={isCompact ? "small danger" : "danger"} onClick={() => calls.leave()}>
        Leave call
      </button>
    </div>
  );
}
