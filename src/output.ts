/** A text stream a surface writes to (the CLI's stdout/stderr; the scanners' progress bar draws on it). */
export interface Output {
  write(text: string): void;
  /** Whether this stream is a terminal (colours, progress bars). */
  isTTY: boolean;
  /** The terminal's width in columns, when it is one (tables fit it). */
  columns?: number;
}
