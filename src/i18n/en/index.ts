/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { common } from './common.js';
import { documents } from './documents.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { model } from './model.js';
import { report } from './report.js';

export const EN = { ...common, ...errors, ...engine, ...model, ...report, ...documents } as const;
