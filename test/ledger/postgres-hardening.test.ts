// Issues 8, 9, 10, 14 on the postgres back-end (see hardening.ts).
import { BACKENDS } from './backends.js';
import { ledgerHardening } from './hardening.js';

ledgerHardening(BACKENDS.find((b) => b.name === 'postgres')!);
