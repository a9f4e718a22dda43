/**
 * The colour of each person's name in the open community: the colour of their highest
 * role that has one (as Discord shows it). Set by the community's roles model; read
 * wherever a name is drawn. Applied through the CSSOM (`style={{ color }}`), which the
 * page's Content-Security-Policy allows, unlike a style attribute in markup.
 */
import { signal } from "@preact/signals";

/** userId → a CSS colour (`#rrggbb`). */
const colours = signal<ReadonlyMap<string, string>>(new Map());

export const roleColours = {
  colours,
  /** The colour for this person's name here, or null to use the default. */
  nameColour(userId: string): string | null {
    return colours.value.get(userId) ?? null;
  },
  set(next: ReadonlyMap<string, string>) {
    colours.value = next;
  },
};
