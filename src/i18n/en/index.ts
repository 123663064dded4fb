/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { common } from './common.js';
import { errors } from './errors.js';
import { ledger } from './ledger.js';
import { store } from './store.js';

export const EN = { ...common, ...errors, ...ledger, ...store } as const;
