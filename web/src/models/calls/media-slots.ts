/**
 * The four media a call carries between two participants, in the fixed order of
 * their transceivers (docs/calls.md): both sides find each by its position, so
 * turning the camera or a screen share on is `replaceTrack`, never a renegotiation.
 */
export const MEDIA_SLOTS = ["microphone", "camera", "screen", "screenAudio"] as const;
export type MediaSlot = (typeof MEDIA_SLOTS)[number];

export const slotKind = (slot: MediaSlot): "audio" | "video" =>
  slot === "microphone" || slot === "screenAudio" ? "audio" : "video";

/** What this participant may send: without SPEAK the audio slots only receive, without VIDEO the video slots. */
export function slotDirection(slot: MediaSlot, may: { speak: boolean; video: boolean }): RTCRtpTransceiverDirection {
  const canSend = slotKind(slot) === "audio" ? may.speak && (slot === "microphone" || may.video) : may.video;
  return canSend ? "sendrecv" : "recvonly";
}

/**
 * VP8 first: the media encryption leaves VP8's payload header in the clear so the
 * receiver's depacketizer still works; codecs that need more of the frame readable come
 * after, kept for a peer that cannot do VP8.
 */
export function preferVp8(transceiver: RTCRtpTransceiver): void {
  const codecs = RTCRtpReceiver.getCapabilities("video")?.codecs;
  if (!codecs || typeof transceiver.setCodecPreferences !== "function") return;
  const rank = (codec: RTCRtpCodec) => (/\/vp8$/i.test(codec.mimeType) ? 0 : 1);
  transceiver.setCodecPreferences([...codecs].sort((a, b) => rank(a) - rank(b)));
}
