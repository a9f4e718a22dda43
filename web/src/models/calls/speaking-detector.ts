/**
 * Whether the person is speaking, from their microphone's level: an AnalyserNode on
 * the track, sampled a few times a second. Speech has gaps between words, so "not
 * speaking" waits for a short silence; the change is reported, not every sample.
 */

/** RMS of the waveform (full scale 1) above which the microphone counts as speech (about -40 dBFS). */
const SPEAKING_LEVEL = 0.01;
const SAMPLE_EVERY_MS = 100;
/** Quiet this long ends "speaking": shorter would flicker between words. */
const SILENCE_MS = 500;

export function detectSpeaking(track: MediaStreamTrack, onChange: (isSpeaking: boolean) => void): () => void {
  let context: AudioContext;
  try {
    context = new AudioContext();
  } catch {
    return () => {};
  }
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  void context.resume().catch(() => {});
  const samples = new Float32Array(analyser.fftSize);
  let isSpeaking = false;
  let lastLoud = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const level = Math.sqrt(sum / samples.length);
    const now = performance.now();
    if (track.enabled && level > SPEAKING_LEVEL) lastLoud = now;
    const next = track.enabled && now - lastLoud < SILENCE_MS;
    if (next !== isSpeaking) {
      isSpeaking = next;
      onChange(next);
    }
  }, SAMPLE_EVERY_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => {});
  };
}
