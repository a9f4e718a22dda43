/** A voice channel, opened: calls are not in this version yet, so there is nothing to show but that. */
import type { ChannelView } from "../../../protocol/index.ts";
import type { Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";

interface VoiceChannelNoticeProps {
  channel: ChannelView;
  router: Router;
  back: { href: string; label: string };
}

export function VoiceChannelNotice({ channel, router, back }: VoiceChannelNoticeProps) {
  return (
    <section class="pane" aria-labelledby="voice-heading">
      <AppLink href={back.href} router={router} class="back-link">
        ← {back.label}
      </AppLink>
      <h2 id="voice-heading">{channel.name} (voice)</h2>
      <p class="placeholder">Voice and video calls are not available in this version of Chatalot yet.</p>
    </section>
  );
}
