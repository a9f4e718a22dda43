/** A video element showing a stream the call model holds (`srcObject` cannot be set as an attribute). */
import { useEffect, useRef } from "preact/hooks";

export function CallVideo({ stream, label, isMirrored }: { stream: MediaStream; label: string; isMirrored?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    element.srcObject = stream;
    void element.play().catch(() => {});
    return () => {
      element.srcObject = null;
    };
  }, [stream]);
  // Muted: the sound plays through the model's audio elements, at the volume chosen per person.
  return (
    <video
      ref={video}
      class={isMirrored ? "call-video is-mirrored" : "call-video"}
      autoplay
      playsInline
      muted
      aria-label={label}
    />
  );
}
