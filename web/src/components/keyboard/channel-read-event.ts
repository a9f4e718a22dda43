/**
 * Esc marks the open channel read, as in Discord: besides the read position,
 * the open timeline's "New" divider and its bar should go. The keyboard layer and
 * the timeline share no model, so the layer says so with an event on the document
 * that the timeline listens for.
 */

const CHANNEL_READ_EVENT = "chatalot:channel-read";

/** Tells the open timeline that this channel was marked read from the keyboard. */
export function announceChannelRead(channelId: string): void {
  document.dispatchEvent(new CustomEvent(CHANNEL_READ_EVENT, { detail: { channelId } }));
}

/** Calls `listener` with the channel's id whenever one is marked read from the keyboard; returns the way to stop. */
export function onChannelRead(listener: (channelId: string) => void): () => void {
  const onEvent = (event: Event) => {
    const channelId = (event as CustomEvent<{ channelId?: unknown }>).detail?.channelId;
    if (typeof channelId === "string") listener(channelId);
  };
  document.addEventListener(CHANNEL_READ_EVENT, onEvent);
  return () => document.removeEventListener(CHANNEL_READ_EVENT, onEvent);
}
