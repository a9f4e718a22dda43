/**
 * The calls ringing for this person, over whatever page they are on: who calls,
 * voice or video, and Accept (joins and opens the conversation) or Decline. A call
 * leaves the bar as soon as it stops ringing here (answered on another device,
 * declined, missed, or the caller hung up).
 */
import type { IncomingCalls } from "../../models/calls/incoming-calls.ts";

export function IncomingCallBar({ incoming }: { incoming: IncomingCalls }) {
  const ringing = incoming.ringing.value;
  if (ringing.length === 0) return null;
  return (
    <div class="incoming-calls">
      {ringing.map((call) => {
        const headingId = `incoming-call-${call.callId}`;
        return (
          <section key={call.callId} class="incoming-call" role="alertdialog" aria-labelledby={headingId}>
            <span class="incoming-call-icon" aria-hidden="true">
              {call.isVideo ? "🎥" : "📞"}
            </span>
            <div class="incoming-call-words">
              <h2 id={headingId}>Incoming call from {call.callerName}</h2>
              <p>{[call.isVideo ? "Video call" : "Voice call", call.groupName].filter(Boolean).join(" · ")}</p>
            </div>
            <button type="button" class="primary" onClick={() => incoming.accept(call)}>
              Accept
            </button>
            <button type="button" class="danger" onClick={() => void incoming.decline(call)}>
              Decline
            </button>
          </section>
        );
      })}
    </div>
  );
}
