export { LANGS, langFromEnv, langOf, parseLang, type Lang } from './lang.js';
export { isMsg, msg, type Msg, type Param, type Params, type Text } from './msg.js';
export { formatCount, hasMessage, render, t, template, text, type RenderStyle } from './format.js';
export { jsonReplacer, toJson } from './json.js';
export { MESSAGES, type MessageCode } from './catalog.js';
