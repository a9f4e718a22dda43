/**
 * The panel at the right of a community's channel, as Discord's member list: who is
 * in the community and whether they are around, each with a button that opens a
 * direct conversation with them.
 */
import type { AccountEvents } from "../models/account-events.ts";
import type { Community } from "../models/community.ts";
import type { DirectMessages } from "../models/direct-messages.ts";
import { dmPath, type Router } from "../models/router.ts";
import { Avatar } from "./avatar.tsx";
import { FormError } from "./form-error.tsx";
import { CustomStatus } from "./people/custom-status.tsx";
import { PersonName } from "./people/person-name.tsx";
import { PresenceDot } from "./presence-dot.tsx";
import { dateTimeInWords } from "./time-words.ts";

interface MemberListProps {
  community: Community;
  conversations: DirectMessages;
  events: AccountEvents;
  router: Router;
  ownUserId: string;
}

export function MemberList({ community, conversations, events, router, ownUserId }: MemberListProps) {
  const members = community.members.value;
  const statuses = events.statuses.value;
  const ownerId = community.community.value?.ownerId;
  const now = Date.now();

  const message = async (userId: string) => {
    const channel = await conversations.open([userId]);
    if (channel) router.navigate(dmPath(channel.id));
  };

  return (
    <section class="member-panel" aria-labelledby="members-heading">
      <h2 id="members-heading" class="list-heading">
        Members ({members.length})
      </h2>
      <FormError id="open-dm-error" error={conversations.opening.error.value} />
      <ul class="member-list" aria-labelledby="members-heading">
        {members.map((member) => {
          const isTimedOut = member.timedOutUntil !== null && Date.parse(member.timedOutUntil) > now;
          return (
            <li key={member.userId} class="member">
              <span class="avatar-with-status">
                <Avatar name={member.username} id={member.userId} url={member.avatarUrl} />
                <PresenceDot status={statuses.get(member.userId) ?? "offline"} />
              </span>
              <span class="member-name">
                <PersonName userId={member.userId} fallback={member.username} />
                {member.userId === ownUserId && <span class="hint"> (you)</span>}
                <CustomStatus userId={member.userId} />
              </span>
              {member.userId === ownerId && <span class="tag">owner</span>}
              {isTimedOut && (
                <span class="tag" title={`Timed out until ${dateTimeInWords(member.timedOutUntil!)}`}>
                  timed out
                </span>
              )}
              {member.userId !== ownUserId && (
                <button
                  type="button"
                  class="small member-message"
                  onClick={() => void message(member.userId)}
                  disabled={conversations.opening.isBusy.value}
                >
                  Message<span class="visually-hidden"> {member.username}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
