/** Which file names a folder of images or of video contributes (no dependency: `validate` uses it too). */
import { extname } from 'node:path';

export type ImageryKind = 'images' | 'video';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif'];
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.mkv', '.avi', '.webm', '.m4v', '.ts', '.mts', '.m2ts', '.flv', '.wmv', '.3gp'];

export function acceptsName(kind: ImageryKind): (name: string) => boolean {
  const list = kind === 'images' ? IMAGE_EXTENSIONS : VIDEO_EXTENSIONS;
  return (name) => list.includes(extname(name).toLowerCase());
}
