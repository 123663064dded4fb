/**
 * Documents for the regulator, as functions: (kind, selection, language, format) → bytes and a content
 * type. The CLI (`chujing report`), the server and the web UI call the same functions, so they offer
 * the same documents. See docs/documents.md.
 *
 * @example
 * const view = documentsView({ report, workspace, status, periods });
 * const out = await renderDocument({ view, calendar }, { kind: 'self-assessment', format: 'docx', lang: 'zh', selection: {} });
 * writeFileSync(out.filename, out.bytes);
 */
import type { Lang } from '../../i18n/index.js';
import { jsonReplacer } from '../../i18n/index.js';
import type { WorkdayCalendar } from '../../lifecycle/calendar.js';
import { buildAnnual } from './builders/annual.js';
import type { BuildContext } from './builders/context.js';
import { buildDeclaration, type DeclarationForm } from './builders/declaration.js';
import { buildPipia } from './builders/pipia.js';
import { buildPlan } from './builders/plan.js';
import { buildScFiling } from './builders/sc-filing.js';
import { buildSecurityChecklist } from './builders/security-checklist.js';
import { buildSelfAssessment } from './builders/self-assessment.js';
import { baseFigures, type DocumentFigures } from './figures.js';
import { localize } from './localize.js';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentTree } from './model.js';
import { redactIdentifiers } from './redact.js';
import { selectTransfers, type Selection } from './select.js';
import type { DocumentsView } from './view.js';
import { writeDocx } from './writers/docx.js';
import { writeHtml } from './writers/html.js';
import { writeMarkdown } from './writers/markdown.js';
import { htmlToPdf, type PdfRenderer } from './writers/pdf.js';

export { DOCUMENT_KINDS, type DocumentKind, type DocumentTree } from './model.js';
export type { DocumentsView } from './view.js';
export type { Selection } from './select.js';
export type { DeclarationForm } from './builders/declaration.js';
export type { DocumentFigures } from './figures.js';
export { documentsView, type DocumentsViewInput } from './adapter.js';
export { documentInputFor, documentInputOf, type DocumentInputOptions, type Environment } from './input.js';
export { PdfRenderer, htmlToPdf } from './writers/pdf.js';

export const DOCUMENT_FORMATS = ['docx', 'html', 'pdf', 'md', 'json'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export const DOCUMENT_SCHEMA = 'chujing.document/1';

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface DocumentInput {
  view: DocumentsView;
  calendar: WorkdayCalendar;
}

export interface DocumentRequest {
  kind: DocumentKind;
  format: DocumentFormat;
  lang: Lang;
  selection?: Selection;
}

export interface RenderedDocument {
  bytes: Uint8Array;
  contentType: string;
  /** A file name for downloads: kind, organisation, as-of date, language. */
  filename: string;
}

export interface BuiltDocument {
  tree: DocumentTree;
  /** The figures and ticks the document states, as data (`--format json`: `figures`). */
  figures: DocumentFigures;
  /** The declaration's form, to copy from (`--format json`). */
  form?: DeclarationForm;
}

const BUILDERS: Record<DocumentKind, (ctx: BuildContext) => BuiltDocument> = {
  'self-assessment': (ctx) => ({ tree: buildSelfAssessment(ctx), figures: baseFigures(ctx.view, ctx.transfers) }),
  declaration: (ctx) => {
    const { form, doc } = buildDeclaration(ctx);
    return { tree: doc, form, figures: { ...baseFigures(ctx.view, ctx.transfers), situation: form.situation, volume: form.processors.flatMap((p) => p.volume) } };
  },
  pipia: (ctx) => ({ tree: buildPipia(ctx), figures: baseFigures(ctx.view, ctx.transfers) }),
  'sc-filing': (ctx) => {
    const { doc, figures } = buildScFiling(ctx);
    return { tree: doc, figures: { ...baseFigures(ctx.view, ctx.transfers), scFiling: figures } };
  },
  plan: (ctx) => {
    const { doc, figures } = buildPlan(ctx);
    return { tree: doc, figures: { ...baseFigures(ctx.view, ctx.transfers), plan: figures } };
  },
  'security-checklist': (ctx) => ({ tree: buildSecurityChecklist(ctx), figures: baseFigures(ctx.view, ctx.transfers) }),
  annual: (ctx) => {
    const { doc, figures, transfers } = buildAnnual(ctx);
    return { tree: doc, figures: { ...baseFigures(ctx.view, transfers), annual: figures } };
  },
};

/** Kinds that describe the organisation rather than transfers: they are written even without transfers. */
const ORGANISATION_KINDS: ReadonlySet<DocumentKind> = new Set(['security-checklist', 'annual']);

/** The document tree of one kind, for the transfers the selection names (bad input when none needs it). */
export function buildDocument(input: DocumentInput, kind: DocumentKind, selection: Selection = {}): BuiltDocument {
  const transfers = ORGANISATION_KINDS.has(kind) && !input.view.transfers.length ? [] : selectTransfers(input.view, kind, selection);
  return BUILDERS[kind]({ ...input, transfers, selection });
}

/** JSON with every string passed through the identifier filter and every message given its text. */
function jsonBytes(value: unknown, lang: Lang): Uint8Array {
  const replace = jsonReplacer(lang);
  const json = JSON.stringify(value, (key, v) => {
    const out = replace(key, v);
    return typeof out === 'string' ? redactIdentifiers(out) : out;
  }, 2);
  return new TextEncoder().encode(`${json}\n`);
}

export async function renderDocument(input: DocumentInput, request: DocumentRequest, options: { pdf?: PdfRenderer } = {}): Promise<RenderedDocument> {
  const { kind, format, lang } = request;
  const built = buildDocument(input, kind, request.selection ?? {});
  const filename = `${kind}-${input.view.organization.id}-${input.view.asOf}-${lang}.${format}`;
  const done = (bytes: Uint8Array): RenderedDocument => ({ bytes, contentType: CONTENT_TYPES[format], filename });
  if (format === 'json') {
    if (built.form) return done(jsonBytes({ ...built.form, figures: built.figures }, lang));
    return done(jsonBytes({ schema: DOCUMENT_SCHEMA, kind, lang, figures: built.figures, document: localize(built.tree, lang) }, lang));
  }
  const doc = localize(built.tree, lang);
  switch (format) {
    case 'md':
      return done(new TextEncoder().encode(writeMarkdown(doc)));
    case 'html':
      return done(new TextEncoder().encode(writeHtml(doc, lang)));
    case 'docx':
      return done(await writeDocx(doc, lang));
    case 'pdf': {
      const html = writeHtml(doc, lang);
      if (options.pdf) return done(await options.pdf.render(html, { footer: doc.title }));
      return done(await htmlToPdf(html, { footer: doc.title }));
    }
  }
}

export function isDocumentKind(value: string): value is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(value);
}
