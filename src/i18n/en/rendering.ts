/** Rendering documents: the browser that prints PDFs, the output file's format (src/report/documents/writers, src/cli/commands/report.ts). */
export const rendering = {
  'doc.render.browser-failed': 'cannot print PDF: Chromium ({path}) did not start',
  'doc.render.browser-expected':
    "Debian's chromium package (apt-get install chromium), or CHUJING_CHROMIUM set to a working Chromium or Chrome executable; or another format (--format docx, html or md)",
  'doc.render.format-mismatch': '--format {format} does not match the file name {file} (a {implied} file)',
  'doc.render.format-mismatch-expected': '--out FILE.{format}, or no --format (the format is taken from the file name)',
  'doc.render.unknown-extension': 'cannot tell the format from the file name {file}',
  'doc.render.unknown-extension-expected': 'a file name ending in {extensions}, or --format',
} as const;
