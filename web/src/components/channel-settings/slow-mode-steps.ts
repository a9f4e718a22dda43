/** Slow mode's choices, Discord's steps from off to six hours, and how each reads. */
export const SLOW_MODE_STEPS: readonly number[] = [0, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600];

/** "Off", "5 seconds", "1 minute", "2 hours". */
export function slowModeStepInWords(seconds: number): string {
  if (seconds === 0) return "Off";
  const [amount, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, "hour"]
      : seconds % 60 === 0
        ? [seconds / 60, "minute"]
        : [seconds, "second"];
  return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
}
