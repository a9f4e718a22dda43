/**
 * An otpauth:// URI as a QR code image. SVG in a data: URL, shown by an <img>:
 * the CSP allows data: images but no inline style, and an image's own markup
 * is never part of the page.
 */
import QRCode from "qrcode";

export async function qrCodeImageUrl(text: string): Promise<string> {
  // Dark on white whatever the theme: scanners expect it.
  const svg = await QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
    color: { dark: "#000000", light: "#ffffff" },
  });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
