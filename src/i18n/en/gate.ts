/** Messages of the server's integrity, availability and validation answers (issue 18). */
export const gate = {
  // Validation problems, in the caller's language (zod's own texts are English only).
  'server.zod.missing': 'required field is missing',
  'server.zod.type': 'expected {expected}',
  'server.zod.type.string': 'a string',
  'server.zod.type.number': 'a number',
  'server.zod.type.int': 'a whole number',
  'server.zod.type.boolean': 'true or false',
  'server.zod.type.object': 'an object',
  'server.zod.type.array': 'a list',
  'server.zod.type.nonoptional': 'a value',
  'server.zod.type.other': 'a value of type {type}',
  'server.zod.too-long': 'too long: at most {max} characters',
  'server.zod.too-many': 'too many: at most {max} items',
  'server.zod.too-big': 'too large: at most {max}',
  'server.zod.too-short': 'too short: at least {min} characters',
  'server.zod.too-few': 'too few: at least {min} items',
  'server.zod.too-small': 'too small: at least {min}',
  'server.zod.one-of': 'not one of the accepted values',
  'server.zod.one-of-expected': 'one of {values}',
  'server.zod.unknown-field': "unknown field '{key}'",
  'server.zod.unknown-parameter': "unknown parameter '{key}'",
  'server.zod.documented': 'only what /openapi.json documents',
  'server.zod.no-form': 'no accepted form matches',
  'server.zod.format': 'not in the expected format ({format})',
  'server.zod.rule': '{detail}',

  // Bounds on every text a request carries.
  'server.bounds.too-long': '{field} is {length} characters long; at most {max} are accepted',
  'server.bounds.expected': 'at most {max} characters',

  // Requests Fastify or Node refuse before a route runs.
  'server.request.bad-url': 'the URL cannot be read (malformed percent-encoding or characters)',
  'server.request.url-expected': 'a URL encoded as RFC 3986 describes',
  'server.request.param-too-long': 'a part of the URL path is longer than {max} characters',
  'server.request.headers-too-large': 'the request headers are too large',
  'server.request.smaller-headers': 'headers of at most {max} bytes together',
  'server.request.no-asset': 'the web UI has no file {path}',

  // /v1/health for authenticated callers.
  'server.health.checkpoint-failed': 'the embedded database could not be checkpointed ({why}): its write-ahead log keeps growing until a checkpoint succeeds',
  'server.health.database-failing': '{problem}: failing since {since}, {failures} statement(s) failed (the last answer: {detail}); requests that write to it (logged decisions, executions, edits of tokens) get 503 until a statement succeeds',
  'server.health.vacuum-failed': 'the embedded database could not be vacuumed ({why}): its oldest unfrozen transaction is {age} transactions old, and rows older than 2^31 transactions would become invisible; space freed by retention is not reused until a vacuum succeeds',
  'server.health.workspace-invalid': 'the workspace on disk is not valid ({file}, line {line}); decisions and reads still use the last valid revision {revision}',
  'server.health.fleet-disagrees': 'another chujing server on this database has decided on a different workspace for over {seconds} s: {others}; this one serves {revision}. The same upload can be allowed by one server and denied by another: deploy the same workspace to every server',
  'server.health.workspace-invalid-nowhere': 'the workspace on disk is not valid; decisions and reads still use the last valid revision {revision}',
} as const;
