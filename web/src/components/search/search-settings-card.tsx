/**
 * Settings > Encryption's search card: whether this device keeps a search index
 * (turning it off deletes it), how far it got, and clearing it. The index is
 * encrypted under a key of this device; the words searched never leave it.
 */
import { useState } from "preact/hooks";
import type { SearchEngine } from "../../models/search/search-types.ts";
import { describeError } from "../../models/api-client.ts";
import { sentence } from "../sentence.ts";
import { indexingInWords } from "./indexing-words.ts";

export function SearchSettingsCard({ engine }: { engine: SearchEngine }) {
  const progress = engine.progress.value;
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function act(work: () => Promise<void>, after: string): Promise<void> {
    setBusy(true);
    setDone(null);
    setProblem(null);
    try {
      await work();
      setDone(after);
    } catch (caught) {
      setProblem(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="search-settings-heading">
      <h2 id="search-settings-heading">Search</h2>
      <p class="hint">
        Your messages are end-to-end encrypted, so the server cannot search them: this device keeps its own index of the
        messages it can read, encrypted under a key of this device, and your searches never leave it.
      </p>
      <label class="notification-setting">
        <input
          type="checkbox"
          role="switch"
          checked={progress.enabled}
          disabled={isBusy}
          onChange={(event) => {
            const enabled = event.currentTarget.checked;
            void act(
              () => engine.setEnabled(enabled),
              enabled ? "Search is on: this device builds its index again." : "Search is off, and its index deleted.",
            );
          }}
        />
        <span>Search on this device</span>
      </label>
      <p class="hint" role="status">
        {indexingInWords(progress)}
      </p>
      <button
        type="button"
        disabled={isBusy}
        onClick={() => void act(() => engine.clear(), "The search index was cleared from this device.")}
      >
        Clear the search index
      </button>
      {done && <p class="hint">{done}</p>}
      {problem && (
        <p class="error" role="alert">
          {sentence(`the search index could not be changed: ${problem}`)}
        </p>
      )}
    </section>
  );
}
