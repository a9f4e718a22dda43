/**
 * The call, when the page is in it: the tiles (one large when focused), the
 * controls, the settings, and what went wrong, in words.
 */
import { useSignal } from "@preact/signals";
import type { ActiveCall, Calls } from "../../models/calls/calls.ts";
import { sentence } from "../sentence.ts";
import { CallControls } from "./call-controls.tsx";
import { CallSettingsPanel } from "./call-settings-panel.tsx";
import { CallTile } from "./call-tile.tsx";

const STATUS_WORDS = {
  connecting: "Connecting…",
  connected: "Voice connected",
  reconnecting: "Reconnecting…",
} as const;

interface CallStageProps {
  calls: Calls;
  call: ActiveCall;
  nameOf(userId: string): string;
}

export function CallStage({ calls, call, nameOf }: CallStageProps) {
  const isSettingsOpen = useSignal(false);
  const participants = call.participants.value;
  const focusedId = call.focusedId.value;
  const isFocusing = participants.some((participant) => participant.participantId === focusedId);
  const problem = call.problem.value;
  return (
    <div class="call-stage">
      <p class={`call-status is-${call.status.value}`} role="status">
        {STATUS_WORDS[call.status.value]}
      </p>
      <ul class={isFocusing ? "call-grid is-focusing" : "call-grid"} aria-label="People in the call">
        {participants.map((participant) => (
          <CallTile
            key={participant.participantId}
            call={call}
            participant={participant}
            name={nameOf(participant.userId)}
            isFocused={participant.participantId === focusedId}
          />
        ))}
      </ul>
      {problem && (
        <p class="error" role="alert">
          {sentence(problem)}{" "}
          <button type="button" class="link-button" onClick={() => call.dismissProblem()}>
            Dismiss
          </button>
        </p>
      )}
      <CallControls
        calls={calls}
        call={call}
        settings={{ isOpen: isSettingsOpen.value, toggle: () => (isSettingsOpen.value = !isSettingsOpen.value) }}
      />
      {isSettingsOpen.value && <CallSettingsPanel calls={calls} call={call} />}
    </div>
  );
}
