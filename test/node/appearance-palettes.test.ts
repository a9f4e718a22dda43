/**
 * A theme chosen in Settings > Appearance overrides the system's (web/src/appearance.css),
 * so that file repeats styles.css's light and dark palettes. A colour added or changed in
 * styles.css and not there would show the wrong theme's colour to whoever chose one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/server.ts";

const styles = readFileSync(join(root, "web/src/styles.css"), "utf8");
const appearance = readFileSync(join(root, "web/src/appearance.css"), "utf8");

/** The custom properties of the first block `opening` starts, by name. */
function palette(css: string, opening: RegExp): Record<string, string> {
  const start = css.search(opening);
  expect(start, `no block matches ${opening}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map(([, name, value]) => [name, value]));
}

describe("the chosen themes' palettes", () => {
  it("are the dark palette styles.css gives a system in dark mode", () => {
    expect(palette(appearance, /:root\[data-theme="dark"\]\s*\{/)).toEqual(
      palette(styles, /@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{/),
    );
  });

  it("are the light palette of styles.css's :root", () => {
    expect(palette(appearance, /:root\[data-theme="light"\]\s*\{\s*color-scheme: light;\s*--/)).toEqual(
      palette(styles, /^:root\s*\{/m),
    );
  });
});
