/**
 * Push-to-talk: the microphone is open only while a key is held. Keys typed into a
 * field are the field's (Space in the composer is a space), so they do not count.
 */
export function listenForPushToTalk(key: () => string | null, onHeld: (isHeld: boolean) => void): () => void {
  let isHeld = false;
  const isTyping = (target: EventTarget | null) =>
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  const down = (event: KeyboardEvent) => {
    if (event.code !== key() || isTyping(event.target)) return;
    // Space would also press a focused button or scroll the page.
    event.preventDefault();
    if (event.repeat || isHeld) return;
    isHeld = true;
    onHeld(true);
  };
  const up = (event: KeyboardEvent) => {
    if (event.code !== key() || !isHeld) return;
    isHeld = false;
    onHeld(false);
  };
  // Letting go while another window has focus never reaches the page: let go then.
  const blur = () => {
    if (!isHeld) return;
    isHeld = false;
    onHeld(false);
  };
  addEventListener("keydown", down);
  addEventListener("keyup", up);
  addEventListener("blur", blur);
  return () => {
    removeEventListener("keydown", down);
    removeEventListener("keyup", up);
    removeEventListener("blur", blur);
  };
}
