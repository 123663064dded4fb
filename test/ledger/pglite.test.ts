// The ledger conformance suite on the embedded back-end (PGlite in the workspace's .chujing/db).
import { BACKENDS } from './backends.js';
import { ledgerConformance } from './conformance.js';

ledgerConformance(BACKENDS.find((b) => b.name === 'pglite')!);
