/**
 * A link in a message. Only http(s) and mailto addresses become links (anything
 * else, `javascript:` included, stays the words typed); they open in a new tab
 * without handing it this page. A link whose words differ from its address says
 * where it goes: the address on hover and its host beside the words, so
 * "[my bank](https://elsewhere.example)" cannot pass for the bank.
 */
import type { ComponentChildren } from "preact";

const LINKABLE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The address as a URL when it may become a link, else null. */
export function linkableUrl(href: string): URL | null {
  try {
    const url = new URL(href);
    return LINKABLE_PROTOCOLS.has(url.protocol) ? url : null;
  } catch {
    return null;
  }
}

interface MessageLinkProps {
  url: URL;
  /** What the message shows: the address itself, or the words of a [masked](link). */
  children: ComponentChildren;
  /** The words as plain text, for a masked link; absent when the link is its address. */
  maskedWords?: string;
}

export function MessageLink({ url, children, maskedWords }: MessageLinkProps) {
  const isMasked = maskedWords !== undefined && !sameAddress(maskedWords, url.href);
  const target = url.protocol === "mailto:" ? url.pathname : url.host;
  return (
    <a class="message-link" href={url.href} target="_blank" rel="noopener noreferrer" title={url.href}>
      {children}
      {isMasked && target && <span class="link-target"> ({target})</span>}
    </a>
  );
}

/** Words that are the address already need no host beside them. */
function sameAddress(words: string, href: string): boolean {
  const bare = (address: string) =>
    address
      .trim()
      .replace(/^(https?:\/\/|mailto:)/i, "")
      .replace(/\/$/, "")
      .toLowerCase();
  return bare(words) === bare(href);
}
