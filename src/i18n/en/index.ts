/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { ci } from './ci.js';
import { cli } from './cli.js';
import { common } from './common.js';
import { documents } from './documents.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { evidence } from './evidence.js';
import { exportFiles } from './export.js';
import { help } from './help.js';
import { ledger } from './ledger.js';
import { lifecycle } from './lifecycle.js';
import { loader } from './loader.js';
import { model } from './model.js';
import { report } from './report.js';
import { server } from './server.js';
import { settings } from './settings.js';
import { storage } from './storage.js';
import { store } from './store.js';
import { web } from './web.js';

export const EN = {
  ...ci,
  ...cli,
  ...common,
  ...documents,
  ...engine,
  ...errors,
  ...evidence,
  ...exportFiles,
  ...help,
  ...ledger,
  ...lifecycle,
  ...loader,
  ...model,
  ...report,
  ...server,
  ...settings,
  ...storage,
  ...store,
  ...web,
} as const;
