/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { common } from './common.js';
import { errors } from './errors.js';
import { server } from './server.js';

export const EN = { ...common, ...errors, ...server } as const;
