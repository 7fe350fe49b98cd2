// Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`, `1`), parsed exactly: no floating point, so that
// `1` equals `1000m` and `1Gi` equals `1073741824` the way the API server compares them.

/** An exact rational value `numerator / denominator` (denominator > 0). */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE])([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]?))$/;

const BINARY_EXPONENT: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

function scale(mantissa: bigint, fractionDigits: number, exponent10: number, exponent2: number): Quantity {
  let numerator = mantissa * 2n ** BigInt(exponent2);
  let denominator = 10n ** BigInt(fractionDigits);
  if (exponent10 >= 0) numerator *= 10n ** BigInt(exponent10);
  else denominator *= 10n ** BigInt(-exponent10);
  return { numerator, denominator };
}

/**
 * Parses a quantity as it appears in a manifest: a string, or a YAML number (`cpu: 2`, `cpu: 0.5`).
 * Undefined for anything the API server would reject.
 */
export function parseQuantity(value: unknown): Quantity | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value).replace('e+', 'e');
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', number = '', exponentMark, exponentText, binarySuffix, decimalSuffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  const mantissa = BigInt(digits) * (sign === '-' ? -1n : 1n);
  if (exponentMark !== undefined) {
    const exponent = Number(exponentText);
    // Kubernetes caps exponents far below this; refusing absurd ones keeps BigInt powers cheap.
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
    return scale(mantissa, fraction.length, exponent, 0);
  }
  if (binarySuffix !== undefined) return scale(mantissa, fraction.length, 0, BINARY_EXPONENT[binarySuffix] ?? 0);
  return scale(mantissa, fraction.length, DECIMAL_EXPONENT[decimalSuffix] ?? 0, 0);
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isPositive(quantity: Quantity | undefined): quantity is Quantity {
  return quantity !== undefined && quantity.numerator > 0n;
}

export const ZERO_QUANTITY: Quantity = { numerator: 0n, denominator: 1n };
