/** A person's presence as a coloured dot, in words for screen readers. */
import type { ShownStatus } from "../../../protocol/index.ts";

const WORDS: Record<ShownStatus, string> = {
  online: "online",
  idle: "idle",
  dnd: "do not disturb",
  offline: "offline",
};

export const presenceInWords = (status: ShownStatus) => WORDS[status];

/** `isDescribedElsewhere`: the words are in an aria-describedby text, so the dot itself is hidden. */
export function PresenceDot({
  status,
  isDescribedElsewhere = false,
}: {
  status: ShownStatus;
  isDescribedElsewhere?: boolean;
}) {
  return isDescribedElsewhere ? (
    <span class={`presence-dot is-${status}`} aria-hidden="true" />
  ) : (
    <span class={`presence-dot is-${status}`} role="img" aria-label={WORDS[status]} title={WORDS[status]} />
  );
}
