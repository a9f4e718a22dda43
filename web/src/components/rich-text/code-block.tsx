/**
 * A fenced code block: the code as typed, scrolling sideways when long, with a
 * Copy button. Given a language, it loads the highlighter (its own chunk, the
 * first time any code block needs it) and shows the code again with token spans.
 */
import { useEffect, useState } from "preact/hooks";
import type { Root } from "hast";
import { hastElements } from "./hast-elements.tsx";

type Highlight = (code: string, language: string) => Root | null;

let highlighter: Promise<Highlight> | undefined;

/** The highlighter, imported once; a failed import is tried again next time. */
function loadHighlighter(): Promise<Highlight> {
  highlighter ??= import("./highlight-code.ts").then(
    (module) => module.highlightCode,
    (caught: unknown) => {
      highlighter = undefined;
      throw caught;
    },
  );
  return highlighter;
}

/** How long "Copied" shows before the button reads "Copy" again. */
const COPIED_FOR_MS = 2000;

export function CodeBlock({ code, language }: { code: string; language: string | undefined }) {
  const tree = useHighlighted(code, language);
  return (
    <div class="code-block">
      {/* Focusable, so a keyboard can scroll a long line into view. */}
      <pre tabIndex={0}>
        <code class={tree ? `hljs language-${language}` : undefined}>{tree ? hastElements(tree) : code}</code>
      </pre>
      <CopyButton code={code} />
    </div>
  );
}

function useHighlighted(code: string, language: string | undefined): Root | null {
  const [tree, setTree] = useState<Root | null>(null);
  useEffect(() => {
    setTree(null);
    if (!language) return;
    let isCurrent = true;
    loadHighlighter().then(
      (highlight) => isCurrent && setTree(highlight(code, language)),
      () => undefined, // Without the highlighter the code still reads, in one colour.
    );
    return () => {
      isCurrent = false;
    };
  }, [code, language]);
  return tree;
}

function CopyButton({ code }: { code: string }) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), COPIED_FOR_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () =>
    navigator.clipboard.writeText(code).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  return (
    <button type="button" class="code-copy" onClick={() => void copy()}>
      <span aria-live="polite">{copied === "copied" ? "Copied" : copied === "failed" ? "Could not copy" : "Copy"}</span>
    </button>
  );
}
