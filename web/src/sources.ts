/** Citations as people read them, per language, and the instruments they cite: src/rules/sources.ts
 * (the data behind docs/sources.md), bundled so the UI resolves a source key without asking. */
export { SOURCES, citedSources, findSource, formatSource } from '../../src/rules/sources.js';
