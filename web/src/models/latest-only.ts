/**
 * For a list loaded again whenever something says it changed: loads can overlap,
 * and an older, slower answer must not replace a newer one. Each load takes a
 * ticket; only the latest ticket's answer is applied.
 */
export function latestOnly(): () => () => boolean {
  let latest = 0;
  return () => {
    const ticket = ++latest;
    return () => ticket === latest;
  };
}
