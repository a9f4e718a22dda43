/**
 * The profile card (components open it through models/profile-card.ts), as Discord's
 * profile popout: picture and presence, display name, username, pronouns, custom
 * status, bio, since when they are here and their roles, then Message, Block and the
 * moderation the viewer may take. A dialog beside what was clicked (a sheet from the
 * bottom on a phone); Esc, a click outside or Close shuts it and focus goes back.
 */
import { useEffect, useRef } from "preact/hooks";
import { useModel, useSignal } from "@preact/signals";
import type { AccountEvents } from "../../models/account-events.ts";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import {
  openDirectMessage,
  profileCard,
  ProfileDetailsModel,
  type ProfileCardTarget,
} from "../../models/profile-card.ts";
import { roleColours } from "../../models/role-colours.ts";
import { settingsPath, type Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { AppLink } from "../app-link.tsx";
import { Avatar } from "../avatar.tsx";
import { FormError } from "../form-error.tsx";
import { PresenceDot, presenceInWords } from "../presence-dot.tsx";
import { MemberRolesEditor } from "../roles/member-roles-editor.tsx";
import { sentence } from "../sentence.ts";
import { BlockButton } from "./block-button.tsx";
import { MemberMenu } from "./member-menu.tsx";
import { placeBeside } from "./place-beside.ts";
import { timeoutInWords } from "./timeout-words.ts";
import "./profile-card.css";

export interface ProfileCardLayerProps {
  session: Session;
  router: Router;
  communities: Communities;
  /** The open community's model, when the card was opened inside it. */
  community: Community | null;
  conversations: DirectMessages;
  events: AccountEvents;
}

export function ProfileCardLayer(props: ProfileCardLayerProps) {
  const target = profileCard.target.value;
  if (!target) return null;
  // Keyed by person: another name clicked while a card is open starts a fresh card.
  return <ProfileCard key={`${target.userId}:${target.communityId ?? ""}`} target={target} {...props} />;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateInWords = (iso: string) => dateFormat.format(new Date(iso));

function ProfileCard({
  target,
  session,
  router,
  community,
  events,
}: ProfileCardLayerProps & { target: ProfileCardTarget }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const details = useModel(() => new ProfileDetailsModel(session, target.userId));
  const messaging = useSignal<string | null>(null);
  const isBackdropPress = useRef(false);
  const { userId } = target;
  // Roles and moderation only in the community it was opened in (the workspace's open one).
  const here = community && community.community.value?.id === target.communityId ? community : null;
  const member = here?.members.value.find((candidate) => candidate.userId === userId) ?? null;
  const profile = details.profile.value;
  const isSelf = session.user.value?.id === userId;
  const username = profile?.username ?? member?.username ?? target.fallbackName;
  const shownName = profile?.displayName || member?.displayName || username;
  const pronouns = profile?.pronouns ?? member?.pronouns ?? null;
  const status = profile?.customStatus ?? member?.customStatus ?? null;
  const avatarUrl = profile?.avatarUrl ?? member?.avatarUrl ?? null;
  const presence = events.statuses.value.get(userId) ?? "offline";
  const nameColour = here ? roleColours.nameColour(userId) : null;
  const isTimedOut = member?.timedOutUntil ? Date.parse(member.timedOutUntil) > Date.now() : false;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    placeBeside(element, target.anchor);
    const anchor = target.anchor;
    return () => {
      element.close();
      // Back to what opened it, if it is still on the page.
      if (anchor?.isConnected) anchor.focus();
    };
  }, []);

  const message = async () => {
    messaging.value = await openDirectMessage(session, router, userId);
  };

  return (
    <dialog
      ref={dialog}
      class="profile-card"
      aria-labelledby="profile-card-name"
      onCancel={(event) => {
        event.preventDefault();
        profileCard.close();
      }}
      // A click on the backdrop lands on the dialog itself: only a press begun there closes it.
      onPointerDown={(event) => (isBackdropPress.current = event.target === dialog.current)}
      onClick={(event) => event.target === dialog.current && isBackdropPress.current && profileCard.close()}
    >
      <div class="profile-card-banner" aria-hidden="true" />
      <div class="profile-card-body">
        <div class="profile-card-top">
          <span class="avatar-with-status profile-card-avatar">
            <Avatar name={shownName} id={userId} url={avatarUrl} size="huge" isDecorative />
            <PresenceDot status={presence} isDescribedElsewhere />
          </span>
          <button type="button" class="icon-button profile-card-close" onClick={() => profileCard.close()}>
            <span aria-hidden="true">×</span>
            <span class="visually-hidden">Close {shownName}’s profile</span>
          </button>
        </div>
        <h2 id="profile-card-name" class="profile-card-name" style={nameColour ? { color: nameColour } : undefined}>
          {shownName}
        </h2>
        <p class="profile-card-handle">
          <span>{username}</span>
          {pronouns && <span class="profile-card-pronouns"> · {pronouns}</span>}
        </p>
        <p class="profile-card-presence">{sentence(presenceInWords(presence))}</p>
        {status && (
          <p class="profile-card-status">
            {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
            {status.text}
          </p>
        )}
        <FormError id="profile-card-error" error={details.loadError.value} />
        {profile?.bio && (
          <section class="profile-card-section" aria-labelledby="profile-card-about">
            <h3 id="profile-card-about">About me</h3>
            <p class="profile-card-bio">{profile.bio}</p>
          </section>
        )}
        <section class="profile-card-section" aria-labelledby="profile-card-since">
          <h3 id="profile-card-since">Member since</h3>
          <dl class="profile-card-dates">
            {profile && (
              <>
                <dt>Chatalot</dt>
                <dd>{dateInWords(profile.createdAt)}</dd>
              </>
            )}
            {member && here && (
              <>
                <dt>{here.community.value?.name ?? "This community"}</dt>
                <dd>{dateInWords(member.joinedAt)}</dd>
              </>
            )}
          </dl>
        </section>
        {here && member && (
          <section class="profile-card-section" aria-labelledby="profile-card-roles">
            <h3 id="profile-card-roles">Roles</h3>
            <MemberRolesEditor session={session} community={here} userId={userId} />
          </section>
        )}
        {isTimedOut && member?.timedOutUntil && (
          <p class="profile-card-timeout" role="note">
            {/* Not through sentence(): a name keeps the case its owner chose. */}
            {`${timeoutInWords(isSelf ? "You are" : `${shownName} is`, member.timedOutUntil, member.timeoutReason)}.`}
          </p>
        )}
        <div class="profile-card-actions">
          {isSelf ? (
            <AppLink href={settingsPath("profile")} router={router} class="button">
              Edit profile
            </AppLink>
          ) : (
            <>
              <button type="button" class="primary" onClick={() => void message()}>
                Message<span class="visually-hidden"> {shownName}</span>
              </button>
              <BlockButton session={session} userId={userId} name={shownName} />
            </>
          )}
          {here && member && !isSelf && (
            <MemberMenu session={session} router={router} community={here} userId={userId} name={shownName} isInCard />
          )}
        </div>
        <FormError id="profile-card-message-error" error={messaging.value} />
      </div>
    </dialog>
  );
}
