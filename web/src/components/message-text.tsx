/** A message's words, with @mentions set apart. */
import { splitMentions } from "../models/mentions.ts";

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitMentions(text).map((part, index) =>
        part.isMention ? (
          <span key={index} class="mention">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
