/**
 * The page and the faces every writer shares (DOCX, HTML, and the PDF printed from the HTML).
 *
 * The CAC's template for the data-outbound risk self-assessment report states its format, and all seven
 * documents follow it (one house style for what an officer files): A4; margins 2.54 cm top and bottom,
 * 3.18 cm left and right; 仿宋 body; 黑体 first-level headings; 楷体 bold second-level headings; a fixed
 * line pitch. The template names no sizes: they are those of GB/T 9704 (title 二号 22 pt, headings
 * and body 三号 16 pt with a fixed 28 pt line pitch, tables 五号 10.5 pt).
 *
 * Font names: the Chinese names Word and browsers on a Chinese Windows resolve (宋体, 黑体, 仿宋, 楷体),
 * then their English and macOS names, then the free fonts Debian ships. For the PDF the free fonts must
 * be TrueType-outline (glyf) fonts: Chromium's PDF backend (Skia) embeds those as CID TrueType subsets,
 * but draws CFF/OpenType-outline fonts — Noto CJK, Source Han — as Type 3 glyph procedures (~240 fonts,
 * 1 MB for a Chinese report, text that some tools cannot search). Debian's fonts-arphic-uming (明体, for
 * 宋体/仿宋), fonts-arphic-ukai (楷体) and fonts-wqy-zenhei (黑体) are glyf fonts; Noto CJK stays last,
 * for a machine without them. Latin letters and digits come from Times New Roman / Liberation Serif
 * (Debian's fonts-liberation, also TrueType). No free Chinese font has a real bold face and Chromium
 * prints an emboldened glyph as Type 3, so the HTML and PDF set no Chinese text in bold (html.ts).
 */
import type { Lang } from '../../../i18n/index.js';

/** Page margins of the self-assessment template, in millimetres. */
export const PAGE_MARGINS_MM = { top: 25.4, bottom: 25.4, left: 31.8, right: 31.8 } as const;

/** The fixed line pitch of the Chinese body text, in points (GB/T 9704: 22 lines on the type area). */
export const LINE_PITCH_PT = 28;

/** Point sizes: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5. */
export const SIZE_PT = {
  zh: { title: 22, h1: 16, h2: 16, h3: 16, body: 16, note: 14, table: 10.5, subtitle: 14 },
  en: { title: 20, h1: 15, h2: 13, h3: 11.5, body: 11, note: 10, table: 9.5, subtitle: 10 },
} as const;

/** The East Asian face named in the DOCX (what Word on a Chinese Windows shows) and the Latin one. */
export interface DocxFace {
  ascii: string;
  eastAsia: string;
}

export interface Faces<T> {
  title: T;
  h1: T;
  h2: T;
  h3: T;
  body: T;
  mono: T;
}

export const DOCX_FACES: Record<Lang, Faces<DocxFace>> = {
  zh: {
    title: { ascii: 'Times New Roman', eastAsia: '宋体' },
    h1: { ascii: 'Times New Roman', eastAsia: '黑体' },
    h2: { ascii: 'Times New Roman', eastAsia: '楷体' },
    h3: { ascii: 'Times New Roman', eastAsia: '仿宋' },
    body: { ascii: 'Times New Roman', eastAsia: '仿宋' },
    // Identifiers in the body face, as in official documents (a monospaced face only in English).
    mono: { ascii: 'Times New Roman', eastAsia: '仿宋' },
  },
  en: {
    title: { ascii: 'Times New Roman', eastAsia: '宋体' },
    h1: { ascii: 'Arial', eastAsia: '黑体' },
    h2: { ascii: 'Arial', eastAsia: '黑体' },
    h3: { ascii: 'Times New Roman', eastAsia: '宋体' },
    body: { ascii: 'Times New Roman', eastAsia: '宋体' },
    mono: { ascii: 'Courier New', eastAsia: '宋体' },
  },
};

const LATIN_SERIF = '"Times New Roman", "Liberation Serif"';
const LATIN_SANS = 'Arial, "Liberation Sans"';
/** Symbols the Chinese fonts lack (☐ ☑ ✓ ≥): DejaVu Sans (TrueType, Debian's fonts-dejavu-core). */
const SYMBOLS = '"DejaVu Sans"';
/** Song (宋体 / 小标宋): the title. */
const SONG = `"方正小标宋简体", "FZXiaoBiaoSong-B05S", "宋体", SimSun, "Songti SC", STSong, "AR PL UMing CN", ${SYMBOLS}, "Noto Serif CJK SC"`;
/** FangSong (仿宋): the body; Debian has no free FangSong, AR PL UMing (a Ming/Song face) stands in. */
const FANGSONG = `"仿宋", FangSong, "仿宋_GB2312", FangSong_GB2312, STFangsong, "AR PL UMing CN", ${SYMBOLS}, "Noto Serif CJK SC"`;
/** Hei (黑体): first-level headings, table heads, emphasis. */
const HEI = `"黑体", SimHei, "Heiti SC", STHeiti, "WenQuanYi Zen Hei", ${SYMBOLS}, "Noto Sans CJK SC"`;
/** Kai (楷体): second-level headings. */
const KAI = `"楷体", KaiTi, "楷体_GB2312", KaiTi_GB2312, STKaiti, "AR PL UKai CN", ${SYMBOLS}, "Noto Serif CJK SC"`;

/** CSS font-family stacks: Latin face first (Chromium falls through per character), then the CJK faces. */
export const CSS_FACES: Record<Lang, Faces<string>> = {
  zh: {
    title: `${LATIN_SERIF}, ${SONG}, serif`,
    h1: `${HEI}, sans-serif`,
    h2: `${LATIN_SERIF}, ${KAI}, serif`,
    h3: `${LATIN_SERIF}, ${FANGSONG}, serif`,
    body: `${LATIN_SERIF}, ${FANGSONG}, serif`,
    mono: `"Liberation Mono", "DejaVu Sans Mono", "Courier New", ${FANGSONG}, monospace`,
  },
  en: {
    title: `${LATIN_SERIF}, ${SONG}, serif`,
    h1: `${LATIN_SANS}, ${HEI}, sans-serif`,
    h2: `${LATIN_SANS}, ${HEI}, sans-serif`,
    h3: `${LATIN_SERIF}, ${SONG}, serif`,
    body: `${LATIN_SERIF}, ${SONG}, serif`,
    mono: `"Liberation Mono", "DejaVu Sans Mono", "Courier New", ${SONG}, monospace`,
  },
};

/** The Hei stack for table heads and emphasis in Chinese (bold Chinese would be emboldened, see above). */
export const CSS_HEI = `${HEI}, sans-serif`;

/**
 * Tokens that must not be broken across lines: identifiers, dates, rule IDs, figures with separators
 * (`t-2026-013`, `2026-11-23`, `DRAFT-J12`, `1,050,000`). Letters and digits joined by - . / : _ or a
 * comma between digits; longer than 40 characters (a path, a URL) it may wrap, or it would overflow.
 */
export const UNBREAKABLE_TOKEN = /[A-Za-z0-9]+(?:(?:[-./:_]|,(?=\d{3}))[A-Za-z0-9]+)+/g;
export const MAX_UNBREAKABLE = 40;
