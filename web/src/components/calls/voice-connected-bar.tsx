/** At the foot of the sidebar while the page is in a call anywhere: where, how it is going, mute, deafen, leave. */
import type { Calls } from "../../models/calls/calls.ts";
import { channelPath, dmPath, type Router } from "../../models/router.ts";
import { AppLink } from "../app-link.tsx";
import { CallControls } from "./call-controls.tsx";

const STATUS_WORDS = { connecting: "Connecting", connected: "Voice connected", reconnecting: "Reconnecting" } as const;

export function VoiceConnectedBar({ calls, router }: { calls: Calls; router: Router }) {
  const call = calls.current.value;
  if (!call) return null;
  const summary = calls.summaries.value.get(call.channelId);
  const href = summary?.communityId ? channelPath(summary.communityId, call.channelId) : dmPath(call.channelId);
  return (
    <section class={`voice-connected is-${call.status.value}`} aria-label="Your call">
      <p>
        <strong>{STATUS_WORDS[call.status.value]}</strong> ·{" "}
        <AppLink href={href} router={router}>
          {call.title || "the call"}
        </AppLink>
      </p>
      <CallControls calls={calls} call={call} isCompact />
    </section>
  );
}
