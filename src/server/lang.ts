/**
 * The language of an answer: `?lang=zh|en` (any spelling the CLI accepts), else the best of
 * Accept-Language that chujing speaks, else English. An unknown `lang` is a 400, as `--lang` is exit 2.
 */
import type { FastifyRequest } from 'fastify';
import { badInput } from '../errors.js';
import { langOf, msg, type Lang } from '../i18n/index.js';

export function acceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    if (!tag) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang = tag.trim() === '*' ? null : langOf(tag);
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? null;
}

export function requestLang(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof q === 'string' && q !== '') {
    const lang = langOf(q);
    if (!lang) throw badInput(msg('server.request.bad-lang', { lang: q }), [{ field: 'query.lang', message: msg('server.request.bad-lang', { lang: q }), expected: 'zh, en' }]);
    return lang;
  }
  return acceptLanguage(req.headers['accept-language']) ?? 'en';
}
