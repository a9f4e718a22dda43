/**
 * A change of who can read an encrypted channel, as its commit made it: a line in
 * the timeline ("alice added a device of bob"), so nobody joins a group unseen —
 * not even a device the server slipped in. It comes from the group's own tree,
 * not from what the server says.
 */
import type { RosterChange } from "../../../e2ee/index.ts";
import type { Person } from "../models/mentions.ts";

export function RosterChangeLine({ change, people }: { change: RosterChange; people: readonly Person[] }) {
  const nameOf = (userId: string) => people.find((person) => person.userId === userId)?.username ?? "someone unknown";
  const describe = (entries: RosterChange["added"]) => {
    const byUser = new Map<string, number>();
    for (const entry of entries) byUser.set(entry.userId, (byUser.get(entry.userId) ?? 0) + 1);
    return [...byUser]
      .map(([userId, devices]) => `${nameOf(userId)}${devices > 1 ? ` (${devices} devices)` : ""}`)
      .join(", ");
  };
  const parts = [
    change.added.length > 0 && `${describe(change.added)} can now read new messages`,
    change.removed.length > 0 && `${describe(change.removed)} can no longer read new messages`,
  ].filter(Boolean);
  const by = change.by ? ` (by ${nameOf(change.by.userId)})` : "";
  return (
    <li class="roster-change" data-testid="roster-change">
      <span aria-hidden="true">🔑</span> {parts.join("; ")}
      {by}.
    </li>
  );
}
