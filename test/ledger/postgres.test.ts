// The ledger conformance suite on a PostgreSQL server (CHUJING_TEST_DATABASE_URL; required when CI=true).
import { BACKENDS } from './backends.js';
import { ledgerConformance } from './conformance.js';

ledgerConformance(BACKENDS.find((b) => b.name === 'postgres')!);
