/**
 * A message too long to send as a message is offered as a file instead (Discord's
 * message.txt): the text goes into a "message.txt" attachment through the upload
 * tray and the message is sent with it, so nothing typed is lost. Where files may
 * not be attached, it says so and the text stays in the composer to be shortened.
 */
import { useFocusOnMount } from "../use-focus-on-mount.ts";

interface TooLongOfferProps {
  characters: number;
  /** Why files cannot be attached here, or null when they can. */
  attachRefusal: string | null;
  onSendAsFile(): void;
  onKeepEditing(): void;
}

export const MESSAGE_FILE_NAME = "message.txt";

export function TooLongOffer({ characters, attachRefusal, onSendAsFile, onKeepEditing }: TooLongOfferProps) {
  const first = useFocusOnMount<HTMLButtonElement>();
  const count = characters.toLocaleString("en");
  return (
    <div
      class="composer-too-long"
      role="alertdialog"
      aria-labelledby="composer-too-long-text"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        onKeepEditing();
      }}
    >
      <p id="composer-too-long-text">
        {attachRefusal
          ? `This message is too long (${count} characters), and files cannot be attached here: shorten it to send it.`
          : `This message is too long (${count} characters). Send it as a file?`}
      </p>
      <div class="button-row">
        {!attachRefusal && (
          <button type="button" class="small primary" ref={first} onClick={onSendAsFile}>
            Send as {MESSAGE_FILE_NAME}
          </button>
        )}
        <button type="button" class="small" ref={attachRefusal ? first : undefined} onClick={onKeepEditing}>
          Keep editing
        </button>
      </div>
    </div>
  );
}
