/**
 * The sound of a call ringing here: two short soft tones every few seconds, made with
 * Web Audio (no file to fetch). Browsers let a page make sound only after the person
 * interacted with it; before that the ring stays silent, and the bar still shows.
 */

/** One ring: two tones, then silence until the next. */
const RING_EVERY_MS = 3_000;
const TONES_HZ = [880, 660];
const TONE_MS = 180;
const VOLUME = 0.08;

export interface RingTone {
  start(): void;
  stop(): void;
}

export function createRingTone(): RingTone {
  let context: AudioContext | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  function ringOnce(): void {
    if (!context || context.state !== "running") return;
    const startsAt = context.currentTime;
    TONES_HZ.forEach((frequency, index) => {
      const oscillator = context!.createOscillator();
      const gain = context!.createGain();
      const at = startsAt + (index * TONE_MS * 1.3) / 1000;
      oscillator.frequency.value = frequency;
      // Fade in and out: a tone that starts or stops at full volume clicks.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(VOLUME, at + 0.02);
      gain.gain.linearRampToValueAtTime(0, at + TONE_MS / 1000);
      oscillator.connect(gain).connect(context!.destination);
      oscillator.start(at);
      oscillator.stop(at + TONE_MS / 1000);
    });
  }

  return {
    start() {
      if (timer !== undefined || typeof AudioContext === "undefined") return;
      context ??= new AudioContext();
      // Refused without an earlier interaction with the page: the ring is silent then.
      void context.resume().then(ringOnce, () => undefined);
      timer = setInterval(ringOnce, RING_EVERY_MS);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      void context?.suspend().catch(() => undefined);
    },
  };
}
