/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { cli } from './cli.js';
import { common } from './common.js';
import { documents } from './documents.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { evidence } from './evidence.js';
import { ledger } from './ledger.js';
import { model } from './model.js';
import { report } from './report.js';
import { server } from './server.js';
import { store } from './store.js';
import { web } from './web.js';

export const EN = {
  ...cli,
  ...common,
  ...documents,
  ...engine,
  ...errors,
  ...evidence,
  ...ledger,
  ...model,
  ...report,
  ...server,
  ...store,
  ...web,
} as const;
