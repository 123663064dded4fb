/** The Chinese message table (每条消息都有中文). Typed against the English one: a missing key does not compile. */
import type { EN } from '../en/index.js';
import { common } from './common.js';
import { engine } from './engine.js';
import { errors } from './errors.js';
import { model } from './model.js';
import { report } from './report.js';
import { server } from './server.js';
import { web } from './web.js';

export const ZH: Record<keyof typeof EN, string> = { ...common, ...errors, ...engine, ...model, ...report, ...server, ...web };
