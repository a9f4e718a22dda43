/**
 * What this page plays and shows of one other participant: their microphone and
 * screen audio through audio elements the model owns (so the call keeps sounding
 * while the person reads another channel), at the volume chosen for them, silent
 * when deafened or when a moderator muted them; and streams for their video tiles.
 */
import type { MediaSlot } from "./media-slots.ts";

export interface RemoteMedia {
  camera: MediaStream;
  screen: MediaStream;
  /** Volume 0..1, deafened, or muted for everyone: what the audio elements should do now. */
  update(sound: { volume: number; isSilent: boolean; speakerId: string }): void;
  /** Video past the tiles shown is not drawn (the receiver's track is disabled). */
  setVideoShown(isShown: boolean): void;
  close(): void;
}

export function createRemoteMedia(receivedTrack: (slot: MediaSlot) => MediaStreamTrack | null): RemoteMedia | null {
  const [microphone, camera, screen, screenAudio] = (["microphone", "camera", "screen", "screenAudio"] as const).map(
    receivedTrack,
  );
  if (!microphone || !camera || !screen || !screenAudio) return null;
  const players = [microphone, screenAudio].map((track) => {
    const player = new Audio();
    player.autoplay = true;
    player.srcObject = new MediaStream([track]);
    // Autoplay may be refused before any click; the join click normally allows it.
    void player.play().catch(() => {});
    return player;
  });
  let speakerId = "";
  return {
    camera: new MediaStream([camera]),
    screen: new MediaStream([screen]),
    update(sound) {
      for (const player of players) {
        player.volume = Math.min(1, Math.max(0, sound.volume));
        player.muted = sound.isSilent;
        if (sound.speakerId !== speakerId && "setSinkId" in player) {
          void (player as HTMLAudioElement & { setSinkId(id: string): Promise<void> })
            .setSinkId(sound.speakerId)
            .catch(() => {});
        }
      }
      speakerId = sound.speakerId;
    },
    setVideoShown(isShown) {
      camera.enabled = isShown;
      screen.enabled = isShown;
    },
    close() {
      for (const player of players) {
        player.pause();
        player.srcObject = null;
      }
    },
  };
}
