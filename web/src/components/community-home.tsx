/**
 * A community with no channel open: its banner, icon and name, what it is, what to do
 * next, and for those who may manage it, the way to its settings (where its pictures are).
 */
import type { CommunityView } from "../../../protocol/index.ts";
import type { Community } from "../models/community.ts";
import { communitySettingsPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";

interface CommunityHomeProps {
  community: Community | null;
  router: Router;
  /** Unused since the pictures moved to the community's settings (overview-section.tsx). */
  session?: Session;
  onChange?(community: CommunityView): void;
}

export function CommunityHome({ community, router }: CommunityHomeProps) {
  const view = community?.community.value;
  if (community?.isGone.value) {
    return (
      <section class="pane">
        <p class="placeholder">You are not a member of this community, or it no longer exists.</p>
      </section>
    );
  }
  const canManage = community?.myPermissions.value.some(
    (name) => name === "MANAGE_COMMUNITY" || name === "ADMINISTRATOR",
  );
  return (
    <section class="pane community-home" aria-labelledby="community-home-heading">
      <AppLink href="/" router={router} class="back-link">
        ← Communities
      </AppLink>
      {view?.bannerUrl && <img class="community-banner" src={view.bannerUrl} alt="" />}
      <div class="community-title">
        {view && <Avatar name={view.name} id={view.id} url={view.iconUrl} size="huge" shape="square" isDecorative />}
        <h2 id="community-home-heading">{view?.name ?? "Community"}</h2>
      </div>
      {view?.description && <p>{view.description}</p>}
      <p class="placeholder">Choose a channel to start reading.</p>
      {view && canManage && (
        <p>
          Change its name, description, icon and banner in the{" "}
          <AppLink href={communitySettingsPath(view.id)} router={router}>
            community settings
          </AppLink>
          .
        </p>
      )}
    </section>
  );
}
