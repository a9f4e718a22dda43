/**
 * This participant's own media: the microphone (always open while in the call, muted
 * by disabling the track, so unmuting is instant and nothing is renegotiated), the
 * camera and a screen share (with its audio where the browser offers it), each
 * opened when turned on and stopped when turned off.
 */
import { signal } from "@preact/signals";
import type { MediaSlot } from "./media-slots.ts";

const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24 },
};

export function createLocalMedia() {
  const microphone = signal<MediaStreamTrack | null>(null);
  const camera = signal<MediaStreamTrack | null>(null);
  const screen = signal<MediaStreamTrack | null>(null);
  const screenAudio = signal<MediaStreamTrack | null>(null);
  /** Streams for the person's own tiles. */
  const cameraPreview = signal<MediaStream | null>(null);
  const screenPreview = signal<MediaStream | null>(null);

  const exact = (deviceId: string) => (deviceId ? { deviceId: { exact: deviceId } } : {});

  async function openMicrophone(deviceId: string): Promise<MediaStreamTrack> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { ...exact(deviceId), echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    const track = stream.getAudioTracks()[0]!;
    const previous = microphone.peek();
    // A new microphone keeps the old one's muting.
    if (previous) track.enabled = previous.enabled;
    previous?.stop();
    microphone.value = track;
    return track;
  }

  async function openCamera(deviceId: string): Promise<MediaStreamTrack> {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { ...CAMERA_CONSTRAINTS, ...exact(deviceId) } });
    const track = stream.getVideoTracks()[0]!;
    camera.peek()?.stop();
    camera.value = track;
    cameraPreview.value = new MediaStream([track]);
    return track;
  }

  function closeCamera(): void {
    camera.peek()?.stop();
    camera.value = null;
    cameraPreview.value = null;
  }

  /** The browser asks which screen or window; `onEnded`: the person stopped it from the browser's own bar. */
  async function openScreen(onEnded: () => void): Promise<void> {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: true });
    closeScreen();
    const video = stream.getVideoTracks()[0] ?? null;
    video?.addEventListener("ended", onEnded);
    screen.value = video;
    screenAudio.value = stream.getAudioTracks()[0] ?? null;
    screenPreview.value = video ? new MediaStream([video]) : null;
  }

  function closeScreen(): void {
    screen.peek()?.stop();
    screenAudio.peek()?.stop();
    screen.value = null;
    screenAudio.value = null;
    screenPreview.value = null;
  }

  return {
    microphone,
    camera,
    screen,
    screenAudio,
    cameraPreview,
    screenPreview,
    openMicrophone,
    openCamera,
    closeCamera,
    openScreen,
    closeScreen,
    trackOf(slot: MediaSlot): MediaStreamTrack | null {
      return { microphone, camera, screen, screenAudio }[slot].peek();
    },
    stop(): void {
      microphone.peek()?.stop();
      microphone.value = null;
      closeCamera();
      closeScreen();
    },
  };
}

export type LocalMedia = ReturnType<typeof createLocalMedia>;
