/**
 * Which kinds of media an SDP offer or answer would send: the room refuses one that sends
 * audio without SPEAK or video without VIDEO. A media section sends when its direction
 * is sendrecv or sendonly, or when it names none (the default is sendrecv, RFC 8866 6.7;
 * a session-level direction is the default for sections without their own). A rejected
 * section (port 0, not bundle-only) sends nothing.
 */
export type MediaKind = "audio" | "video";

const DIRECTIONS = new Set(["sendrecv", "sendonly", "recvonly", "inactive"]);

export function sendingKinds(sdp: string): Set<MediaKind> {
  const lines = sdp.split(/\r?\n/);
  const sending = new Set<MediaKind>();
  let sessionDirection = "sendrecv";
  let section: { kind: string; port: string; direction: string | null; isBundleOnly: boolean } | null = null;
  const close = () => {
    if (!section) return;
    const direction = section.direction ?? sessionDirection;
    const isRejected = section.port === "0" && !section.isBundleOnly;
    const isSending = direction === "sendrecv" || direction === "sendonly";
    if (isSending && !isRejected && (section.kind === "audio" || section.kind === "video")) sending.add(section.kind);
  };
  for (const line of lines) {
    if (line.startsWith("m=")) {
      close();
      const [kind = "", port = ""] = line.slice(2).split(" ");
      section = { kind, port, direction: null, isBundleOnly: false };
      continue;
    }
    if (!line.startsWith("a=")) continue;
    const attribute = line.slice(2).trim();
    if (DIRECTIONS.has(attribute)) {
      if (section) section.direction = attribute;
      else sessionDirection = attribute;
    } else if (attribute === "bundle-only" && section) {
      section.isBundleOnly = true;
    }
  }
  close();
  return sending;
}
