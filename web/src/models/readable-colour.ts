/**
 * A role's colour made readable as text: a name in a light colour on the light theme
 * (or a dark one on the dark theme) is darkened (or lightened) step by step until it
 * reaches WCAG's 4.5:1 contrast against the page, so coloured names stay legible
 * (Discord shows them as chosen; we keep the hue and give up a little of the shade).
 */
const CONTRAST_MIN = 4.5;
const STEP = 0.06;

type Rgb = [number, number, number];

const rgbOf = (color: number): Rgb => [(color >> 16) & 0xff, (color >> 8) & 0xff, color & 0xff];

function luminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: number, b: number): number {
  const [light, dark] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `color` (0xRRGGBB), mixed toward black or white until it reads on every one of `backgrounds` (one theme's). */
export function readableOn(color: number, backgrounds: readonly number[]): number {
  const towards = luminance(rgbOf(backgrounds[0] ?? 0xffffff)) > 0.5 ? 0 : 255;
  const [r, g, b] = rgbOf(color);
  for (let amount = 0; amount <= 1; amount += STEP) {
    const mix = (channel: number) => Math.round(channel + (towards - channel) * amount);
    const candidate = (mix(r) << 16) | (mix(g) << 8) | mix(b);
    if (backgrounds.every((background) => contrast(candidate, background) >= CONTRAST_MIN)) return candidate;
  }
  return towards === 0 ? 0x000000 : 0xffffff;
}

/** Where names are drawn: the theme's page, panel and sidebar backgrounds now, as 0xRRGGBB. */
export function nameBackgrounds(): number[] {
  if (typeof document === "undefined") return [0xffffff];
  const style = getComputedStyle(document.documentElement);
  const found = ["--background", "--surface", "--sidebar", "--hover"].flatMap((name) => {
    const hex = /^#([0-9a-f]{6})$/i.exec(style.getPropertyValue(name).trim());
    return hex ? [Number.parseInt(hex[1]!, 16)] : [];
  });
  return found.length > 0 ? found : [0xffffff];
}
