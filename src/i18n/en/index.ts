/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { common } from './common.js';
import { errors } from './errors.js';
import { documents } from './documents.js';

export const EN = { ...common, ...errors, ...documents } as const;
