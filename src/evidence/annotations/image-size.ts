/**
 * Image width and height from the file header, without decoding pixels: PNG, JPEG, BMP, GIF, WebP.
 * The stored size is returned (EXIF orientation is not applied: YOLO tools normalise against the stored
 * raster too).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface ImageSize {
  width: number;
  height: number;
}

const HEAD = 64 * 1024;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** Size from the first bytes of an image; JPEG may need more reads (`more`). */
export function sizeFromHeader(head: Buffer, more?: (position: number, length: number) => Buffer): ImageSize | null {
  // PNG: signature, then the IHDR chunk: width and height, big-endian, at 16 and 20.
  if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47 && head.toString('latin1', 12, 16) === 'IHDR') {
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  }
  // GIF87a / GIF89a: logical screen width and height, little-endian, at 6 and 8.
  if (head.length >= 10 && head.toString('latin1', 0, 3) === 'GIF') {
    return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  }
  // BMP: BITMAPINFOHEADER width/height (int32 LE) at 18/22; a negative height means top-down rows.
  if (head.length >= 26 && head[0] === 0x42 && head[1] === 0x4d) {
    const dibSize = head.readUInt32LE(14);
    if (dibSize === 12) return { width: head.readUInt16LE(18), height: head.readUInt16LE(20) };
    return { width: head.readInt32LE(18), height: Math.abs(head.readInt32LE(22)) };
  }
  // WebP: RIFF....WEBP then a VP8 / VP8L / VP8X chunk.
  if (head.length >= 30 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = head.toString('latin1', 12, 16);
    if (chunk === 'VP8 ') return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const b = head.readUInt32LE(21);
      return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 };
    return null;
  }
  // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 except DHT C4, JPG C8, DAC CC).
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) {
    let buf = head;
    let base = 0;
    let pos = 2;
    for (let guard = 0; guard < 10_000; guard++) {
      if (pos + 9 > base + buf.length) {
        if (!more) return null;
        buf = more(pos, 4096);
        base = pos;
        if (buf.length < 9) return null;
      }
      const i = pos - base;
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1]!;
      if (marker === 0xff) {
        pos++; // fill byte
        continue;
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        pos += 2;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: buf.readUInt16BE(i + 7), height: buf.readUInt16BE(i + 5) };
      }
      if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan before any frame header
      pos += 2 + buf.readUInt16BE(i + 2);
    }
  }
  return null;
}

export function readImageSize(file: string): ImageSize | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return sizeFromHeader(readAt(fd, 0, HEAD), (position, length) => readAt(fd, position, length));
  } finally {
    closeSync(fd);
  }
}
