/** Previous and next page of a list the server pages, and which page is in view. */
import type { ReadonlySignal } from "@preact/signals";

interface PagerProps {
  /** What is paged, for the navigation's name: "users". */
  label: string;
  pageNumber: ReadonlySignal<number>;
  hasPrevious: ReadonlySignal<boolean>;
  hasNext: ReadonlySignal<boolean>;
  isBusy: boolean;
  previousLabel?: string;
  nextLabel?: string;
  onPrevious: () => void;
  onNext: () => void;
}

export function Pager(props: PagerProps) {
  const { label, pageNumber, hasPrevious, hasNext, isBusy } = props;
  if (!hasPrevious.value && !hasNext.value) return null;
  return (
    <nav class="pager" aria-label={`Pages of ${label}`}>
      <button type="button" disabled={!hasPrevious.value || isBusy} onClick={props.onPrevious}>
        {props.previousLabel ?? "Previous page"}
      </button>
      <span>Page {pageNumber.value}</span>
      <button type="button" disabled={!hasNext.value || isBusy} onClick={props.onNext}>
        {props.nextLabel ?? "Next page"}
      </button>
    </nav>
  );
}
