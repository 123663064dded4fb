/**
 * Image decoding with sharp (libvips), loaded on first use. Decompression bombs are refused by sharp's
 * input-pixel limit before any pixel is decoded; truncated or corrupt files fail (`failOn: 'truncated'`)
 * instead of decoding half an image — a half-decoded image would under-report its faces.
 */
import type { Frame } from './detect.js';

type Sharp = (typeof import('sharp'))['default'];
let sharpModule: Promise<Sharp> | undefined;
export function loadSharp(): Promise<Sharp> {
  return (sharpModule ??= import('sharp').then((m) => m.default));
}

/** Largest image decoded: 100 megapixels (a 12,000 × 8,000 photo); larger is refused as a possible bomb. */
export const MAX_INPUT_PIXELS = 100_000_000;

export class DecodeError extends Error {
  constructor(
    readonly reason: 'bomb' | 'corrupt',
    detail: string,
  ) {
    super(detail);
  }
}

/** Decode a file's bytes to an RGB frame, EXIF orientation applied (as a viewer shows the photo). */
export async function decodeImage(bytes: Uint8Array, maxPixels = MAX_INPUT_PIXELS): Promise<Frame> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated', sequentialRead: true })
      .autoOrient()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (e) {
    const text = (e as Error).message;
    throw new DecodeError(/pixel limit/i.test(text) ? 'bomb' : 'corrupt', text);
  }
}

/** Resize a raw RGB frame (bilinear, as the detectors' own letterbox does). */
export async function resizeRaw(frame: Frame, width: number, height: number): Promise<Frame> {
  const sharp = await loadSharp();
  const data = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}
