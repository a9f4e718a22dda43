/**
 * Community settings > Members, as Discord's: every member with their roles, found by
 * name, each with their roles' editor (roles/member-roles-editor.tsx) and the member's
 * menu (profile, message, time out, kick, ban: people/member-menu.tsx).
 */
import { useSignal } from "@preact/signals";
import { profiles } from "../../models/profiles.ts";
import { Avatar } from "../avatar.tsx";
import { MemberMenu } from "../people/member-menu.tsx";
import { MemberRolesEditor } from "../roles/member-roles-editor.tsx";
import "../roles/roles.css";
import { dateTimeInWords } from "../time-words.ts";
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function MembersSection({ session, router, community }: CommunitySettingsProps) {
  const search = useSignal("");
  const members = community.members.value;
  const wanted = search.value.trim().toLowerCase();
  const nameOf = (member: (typeof members)[number]) => profiles.nameOf(member.userId, member.username);
  const shown = members
    .filter(
      (member) =>
        !wanted || member.username.toLowerCase().includes(wanted) || nameOf(member).toLowerCase().includes(wanted),
    )
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const ownerId = community.community.value?.ownerId;

  return (
    <section class="card members-card" aria-labelledby="members-section-heading">
      <h2 id="members-section-heading">Members — {members.length}</h2>
      <label for="member-search">Search members by name</label>
      <input
        id="member-search"
        type="search"
        value={search.value}
        onInput={(event) => (search.value = event.currentTarget.value)}
        autoComplete="off"
      />
      <p class="hint" aria-live="polite">
        {wanted ? `${shown.length} of ${members.length} members match.` : ""}
      </p>
      <ul class="members-table" aria-label="Members">
        {shown.map((member) => {
          const name = nameOf(member);
          return (
            <li key={member.userId} class="members-row">
              <Avatar name={member.username} id={member.userId} url={member.avatarUrl} />
              <div class="members-row-who">
                <span class="members-row-name">
                  {name}
                  {member.userId === ownerId && <span class="tag">owner</span>}
                </span>
                <span class="hint">
                  {member.username} · joined {dateTimeInWords(member.joinedAt)}
                </span>
              </div>
              <MemberRolesEditor session={session} community={community} userId={member.userId} />
              <MemberMenu session={session} router={router} community={community} userId={member.userId} name={name} />
            </li>
          );
        })}
      </ul>
      {shown.length === 0 && <p class="placeholder">No member is called that.</p>}
    </section>
  );
}
