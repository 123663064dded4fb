import type { Comparator } from '../rules/types.js';
import type { Fact } from './types.js';

/** `value comparator threshold`; a boolean fact only compares with == / !=. */
export function compare(value: Fact, comparator: Comparator, threshold: Fact): boolean {
  if (typeof value === 'boolean' || typeof threshold === 'boolean') {
    if (comparator === '==') return value === threshold;
    if (comparator === '!=') return value !== threshold;
    return false;
  }
  switch (comparator) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
