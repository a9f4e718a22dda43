/**
 * The timeline's small line icons (a 20-unit grid, drawn with the text colour), for
 * buttons that carry their name in aria-label. Hidden from screen readers: the
 * button's name says what the picture shows.
 */

export type IconName = "reply" | "react" | "thread" | "edit" | "delete" | "pin" | "unpin" | "more" | "jump" | "down";

/** Each icon as SVG path data, stroked. */
const PATHS: Record<IconName, string[]> = {
  reply: ["M8 5 3 10l5 5", "M3 10h9a5 5 0 0 1 5 5v1"],
  react: [
    "M10 17.5a7.5 7.5 0 1 1 7.3-9.2",
    "M7 8.5h.01M13 8.5h.01",
    "M6.8 12a3.8 3.8 0 0 0 6.4 0",
    "M16 12.5v5M13.5 15h5",
  ],
  thread: ["M3.5 4.5h13v8.5h-7l-4 3.5v-3.5h-2z", "M7 8h6M7 10.5h4"],
  edit: ["M13.5 3.5l3 3-9.5 9.5-3.5.5.5-3.5z", "M11.5 5.5l3 3"],
  delete: ["M3.5 5.5h13", "M8 5.5V3.5h4v2", "M5 5.5l.8 11h8.4l.8-11", "M8.5 8.5v5.5M11.5 8.5v5.5"],
  pin: ["M7.5 3h5l-1 5 3 3H5.5l3-3z", "M10 11v6.5"],
  unpin: ["M7.5 3h5l-1 5 3 3H5.5l3-3z", "M10 11v6.5", "M3 3l14 14"],
  more: ["M5 10h.01M10 10h.01M15 10h.01"],
  jump: ["M10 4v12", "M5 11l5 5 5-5"],
  down: ["M5 8l5 5 5-5"],
};

export function Icon({ name }: { name: IconName }) {
  const isDots = name === "more";
  return (
    <svg
      class="icon"
      viewBox="0 0 20 20"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      stroke-width={isDots ? 2.75 : 1.6}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((path) => (
        <path key={path} d={path} />
      ))}
    </svg>
  );
}
