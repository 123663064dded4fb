/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { common } from './common.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { model } from './model.js';
import { report } from './report.js';
import { server } from './server.js';
import { web } from './web.js';

export const EN = { ...common, ...errors, ...engine, ...model, ...report, ...server, ...web } as const;
