/**
 * The emoji picker: search, categories, recently used first. Used by the composer
 * (insert) and by the reaction picker (react). CONTRACT STUB: the composer helper
 * replaces this body; the signature stays.
 */
export interface EmojiPickerProps {
  /** Called with the emoji's characters (e.g. "👍"); the picker notes it as recently used. */
  onPick(emoji: string): void;
  /** Esc, a click outside, or after a pick when the caller closes it. */
  onClose(): void;
  /** What the picker is for, read by screen readers: "Add a reaction", "Insert an emoji". */
  label: string;
}

export function EmojiPicker({ onPick, onClose, label }: EmojiPickerProps) {
  return (
    <div role="dialog" aria-label={label} class="emoji-picker">
      {["👍", "❤️", "😂", "🎉", "😮", "😢"].map((emoji) => (
        <button type="button" key={emoji} onClick={() => onPick(emoji)}>
          {emoji}
        </button>
      ))}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
