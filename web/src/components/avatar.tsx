/**
 * A person's picture (docs/files.md, "Pictures"), or, until they set one, their
 * initials on a colour of their own, chosen from their id so it is the same on every
 * screen and never changes with their name. A community's icon is the same thing in a
 * rounded square. The strict CSP allows no inline styles: colours and sizes are classes.
 */
import { useState } from "preact/hooks";
import "./pictures.css";

export type AvatarSize = "small" | "medium" | "large" | "huge";

/** How many background colours the stylesheet defines (`.avatar.is-hue-0` to `-7`). */
const HUES = 8;

/** A stable colour index for an id (FNV-1a over its characters). */
export function hueOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % HUES;
}

/** One or two letters: the first of the first two words, or the first two of one word. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s_.-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toUpperCase();
}

interface AvatarProps {
  /** The person's (or community's) name: the picture's alternative text. */
  name: string;
  /** Their id: picks the colour behind the initials. */
  id: string;
  url: string | null | undefined;
  size?: AvatarSize;
  shape?: "round" | "square";
  /** Beside a name that says the same, screen readers need not hear it twice. */
  isDecorative?: boolean;
}

export function Avatar({ name, id, url, size = "medium", shape = "round", isDecorative = false }: AvatarProps) {
  // A picture replaced since this list was loaded is gone (404): initials until the list catches up.
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const classes = `avatar is-${size} is-${shape}`;
  if (url && url !== failedUrl) {
    return (
      <img
        class={classes}
        src={url}
        alt={isDecorative ? "" : name}
        loading="lazy"
        decoding="async"
        onError={() => setFailedUrl(url)}
      />
    );
  }
  return (
    <span
      class={`${classes} is-hue-${hueOf(id)}`}
      role={isDecorative ? undefined : "img"}
      aria-label={isDecorative ? undefined : name}
      aria-hidden={isDecorative ? "true" : undefined}
    >
      {initialsOf(name)}
    </span>
  );
}
