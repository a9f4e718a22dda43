/**
 * Dropping files anywhere on the open channel attaches them, as in Discord: while
 * files are dragged over it, the channel shows where they will go. Text and links
 * dragged around the page are left alone.
 */
import { useRef, useState } from "preact/hooks";

interface FileDropOptions {
  /** Where dropped files go, for the overlay ("#general"). */
  title: string;
  /** Why files cannot be attached here (null: they can): shown instead while dragging. */
  refusal: string | null;
  onFiles(files: File[]): void;
}

const isDraggingFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;

/** The drag handlers for the element files are dropped on, and the overlay it shows meanwhile. */
export function useFileDrop({ title, refusal, onFiles }: FileDropOptions) {
  const [isOver, setOver] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them to know when the drag left for good.
  const depth = useRef(0);
  const leave = () => {
    depth.current = 0;
    setOver(false);
  };
  const handlers = {
    onDragEnter(event: DragEvent) {
      if (!isDraggingFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setOver(true);
    },
    onDragOver(event: DragEvent) {
      if (!isDraggingFiles(event)) return;
      // Without this the browser opens the file instead of dropping it here.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = refusal ? "none" : "copy";
    },
    onDragLeave(event: DragEvent) {
      if (!isDraggingFiles(event)) return;
      depth.current -= 1;
      if (depth.current <= 0) leave();
    },
    onDrop(event: DragEvent) {
      if (!isDraggingFiles(event)) return;
      event.preventDefault();
      leave();
      const dropped = [...(event.dataTransfer?.files ?? [])];
      if (dropped.length > 0 && !refusal) onFiles(dropped);
    },
  };
  const overlay = isOver && (
    <div class={`drop-zone${refusal ? " is-refused" : ""}`} role="status">
      <div class="drop-zone-card">
        <span class="drop-zone-icon" aria-hidden="true">
          {refusal ? "⛔" : "📎"}
        </span>
        <strong>{refusal ? "You cannot attach files here" : `Upload to ${title}`}</strong>
        <span>{refusal ?? "Drop files to add them to your message."}</span>
      </div>
    </div>
  );
  return { handlers, overlay };
}
