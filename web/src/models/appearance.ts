/**
 * How the app looks on this device (Discord's "Appearance"): light, dark or the
 * system's theme; cozy or compact messages; the text size. Kept per device in
 * localStorage, not on the server: a phone and a desktop rarely want the same.
 * Applied as attributes on <html> (`data-theme`, `data-density`) and the root font
 * size, which every rem in the stylesheets follows; `applyStoredAppearance` runs
 * before the first render so the page starts in the chosen look.
 */
import { createModel, effect, signal } from "@preact/signals";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const DENSITIES = ["cozy", "compact"] as const;
export type Density = (typeof DENSITIES)[number];
/** Text sizes offered, in CSS pixels of the root font (Discord offers 12 to 24). */
export const FONT_SIZES = [12, 14, 15, 16, 18, 20, 24] as const;

export interface Appearance {
  theme: Theme;
  density: Density;
  fontSize: number;
}

export const DEFAULT_APPEARANCE: Appearance = { theme: "system", density: "cozy", fontSize: 16 };
const STORAGE_KEY = "chatalot:appearance";

/** What this device chose, or the defaults for anything missing or unreadable. */
export function storedAppearance(): Appearance {
  let saved: Partial<Record<keyof Appearance, unknown>> = {};
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") ?? {};
  } catch {
    // Storage blocked, or something else wrote there: the defaults stand.
  }
  const pick = <T>(options: readonly T[], value: unknown, fallback: T) =>
    options.includes(value as T) ? (value as T) : fallback;
  return {
    theme: pick(THEMES, saved.theme, DEFAULT_APPEARANCE.theme),
    density: pick(DENSITIES, saved.density, DEFAULT_APPEARANCE.density),
    fontSize: pick<number>(FONT_SIZES, saved.fontSize, DEFAULT_APPEARANCE.fontSize),
  };
}

/** Puts an appearance on the page (web/src/appearance.css gives the attributes their meaning). */
export function applyAppearance(appearance: Appearance, root = document.documentElement): void {
  root.dataset.theme = appearance.theme;
  root.dataset.density = appearance.density;
  // Through the CSSOM, which the strict CSP allows (it refuses style attributes in markup).
  root.style.fontSize = appearance.fontSize === DEFAULT_APPEARANCE.fontSize ? "" : `${appearance.fontSize}px`;
}

/** Run once before the first render. */
export const applyStoredAppearance = () => applyAppearance(storedAppearance());

export const AppearanceModel = createModel(() => {
  const appearance = signal(storedAppearance());

  effect(() => applyAppearance(appearance.value));
  // Another tab changed it: follow, so every open tab looks the same.
  effect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY) appearance.value = storedAppearance();
    };
    addEventListener("storage", onStorage);
    return () => removeEventListener("storage", onStorage);
  });

  function change(next: Partial<Appearance>): void {
    appearance.value = { ...appearance.peek(), ...next };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(appearance.peek()));
    } catch {
      // Storage blocked (private mode, full): it applies until the page closes.
    }
  }

  return {
    appearance,
    setTheme: (theme: Theme) => change({ theme }),
    setDensity: (density: Density) => change({ density }),
    setFontSize: (fontSize: number) => change({ fontSize }),
    reset: () => change(DEFAULT_APPEARANCE),
  };
});

export type AppearanceSettings = InstanceType<typeof AppearanceModel>;
