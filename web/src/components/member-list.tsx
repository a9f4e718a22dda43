/**
 * The panel at the right of a community's channel, as Discord's member list: online
 * members grouped under their highest hoisted role ("Moderators — 2"), then "Online",
 * then "Offline", names in their role colour (models/member-groups.ts). A name opens the
 * person's profile card; each row has a button that opens a direct conversation with
 * them and, given the session, the member's menu (people/member-menu.tsx).
 */
import type { MemberView } from "../../../protocol/index.ts";
import type { AccountEvents } from "../models/account-events.ts";
import type { Community } from "../models/community.ts";
import type { DirectMessages } from "../models/direct-messages.ts";
import { groupMembers } from "../models/member-groups.ts";
import { profileCard } from "../models/profile-card.ts";
import { profiles } from "../models/profiles.ts";
import { roleColours } from "../models/role-colours.ts";
import { dmPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { Avatar } from "./avatar.tsx";
import { FormError } from "./form-error.tsx";
import { CustomStatus } from "./people/custom-status.tsx";
import { MemberMenu } from "./people/member-menu.tsx";
import { PersonName } from "./people/person-name.tsx";
import { PresenceDot } from "./presence-dot.tsx";
import { dateTimeInWords } from "./time-words.ts";
import "./roles/roles.css";

interface MemberListProps {
  community: Community;
  conversations: DirectMessages;
  events: AccountEvents;
  router: Router;
  ownUserId: string;
  /** With it, each row offers the member's menu. */
  session?: Session;
}

export function MemberList({ community, conversations, events, router, ownUserId, session }: MemberListProps) {
  const members = community.members.value;
  const statuses = events.statuses.value;
  const groups = groupMembers(
    members,
    community.roles.roles.value,
    (userId) => statuses.get(userId) ?? "offline",
    (member) => profiles.nameOf(member.userId, member.username),
  );

  return (
    <section class="member-panel" aria-labelledby="members-heading">
      <h2 id="members-heading" class="list-heading visually-hidden">
        Members ({members.length})
      </h2>
      <FormError id="open-dm-error" error={conversations.opening.error.value} />
      {groups.map((group) => {
        const headingId = `member-group-${group.key}`;
        return (
          <div key={group.key} class="member-group">
            <h3 id={headingId} class="list-heading member-group-heading">
              {group.title} — {group.members.length}
            </h3>
            <ul class="member-list" aria-labelledby={headingId}>
              {group.members.map((member) => (
                <MemberRow
                  key={member.userId}
                  member={member}
                  isOffline={group.key === "offline"}
                  {...{ community, conversations, events, router, ownUserId, session }}
                />
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function MemberRow(props: MemberListProps & { member: MemberView; isOffline: boolean }) {
  const { member, community, conversations, events, router, ownUserId, session, isOffline } = props;
  const isTimedOut = member.timedOutUntil !== null && Date.parse(member.timedOutUntil) > Date.now();
  const colour = roleColours.nameColour(member.userId);
  const name = profiles.nameOf(member.userId, member.username);
  const message = async () => {
    const channel = await conversations.open([member.userId]);
    if (channel) router.navigate(dmPath(channel.id));
  };

  return (
    <li class={`member${isOffline ? " is-offline" : ""}`}>
      <span class="avatar-with-status">
        <Avatar name={member.username} id={member.userId} url={member.avatarUrl} />
        <PresenceDot status={events.statuses.value.get(member.userId) ?? "offline"} />
      </span>
      <span class="member-name">
        <button
          type="button"
          class="link-button member-name-button"
          style={{ color: colour ?? "" }}
          onClick={(event) =>
            profileCard.open({
              userId: member.userId,
              communityId: community.community.peek()?.id ?? null,
              fallbackName: member.username,
              anchor: event.currentTarget,
            })
          }
        >
          <PersonName userId={member.userId} fallback={member.username} />
        </button>
        {member.userId === ownUserId && <span class="hint"> (you)</span>}
        <CustomStatus userId={member.userId} />
      </span>
      {member.userId === community.community.value?.ownerId && <span class="tag">owner</span>}
      {isTimedOut && (
        <span class="tag" title={`Timed out until ${dateTimeInWords(member.timedOutUntil!)}`}>
          timed out
        </span>
      )}
      {member.userId !== ownUserId && (
        <button
          type="button"
          class="small member-message"
          onClick={() => void message()}
          disabled={conversations.opening.isBusy.value}
        >
          Message<span class="visually-hidden"> {member.username}</span>
        </button>
      )}
      {session && member.userId !== ownUserId && (
        <MemberMenu session={session} router={router} community={community} userId={member.userId} name={name} />
      )}
    </li>
  );
}
