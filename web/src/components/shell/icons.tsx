/**
 * The shell's small line icons (24×24, drawn in the current text colour). Always
 * decorative: the button or link around one carries the words.
 */
const PATHS = {
  home: "M4 6.5A2.5 2.5 0 0 1 6.5 4h11A2.5 2.5 0 0 1 20 6.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4 3.5V17h0.5A2.5 2.5 0 0 1 4 14.5z",
  plus: "M12 5v14M5 12h14",
  compass: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm3.5 5.5-2 5-5 2 2-5z",
  gear: "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zm7.4 3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7.5 7.5 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7.5 7.5 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z",
  hash: "M9 4 7 20M17 4l-2 16M4.5 9h16M3.5 15h16",
  speaker: "M4 9v6h4l5 4V5L8 9zm12.5-1a5 5 0 0 1 0 8M19 5.5a8.5 8.5 0 0 1 0 13",
  pin: "M9 3h6l-1 6 4 3v2h-5v7l-1 1-1-1v-7H6v-2l4-3z",
  members:
    "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm-6 9c0-3.3 2.7-6 6-6s6 2.7 6 6zm13-9a3 3 0 1 0 0-6m2 15h3c0-3-1.8-5.4-4.4-5.9",
  lock: "M6 10h12v10H6zm3 0V7a3 3 0 0 1 6 0v3",
  unlock: "M6 10h12v10H6zm3 0V7a3 3 0 0 1 5.8-1",
  shield: "M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6zm-3.5 9 2.5 2.5 4.5-5",
  personAdd: "M10 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm-6 9c0-3.3 2.7-6 6-6 1.3 0 2.5.4 3.5 1.1M18 13v7m-3.5-3.5h7",
  chevron: "m7 10 5 5 5-5",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  back: "M15 5l-7 7 7 7",
  check: "m5 12.5 4.5 4.5L19 7",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      class={`icon icon-${name}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width={name === "more" ? 3 : 1.8}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
