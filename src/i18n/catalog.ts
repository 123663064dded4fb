/** One message table per language, keyed by code. */
import { EN } from './en/index.js';
import { ZH } from './zh/index.js';
import type { Lang } from './lang.js';

export type MessageCode = keyof typeof EN;
export const MESSAGES: Record<Lang, Record<MessageCode, string>> = { en: EN, zh: ZH };
