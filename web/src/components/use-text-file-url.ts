/** A blob: URL holding `text` as a plain-text file, for a download link; released when no longer shown. */
import { useEffect, useMemo } from "preact/hooks";

export function useTextFileUrl(text: string): string {
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" })), [text]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return url;
}
