/** What a call says in words: why the room took the page out, why a device could not be opened. */
import type { CallLeftReason } from "../../../../protocol/index.ts";

/** Why the room took this page out of the call, in words. */
export function leftInWords(reason: CallLeftReason): string {
  switch (reason) {
    case "left":
      return "you left the call";
    case "disconnected":
      return "a moderator disconnected you from the call";
    case "access_removed":
      return "you can no longer join this call";
    case "replaced":
      return "you joined this call from another tab or window";
    case "timed_out":
      return "you were away too long and left the call: join again";
    case "ended":
      return "the call ended";
  }
}

export function mediaErrorInWords(error: unknown): string {
  if (error instanceof DOMException) {
    if (error.name === "NotAllowedError") return "the browser was not allowed to use it";
    if (error.name === "NotFoundError") return "no such device was found";
    if (error.name === "NotReadableError") return "another program is using it";
  }
  return error instanceof Error ? error.message : String(error);
}
