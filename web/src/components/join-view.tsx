/**
 * /join/<code> for a signed-in user: the community the invite leads to (its icon, name
 * and how many are in it, from GET /api/community-invites/:code) while the invite is
 * accepted, or why it was not.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { CommunityInvitePreview } from "../../../protocol/index.ts";
import type { Communities } from "../models/communities.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { sentence } from "./sentence.ts";

interface JoinViewProps {
  communities: Communities;
  router: Router;
  session: Session;
  code: string;
}

export function JoinView({ communities, router, session, code }: JoinViewProps) {
  const error = communities.joining.error.value;
  const preview = useSignal<CommunityInvitePreview | null>(null);
  useEffect(() => {
    let isCurrent = true;
    session
      .request<CommunityInvitePreview>(`/api/community-invites/${encodeURIComponent(code)}`)
      .then((answer) => isCurrent && (preview.value = answer))
      // Unknown or used up: the accept says so in words, below.
      .catch(() => undefined);
    return () => void (isCurrent = false);
  }, [code]);
  const community = preview.value?.community;
  const count = preview.value?.memberCount ?? 0;

  return (
    <section class="pane join-view" aria-labelledby="join-heading">
      <AppLink href="/" router={router} class="back-link">
        ← Communities
      </AppLink>
      <div class="join-card">
        {community && (
          <Avatar
            name={community.name}
            id={community.id}
            url={community.iconUrl}
            size="huge"
            shape="square"
            isDecorative
          />
        )}
        <p class="hint">You have been invited to join</p>
        <h2 id="join-heading">{community ? community.name : "a community"}</h2>
        {community && (
          <p class="hint">
            {count} {count === 1 ? "member" : "members"}
          </p>
        )}
        {error ? (
          <>
            <p class="error" role="alert">
              {sentence(error)}
            </p>
            <div class="button-row">
              <button type="button" onClick={() => communities.retryJoin()} disabled={communities.joining.isBusy.value}>
                Try again
              </button>
              <AppLink href="/" router={router} class="button">
                Back to your communities
              </AppLink>
            </div>
          </>
        ) : (
          <p class="placeholder" role="status">
            {community ? `Joining ${community.name}…` : "Accepting the invite…"}
          </p>
        )}
      </div>
    </section>
  );
}
