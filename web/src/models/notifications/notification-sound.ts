/**
 * The notification sound: two short soft tones made with WebAudio, so there is no
 * file to fetch or cache. Browsers let a page make sound only after the person has
 * interacted with it; before that the context stays suspended and nothing is heard,
 * which is what a page opened and left alone should do anyway.
 */
const TONES_HZ = [880, 1320];
const TONE_SECONDS = 0.09;
const VOLUME = 0.08;

let context: AudioContext | null = null;

export function playNotificationSound(): void {
  if (typeof AudioContext === "undefined") return;
  try {
    context ??= new AudioContext();
    void context.resume();
    const start = context.currentTime;
    TONES_HZ.forEach((frequency, index) => {
      const at = start + index * TONE_SECONDS;
      const oscillator = new OscillatorNode(context!, { type: "sine", frequency });
      const gain = new GainNode(context!, { gain: 0 });
      gain.gain.linearRampToValueAtTime(VOLUME, at + 0.01);
      gain.gain.linearRampToValueAtTime(0, at + TONE_SECONDS);
      oscillator.connect(gain).connect(context!.destination);
      oscillator.start(at);
      oscillator.stop(at + TONE_SECONDS);
    });
  } catch {
    // No audio device: a notification without sound.
  }
}
