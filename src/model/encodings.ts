/** Text encodings chujing reads (manifests exported from Excel are often GB18030/GBK). */
export const TEXT_ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];
