import { t, text, type Lang, type Text } from './i18n/index.js';

/**
 * One error family for the whole tool. The CLI maps `code` to an exit code, the server to an HTTP
 * status. User mistakes (bad YAML, wrong field, broken annotation file) are `bad-input`: exit 2, never a
 * stack trace.
 */
export type ErrorCode =
  | 'bad-input' // the user's file, flag or request is wrong
  | 'not-found' // a file, rule or record named by the user does not exist
  | 'database-in-use' // another process holds the embedded database
  | 'database-unavailable' // the database cannot be opened (damaged, newer schema): the message says what to do
  | 'conflict' // a record with the same id but different content exists
  | 'integrity' // tamper evidence failed (ledger verify)
  | 'internal';

/** Where in the user's input the problem is. Every field optional: say as much as is known. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** JSON-path-like location of the field, e.g. `transfers[2].date`. */
  field?: string;
  /** Byte offset (large streamed files where lines are not counted). */
  offset?: number;
}

export interface ErrorIssue extends ErrorLocation {
  /** What is wrong: a message code with parameters (or, while a module is being converted, a string). */
  message: Text;
  /** What was expected, in plain words ("a date YYYY-MM-DD", "one of coco, kitti, ..."). */
  expected?: Text;
}

export class ChujingError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[];
  /** The summary as a message (Error.message holds its English text, for logs and stack traces). */
  readonly summary: Text;

  constructor(code: ErrorCode, message: Text, issues: ErrorIssue[] = []) {
    super(text('en', message));
    this.name = 'ChujingError';
    this.code = code;
    this.issues = issues;
    this.summary = message;
  }
}

export const badInput = (message: Text, issues: ErrorIssue[] = []) => new ChujingError('bad-input', message, issues);

/** Exit codes of the stable CLI contract (product.md). */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'bad-input':
    case 'not-found':
    case 'conflict':
      return 2;
    case 'integrity':
      return 1;
    case 'database-in-use':
    case 'database-unavailable':
      return 3;
    case 'internal':
      return 70;
  }
}

/** HTTP status for the server (kept beside the exit codes so both surfaces agree). */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'bad-input':
      return 400;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'database-in-use':
    case 'database-unavailable':
      return 503;
    case 'integrity':
      return 409;
    case 'internal':
      return 500;
  }
}

/** "file:line:col field: message (expected ...)" — one line per issue, for people. */
export function formatIssue(issue: ErrorIssue, lang: Lang = 'en'): string {
  let where = issue.file ?? '';
  if (issue.line !== undefined) where += `${where ? ':' : 'line '}${issue.line}`;
  if (issue.column !== undefined) where += `:${issue.column}`;
  if (issue.offset !== undefined) where += `${where ? ' ' : ''}@byte ${issue.offset}`;
  const field = issue.field ? `${where ? ' ' : ''}${issue.field}` : '';
  const expected = issue.expected ? t(lang, 'error.expected', { what: text(lang, issue.expected) }) : '';
  return `${where}${field}${where || field ? ': ' : ''}${text(lang, issue.message)}${expected}`;
}
