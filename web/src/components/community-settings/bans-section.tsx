/**
 * Community settings > Bans (BAN_MEMBERS), as Discord's: everyone banned, newest first,
 * with the reason, when and by whom; lifting a ban asks first and says what it allows.
 */
import { useModel } from "@preact/signals";
import { BansModel, type Bans } from "../../models/bans.ts";
import type { BanView } from "../../../../protocol/moderation.ts";
import { Avatar } from "../avatar.tsx";
import { FormError } from "../form-error.tsx";
import { sentence } from "../sentence.ts";
import { dateTimeInWords } from "../time-words.ts";
import { useFocusOnMount } from "../use-focus-on-mount.ts";
import type { CommunitySettingsProps } from "./community-settings-page.tsx";
import "./bans-section.css";

export function BansSection({ session, communityId, community, events }: CommunitySettingsProps) {
  const bans = useModel(() => new BansModel(session, communityId, events));
  const list = bans.bans.value;
  const communityName = community.community.value?.name ?? "this community";

  return (
    <section class="bans-section" aria-labelledby="bans-heading">
      <h2 id="bans-heading" class="visually-hidden">
        Banned people
      </h2>
      <p class="hint">
        Banned people cannot join {communityName} again, even with an invite, until their ban is lifted. Ban someone
        from their menu in the member list or on their profile card.
      </p>
      {bans.loadError.value && (
        <p class="error" role="alert">
          {sentence(bans.loadError.value)}
        </p>
      )}
      {list === null && !bans.loadError.value && <p class="hint">Loading the bans…</p>}
      {list?.length === 0 && <p class="placeholder">Nobody is banned from {communityName}.</p>}
      {list && list.length > 0 && (
        <ul class="ban-list" aria-label={`Bans (${list.length})`}>
          {list.map((ban) => (
            <BanRow key={ban.userId} ban={ban} bans={bans} communityName={communityName} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BanRow({ ban, bans, communityName }: { ban: BanView; bans: Bans; communityName: string }) {
  const name = ban.displayName || ban.username;
  const isConfirming = bans.confirming.value === ban.userId;
  return (
    <li class="ban-row">
      <Avatar name={name} id={ban.userId} url={null} isDecorative />
      <div class="ban-details">
        <p class="ban-name">
          {name}
          {name !== ban.username && <span class="hint"> ({ban.username})</span>}
        </p>
        <p class="ban-reason">{ban.reason ? `Reason: ${ban.reason}` : "No reason given."}</p>
        <p class="hint ban-when">
          Banned {dateTimeInWords(ban.createdAt)}
          {ban.bannedByName && ` by ${ban.bannedByName}`}
        </p>
        {isConfirming && <UnbanConfirmation ban={ban} bans={bans} name={name} communityName={communityName} />}
      </div>
      {!isConfirming && (
        <button type="button" class="small" onClick={() => bans.confirm(ban.userId)}>
          Unban<span class="visually-hidden"> {name}</span>
        </button>
      )}
    </li>
  );
}

function UnbanConfirmation({
  ban,
  bans,
  name,
  communityName,
}: {
  ban: BanView;
  bans: Bans;
  name: string;
  communityName: string;
}) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  const errorId = `unban-error-${ban.userId}`;
  return (
    <div
      class="unban-confirmation"
      role="group"
      aria-label={`Lift the ban on ${name}`}
      data-closes-on-escape
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        bans.cancel();
      }}
    >
      <p>
        Lift the ban on {name}? They can join {communityName} again with an invite; nothing else comes back (their roles
        are gone).
      </p>
      <FormError id={errorId} error={bans.unbanning.error.value} />
      <div class="button-row">
        <button
          type="button"
          class="small danger"
          ref={confirm}
          disabled={bans.unbanning.isBusy.value}
          aria-describedby={bans.unbanning.error.value ? errorId : undefined}
          onClick={() => void bans.unban(ban.userId)}
        >
          Unban {name}
        </button>
        <button type="button" class="small" onClick={() => bans.cancel()}>
          Keep the ban
        </button>
      </div>
    </div>
  );
}
