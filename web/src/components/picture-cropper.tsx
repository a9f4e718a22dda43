/**
 * Cropping a picked image before it is uploaded (an avatar or icon square, a banner
 * 16:9), with Cropper.js: drag or resize the frame, drag the image, zoom with the
 * buttons or the wheel, and see the result as it will show. The crop is drawn into a
 * canvas at the size the picture is shown at and encoded again, which also leaves
 * behind the original's EXIF (GPS, camera serial) and every other metadata block.
 */
import Cropper, { type CropperSelection } from "cropperjs";
import { useEffect, useRef } from "preact/hooks";
import { PICTURE_MAX_BYTES } from "../../../protocol/index.ts";
import { FormError } from "./form-error.tsx";

interface PictureCropperProps {
  /** The file the person picked. */
  file: File;
  /** Width over height of the crop, and the pixels it is saved at. */
  width: number;
  height: number;
  /** "avatar", "icon", "banner": names the controls. */
  what: string;
  /** A round preview for avatars. */
  isRound?: boolean;
  isBusy: boolean;
  error: string | null;
  onSave(picture: Blob): void;
  onCancel(): void;
}

/** The image moves and zooms under a frame that keeps its proportions; no rotation, no free selection. */
const template = (aspectRatio: number) => `<cropper-canvas background scale-step="0.1">
  <cropper-image initial-center-size="cover" scalable translatable></cropper-image>
  <cropper-shade theme-color="rgba(0, 0, 0, 0.55)"></cropper-shade>
  <cropper-handle action="move" plain></cropper-handle>
  <cropper-selection id="picture-selection" aspect-ratio="${aspectRatio}" initial-coverage="0.9" movable resizable outlined>
    <cropper-handle action="move" theme-color="rgba(0, 0, 0, 0)"></cropper-handle>
    <cropper-handle action="ne-resize"></cropper-handle>
    <cropper-handle action="nw-resize"></cropper-handle>
    <cropper-handle action="se-resize"></cropper-handle>
    <cropper-handle action="sw-resize"></cropper-handle>
  </cropper-selection>
</cropper-canvas>`;

/** Lossy quality: indistinguishable at these sizes, and well under PICTURE_MAX_BYTES. */
const QUALITY = 0.9;

/** The crop as WebP (or PNG where WebP cannot be written), JPEG if that is too large. */
async function encode(canvas: HTMLCanvasElement): Promise<Blob | null> {
  const toBlob = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, QUALITY));
  const first = await toBlob("image/webp");
  if (first && first.size <= PICTURE_MAX_BYTES) return first;
  const jpeg = await toBlob("image/jpeg");
  return jpeg && jpeg.size <= PICTURE_MAX_BYTES ? jpeg : null;
}

export function PictureCropper(props: PictureCropperProps) {
  const { file, width, height, what } = props;
  const stage = useRef<HTMLDivElement>(null);
  const previews = useRef<HTMLDivElement>(null);
  const cropper = useRef<Cropper | null>(null);

  useEffect(() => {
    const source = URL.createObjectURL(file);
    // Never in the page itself: Cropper.js shows it through its own elements, in `stage`.
    const element = document.createElement("img");
    element.src = source;
    element.alt = `The picture to crop for the ${what}`;
    const made = new Cropper(element, { container: stage.current!, template: template(width / height) });
    cropper.current = made;
    const selection = made.getCropperSelection()!;
    keepInside(selection);
    // Previews at the sizes the picture is shown at (the profile and the member list).
    const shown = [...(props.isRound ? ["is-large", "is-small"] : ["is-large"])].map((size) => {
      const viewer = document.createElement("cropper-viewer");
      viewer.setAttribute("selection", "#picture-selection");
      viewer.className = `picture-preview ${size}${props.isRound ? " is-round" : ""}`;
      previews.current!.append(viewer);
      return viewer;
    });
    return () => {
      for (const viewer of shown) viewer.remove();
      made.destroy();
      cropper.current = null;
      URL.revokeObjectURL(source);
    };
  }, [file, width, height]);

  const zoom = (by: number) => cropper.current?.getCropperImage()?.$zoom(by);
  const save = async () => {
    const selection = cropper.current?.getCropperSelection();
    if (!selection) return;
    const picture = await encode(exactly(await selection.$toCanvas({ width, height }), width, height));
    if (picture) props.onSave(picture);
  };

  return (
    <div class="picture-cropper" role="group" aria-label={`Crop the ${what}`}>
      <div class="picture-cropper-stage" ref={stage} />
      <div class="picture-cropper-side">
        <div class="picture-previews" ref={previews} aria-hidden="true" />
        <div class="button-row">
          <button type="button" onClick={() => zoom(0.1)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => zoom(-0.1)} aria-label="Zoom out">
            −
          </button>
        </div>
        <p class="hint">Drag the frame or the picture; zoom with the buttons or the mouse wheel.</p>
        <FormError id={`${what}-crop-error`} error={props.error} />
        <div class="button-row">
          <button type="button" class="primary" onClick={() => void save()} disabled={props.isBusy}>
            Apply
          </button>
          <button type="button" onClick={props.onCancel} disabled={props.isBusy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/** Cropper.js rounds one side from the frame's ratio (960×539): the picture is stored at exactly its size. */
function exactly(drawn: HTMLCanvasElement, width: number, height: number): HTMLCanvasElement {
  if (drawn.width === width && drawn.height === height) return drawn;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) return drawn;
  context.imageSmoothingQuality = "high";
  context.drawImage(drawn, 0, 0, width, height);
  return canvas;
}

/** A frame moved or resized past the canvas would crop empty space: such a change is refused. */
function keepInside(selection: CropperSelection): void {
  selection.addEventListener("change", (event) => {
    const canvas = selection.parentElement as HTMLElement | null;
    if (!canvas) return;
    const { x, y, width, height } = (event as CustomEvent<{ x: number; y: number; width: number; height: number }>)
      .detail;
    const isInside = x >= 0 && y >= 0 && x + width <= canvas.offsetWidth && y + height <= canvas.offsetHeight;
    if (!isInside) event.preventDefault();
  });
}
