/**
 * What the last change did, announced politely; errors go through FormError
 * (role="alert"). Always in the page, empty when there is no news: a live region
 * that appears together with its text is often not read out.
 */
import { sentence } from "../../../src/components/sentence.ts";

export function StatusMessage({ text }: { text: string | null }) {
  return (
    <p class="status-message" role="status">
      {text ? sentence(text) : ""}
    </p>
  );
}
