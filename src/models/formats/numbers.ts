/**
 * Numbers in the text formats (Matrix Market, G-set/rudy), read strictly:
 * decimal notation only. JavaScript's Number() also takes "0x10", "0b1",
 * "Infinity" and "" (as 0), none of which these formats allow.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A decimal number, or NaN. */
export const decimal = (t: string): number => (DECIMAL.test(t) ? Number(t) : NaN);

/** A whole number written as digits, or NaN. */
export const integer = (t: string): number => (INTEGER.test(t) ? Number(t) : NaN);
