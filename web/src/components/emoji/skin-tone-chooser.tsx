/**
 * The picker's skin tone button: shows the tone in use; pressed, it offers the six
 * tones in a row (Discord's hand), and the choice stays for the next time.
 */
import { useState } from "preact/hooks";
import { chooseSkinTone, SKIN_TONES, skinTone } from "./skin-tone.ts";

export function SkinToneChooser() {
  const [isOpen, setOpen] = useState(false);
  const current = skinTone.value;
  if (!isOpen) {
    return (
      <button
        type="button"
        class="emoji-tone-button"
        aria-label={`Skin tone: ${SKIN_TONES[current]?.label ?? ""}`}
        title="Skin tone"
        aria-expanded={false}
        onClick={() => setOpen(true)}
      >
        {SKIN_TONES[current]?.sample}
      </button>
    );
  }
  return (
    <div class="emoji-tones" role="group" aria-label="Skin tone">
      {SKIN_TONES.map((tone, index) => (
        <button
          type="button"
          key={tone.label}
          class="emoji-tone-button"
          aria-label={tone.label}
          aria-pressed={index === current}
          ref={(button) => {
            if (index === current) button?.focus();
          }}
          onClick={() => {
            chooseSkinTone(index);
            setOpen(false);
          }}
        >
          {tone.sample}
        </button>
      ))}
    </div>
  );
}
