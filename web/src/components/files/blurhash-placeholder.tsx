/**
 * An image's blurred stand-in, drawn from its blurhash on a tiny canvas that the
 * stylesheet stretches over the image's whole box: the box already has the image's
 * final size, so nothing moves when the image itself arrives.
 */
import { decode, isBlurhashValid } from "blurhash";
import { useEffect, useRef } from "preact/hooks";

/** Pixels along the longer side: a blurhash holds a handful of colours, more would be wasted. */
const PLACEHOLDER_EDGE = 32;

export function BlurhashPlaceholder({ blurhash, width, height }: { blurhash?: string; width: number; height: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const scale = PLACEHOLDER_EDGE / Math.max(width, height);
  const pixelsWide = Math.max(1, Math.round(width * scale));
  const pixelsHigh = Math.max(1, Math.round(height * scale));

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    // The sender wrote the blurhash: one that does not parse is only a plain box.
    if (!context || !blurhash || !isBlurhashValid(blurhash).result) return;
    const pixels = decode(blurhash, pixelsWide, pixelsHigh);
    const image = context.createImageData(pixelsWide, pixelsHigh);
    image.data.set(pixels);
    context.putImageData(image, 0, 0);
  }, [blurhash, pixelsWide, pixelsHigh]);

  return <canvas ref={canvas} class="file-placeholder" width={pixelsWide} height={pixelsHigh} aria-hidden="true" />;
}
