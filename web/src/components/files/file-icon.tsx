/** A file's kind at a glance, beside its name on a card (decorative: the name says the rest). */

const ICONS: [test: (type: string) => boolean, icon: string][] = [
  [(type) => type.startsWith("audio/"), "🎵"],
  [(type) => type.startsWith("video/"), "🎞"],
  [(type) => type.startsWith("image/"), "🖼"],
  [(type) => /zip|tar|gzip|x-7z|rar|compressed/.test(type), "🗜"],
  [(type) => type === "application/pdf", "📕"],
  [(type) => type.startsWith("text/") || /json|xml|javascript/.test(type), "📝"],
];

export function FileIcon({ type }: { type: string }) {
  const icon = ICONS.find(([test]) => test(type))?.[1] ?? "📄";
  return (
    <span class="file-icon" aria-hidden="true">
      {icon}
    </span>
  );
}
