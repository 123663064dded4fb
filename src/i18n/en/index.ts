/** The English message table: one object per domain, merged. Each domain's zh twin must match it. */
import { ci } from './ci.js';
import { cli } from './cli.js';
import { common } from './common.js';
import { display } from './display.js';
import { documents } from './documents.js';
import { documentsContent } from './documents-content.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { evidence } from './evidence.js';
import { exportFiles } from './export.js';
import { gate } from './gate.js';
import { help } from './help.js';
import { imagery } from './imagery.js';
import { law } from './law.js';
import { ledger } from './ledger.js';
import { lifecycle } from './lifecycle.js';
import { loader } from './loader.js';
import { model } from './model.js';
import { rendering } from './rendering.js';
import { provenance } from './provenance.js';
import { report } from './report.js';
import { server } from './server.js';
import { settings } from './settings.js';
import { storage } from './storage.js';
import { store } from './store.js';
import { web } from './web.js';
import { webui } from './webui.js';

export const EN = {
  ...ci,
  ...cli,
  ...common,
  ...display,
  ...documents,
  ...documentsContent,
  ...engine,
  ...errors,
  ...evidence,
  ...exportFiles,
  ...gate,
  ...help,
  ...imagery,
  ...law,
  ...ledger,
  ...lifecycle,
  ...loader,
  ...model,
  ...rendering,
  ...provenance,
  ...report,
  ...server,
  ...settings,
  ...storage,
  ...store,
  ...web,
  ...webui,
} as const;
