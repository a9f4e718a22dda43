/**
 * A community just created opens at its #general (where its welcome and invite prompt
 * show) once its channels are known, instead of its overview.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Community } from "../../models/community.ts";
import { channelPath, type Router } from "../../models/router.ts";

/** The community the person just created, until its first channel opens. */
export const justCreatedId = signal<string | null>(null);

export function useOpenNewCommunity(community: Community | null, communityId: string | null, router: Router): void {
  const channels = community?.channels.value;
  useEffect(() => {
    if (!communityId || justCreatedId.peek() !== communityId || !channels?.length) return;
    justCreatedId.value = null;
    const first = channels.find((channel) => channel.kind === "text" && channel.name === "general") ?? channels[0]!;
    if (router.route.peek().name === "community") router.replace(channelPath(communityId, first.id));
  }, [communityId, channels]);
}
