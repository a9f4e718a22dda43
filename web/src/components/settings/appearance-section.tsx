/**
 * Settings > Appearance, kept on this device (web/src/models/appearance.ts): the theme
 * (light, dark, or the system's), message density (cozy or compact) and text size,
 * each applied at once, with a sample message to judge by.
 */
import { useModel } from "@preact/signals";
import {
  AppearanceModel,
  DEFAULT_APPEARANCE,
  DENSITIES,
  FONT_SIZES,
  THEMES,
  type Density,
  type Theme,
} from "../../models/appearance.ts";

const THEME_WORDS: Record<Theme, string> = { system: "Sync with your device", light: "Light", dark: "Dark" };
const DENSITY_WORDS: Record<Density, { name: string; hint: string }> = {
  cozy: { name: "Cozy", hint: "Modern, with names and pictures above each group of messages." },
  compact: { name: "Compact", hint: "More messages on the screen at once, each on its own line." },
};

export function AppearanceSection() {
  const settings = useModel(() => new AppearanceModel());
  const { theme, density, fontSize } = settings.appearance.value;
  const sizeIndex = Math.max(0, FONT_SIZES.indexOf(fontSize as (typeof FONT_SIZES)[number]));

  return (
    <>
      <section class="card" aria-labelledby="theme-heading">
        <h2 id="theme-heading">Theme</h2>
        <div class="choice-grid" role="radiogroup" aria-labelledby="theme-heading">
          {THEMES.map((choice) => (
            <label key={choice} class={`theme-choice is-${choice}`}>
              <span class="theme-swatch" aria-hidden="true" />
              <span class="theme-choice-name">
                <input
                  type="radio"
                  name="theme"
                  value={choice}
                  checked={theme === choice}
                  onChange={() => settings.setTheme(choice)}
                />
                {THEME_WORDS[choice]}
              </span>
            </label>
          ))}
        </div>
      </section>
      <section class="card" aria-labelledby="density-heading">
        <h2 id="density-heading">Message display</h2>
        <div class="choice-list" role="radiogroup" aria-labelledby="density-heading">
          {DENSITIES.map((choice) => (
            <label key={choice} class="density-choice">
              <input
                type="radio"
                name="density"
                value={choice}
                checked={density === choice}
                aria-describedby={`density-${choice}-hint`}
                onChange={() => settings.setDensity(choice)}
              />
              <span>
                <strong>{DENSITY_WORDS[choice].name}</strong>
                <span id={`density-${choice}-hint`} class="hint">
                  {" "}
                  {DENSITY_WORDS[choice].hint}
                </span>
              </span>
            </label>
          ))}
        </div>
      </section>
      <section class="card" aria-labelledby="text-size-heading">
        <h2 id="text-size-heading">Text size</h2>
        <label for="text-size" class="visually-hidden">
          Text size
        </label>
        <input
          id="text-size"
          type="range"
          class="text-size"
          min={0}
          max={FONT_SIZES.length - 1}
          step={1}
          value={sizeIndex}
          aria-valuetext={`${FONT_SIZES[sizeIndex]} pixels`}
          list="text-size-marks"
          onInput={(event) => settings.setFontSize(FONT_SIZES[Number(event.currentTarget.value)]!)}
        />
        <datalist id="text-size-marks">
          {FONT_SIZES.map((size, index) => (
            <option key={size} value={index} label={`${size}px`} />
          ))}
        </datalist>
        <div class="text-size-marks" aria-hidden="true">
          {FONT_SIZES.map((size) => (
            <span key={size} class={size === fontSize ? "is-current" : undefined}>
              {size}px
            </span>
          ))}
        </div>
        <div class="appearance-sample" aria-label="Sample message" role="group">
          <span class="appearance-sample-avatar" aria-hidden="true">
            AL
          </span>
          <div>
            <p class="appearance-sample-header">
              <strong>Alice</strong> <span class="hint">Today at 09:41</span>
            </p>
            <p>Look how this reads: the size, the spacing and the colours you chose.</p>
          </div>
        </div>
        {(theme !== DEFAULT_APPEARANCE.theme ||
          density !== DEFAULT_APPEARANCE.density ||
          fontSize !== DEFAULT_APPEARANCE.fontSize) && (
          <button type="button" onClick={() => settings.reset()}>
            Reset to the defaults
          </button>
        )}
      </section>
    </>
  );
}
