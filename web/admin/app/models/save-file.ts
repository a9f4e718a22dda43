/** Hands the browser a file to save: a download of a blob: URL, which the CSP allows. */
const KEEP_URL_MS = 60_000;

export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL is released a little later, to be safe.
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
