/**
 * "Skip to messages": the first thing Tab reaches on the signed-in page, hidden
 * until focused, that moves focus past the header and sidebar to the open
 * channel's messages (or the main pane when no channel is open). It is rendered at
 * the start of <body>, wherever the workspace mounts the keyboard layer, because
 * only the first element in document order is reached first.
 */
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { focusMessages } from "./focus-targets.ts";

function SkipLinkAnchor() {
  const skip = (event: MouseEvent) => {
    event.preventDefault();
    focusMessages();
  };
  return (
    <a class="skip-link" href="#messages" onClick={skip}>
      Skip to messages
    </a>
  );
}

export function SkipLink() {
  useEffect(() => {
    const holder = document.createElement("div");
    document.body.prepend(holder);
    render(<SkipLinkAnchor />, holder);
    return () => {
      render(null, holder);
      holder.remove();
    };
  }, []);
  return null;
}
