/**
 * Which emoji this device can draw. Emojibase lists emoji up to the newest Unicode
 * version; a system whose emoji font is older shows the newest as empty boxes (or a
 * family as its members side by side), so the picker leaves out every version newer
 * than the newest one the device draws. Tested the way emoji-picker-element does: one
 * emoji per version, drawn on a canvas, must come out in colour and as one glyph.
 */
import versions from "emojibase-data/versions/emoji.json";

/** The test glyph's size in pixels. */
const SIZE = 20;
/** As in emoji-picker.css: the colour emoji fonts first. */
const EMOJI_FONTS = `"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", "Twemoji Mozilla", sans-serif`;

/** Emoji versions (as Emojibase numbers them) by the hexcode of each emoji they brought. */
export function versionsByHexcode(): Map<string, number> {
  const byHexcode = new Map<string, number>();
  for (const [version, hexcodes] of Object.entries(versions as Record<string, string[]>)) {
    for (const hexcode of hexcodes) byHexcode.set(hexcode, Number(version));
  }
  return byHexcode;
}

/** The newest emoji version this device draws (every version when it cannot be told). */
export function newestDrawnVersion(): number {
  const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const all = Object.entries(versions as Record<string, string[]>)
    .map(([version, hexcodes]) => ({ version: Number(version), sample: sampleOf(hexcodes) }))
    .sort((a, b) => b.version - a.version);
  if (!context) return all[0]?.version ?? Infinity;
  context.font = `${SIZE}px ${EMOJI_FONTS}`;
  context.textBaseline = "top";
  const oneGlyph = context.measureText("😀").width;
  for (const { version, sample } of all) {
    if (sample && isDrawn(context, sample, oneGlyph)) return version;
  }
  return Infinity;
}

/** A plain emoji of the version (one code point, emoji by default), or a joined one where it brought only those. */
function sampleOf(hexcodes: readonly string[]): string | null {
  const hexcode =
    hexcodes.find((code) => !code.includes("-") && parseInt(code, 16) >= 0x1f000) ??
    hexcodes.find((code) => code.includes("200D"));
  return hexcode ? String.fromCodePoint(...hexcode.split("-").map((part) => parseInt(part, 16))) : null;
}

function isDrawn(context: CanvasRenderingContext2D, emoji: string, oneGlyph: number): boolean {
  // Two glyphs side by side: the font does not know the joined emoji.
  if (context.measureText(emoji).width > oneGlyph * 1.5) return false;
  context.clearRect(0, 0, SIZE * 2, SIZE * 2);
  context.fillText(emoji, 0, 0);
  const pixels = context.getImageData(0, 0, SIZE * 2, SIZE * 2).data;
  // An empty box is drawn in the text colour (black); an emoji has colour.
  for (let index = 0; index < pixels.length; index += 4) {
    const [red, green, blue] = [pixels[index]!, pixels[index + 1]!, pixels[index + 2]!];
    if (Math.max(red, green, blue) - Math.min(red, green, blue) > 30) return true;
  }
  return false;
}
