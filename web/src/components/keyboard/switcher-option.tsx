/**
 * One row of the quick switcher: what it is (# for a channel, a picture for a
 * person), its name, its unread and mention badges, and the community a channel
 * is in, right-aligned as in Discord. Its accessible name says all of that in words.
 */
import type { Destination } from "../../models/quick-switcher-directory.ts";
import { Avatar } from "../avatar.tsx";
import { UnreadBadge, unreadInWords } from "../unread-badge.tsx";

interface SwitcherOptionProps {
  id: string;
  row: Destination;
  isActive: boolean;
  onChoose: () => void;
  onPoint: () => void;
}

const KIND_WORDS: Record<Destination["kind"], string> = {
  channel: "channel",
  voice: "voice channel",
  dm: "direct message",
  group: "group conversation",
  person: "start a conversation",
};

function Icon({ row }: { row: Destination }) {
  if (row.kind === "channel") return <span class="switcher-icon">#</span>;
  if (row.kind === "voice") return <span class="switcher-icon">🔊</span>;
  return (
    <span class="switcher-icon">
      <Avatar name={row.name} id={row.userId ?? row.key} url={row.avatarUrl} size="small" isDecorative />
    </span>
  );
}

export function SwitcherOption({ id, row, isActive, onChoose, onPoint }: SwitcherOptionProps) {
  const count = { unread: row.unread, mentions: row.mentions };
  const words = [KIND_WORDS[row.kind], row.communityName && `in ${row.communityName}`, unreadInWords(count)]
    .filter(Boolean)
    .join(", ");
  const classes = ["switcher-option", isActive && "is-active", row.unread > 0 && "has-unread"].filter(Boolean);
  return (
    <li
      id={id}
      role="option"
      class={classes.join(" ")}
      aria-selected={isActive}
      onClick={onChoose}
      onMouseMove={isActive ? undefined : onPoint}
    >
      <span aria-hidden="true" class="switcher-row">
        <Icon row={row} />
        <span class="switcher-name">{row.name}</span>
        <UnreadBadge count={count} />
        {row.kind === "person" && <span class="switcher-where">Message</span>}
        {row.communityName && <span class="switcher-where">{row.communityName}</span>}
      </span>
      <span class="visually-hidden">
        {row.name}, {words}
      </span>
    </li>
  );
}
