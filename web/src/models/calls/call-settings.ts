/**
 * The person's call preferences on this browser: which microphone, camera and speaker,
 * push-to-talk and its key, and "relay only" (media through the TURN relay, so peers
 * never learn this device's addresses). Kept in localStorage: device ids are this
 * browser's own and mean nothing on another.
 */
import { effect, signal } from "@preact/signals";

const SETTINGS_KEY = "chatalot-call-settings";

export interface CallPreferences {
  /** `deviceId` from enumerateDevices; "" for the system default. */
  microphoneId: string;
  cameraId: string;
  speakerId: string;
  isPushToTalk: boolean;
  /** A KeyboardEvent `code` ("Space" by default). */
  pushToTalkKey: string;
  /** iceTransportPolicy "relay": slower to connect, hides the device's IP addresses from the others. */
  isRelayOnly: boolean;
}

const DEFAULTS: CallPreferences = {
  microphoneId: "",
  cameraId: "",
  speakerId: "",
  isPushToTalk: false,
  pushToTalkKey: "Space",
  isRelayOnly: false,
};

export function createCallSettings() {
  const preferences = signal<CallPreferences>({ ...DEFAULTS, ...read() });
  /** The devices the browser lists (labels only once a permission was granted). */
  const devices = signal<MediaDeviceInfo[]>([]);

  async function listDevices(): Promise<void> {
    try {
      devices.value = await navigator.mediaDevices.enumerateDevices();
    } catch {
      devices.value = [];
    }
  }
  void listDevices();
  effect(() => {
    const media = navigator.mediaDevices;
    if (!media) return;
    const onChange = () => void listDevices();
    media.addEventListener("devicechange", onChange);
    return () => media.removeEventListener("devicechange", onChange);
  });
  effect(() => {
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(preferences.value));
    } catch {
      // Private browsing may refuse storage: the choices then last as long as the page.
    }
  });

  return {
    preferences,
    devices,
    listDevices,
    change(next: Partial<CallPreferences>) {
      preferences.value = { ...preferences.peek(), ...next };
    },
    /** `setSinkId` picks the speaker; browsers without it play on the default one. */
    canPickSpeaker: () => typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype,
  };
}

export type CallSettings = ReturnType<typeof createCallSettings>;

function read(): Partial<CallPreferences> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}");
    if (!value || typeof value !== "object") return {};
    const known: Partial<CallPreferences> = {};
    for (const [key, fallback] of Object.entries(DEFAULTS) as [keyof CallPreferences, unknown][]) {
      const stored = (value as Record<string, unknown>)[key];
      if (typeof stored === typeof fallback) (known as Record<string, unknown>)[key] = stored;
    }
    return known;
  } catch {
    return {};
  }
}
