/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { cli } from './cli.js';
import { common } from './common.js';
import { documents } from './documents.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { evidence } from './evidence.js';
import { model } from './model.js';
import { report } from './report.js';
import { server } from './server.js';
import { web } from './web.js';

export const EN = {
  ...cli,
  ...common,
  ...documents,
  ...engine,
  ...errors,
  ...evidence,
  ...model,
  ...report,
  ...server,
  ...web,
} as const;
