/** A form's error in words, announced when it appears; `id` lets inputs point at it with aria-describedby. */
import { sentence } from "./sentence.ts";

export function FormError({ id, error }: { id: string; error: string | null }) {
  if (!error) return null;
  return (
    <p id={id} class="error" role="alert">
      {sentence(error)}
    </p>
  );
}

/** aria-describedby for an input: its hint, and the error while there is one. */
export const describedBy = (...ids: (string | false | null | undefined)[]) =>
  ids.filter(Boolean).join(" ") || undefined;
