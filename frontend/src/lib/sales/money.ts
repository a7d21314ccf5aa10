// Amounts, quantities and rates as typed in the sales forms: integer counts
// of cents, thousandths and basis points, read and written with the
// interface language's separators (lib/format.ts).
import { parseNumber, formatFixed } from '../format';

export { formatFixed };

/** "1 234,56 €" (fr), "€1,234.56" (en) → 123456; null when it is not an amount. */
export const parseCents = (s: string) => parseNumber(s, 2);
export const parseQuantity = (s: string) => parseNumber(s, 3);
/** "5,5" % → 550 basis points. */
export const parseRate = (s: string) => parseNumber(s, 2);
