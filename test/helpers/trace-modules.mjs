// `node --import ./trace-modules.mjs …`: append the URL of every module the process resolves to the file
// named by CHUJING_TRACE (start-up tests: which modules a command loads).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(
    "import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.CHUJING_TRACE, r.url + '\\n'); return r; }",
  )}`,
);
