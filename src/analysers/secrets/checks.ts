import type { DetectorCheck } from './detector.ts';

function decodeBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,8192}={0,2}$/.test(text)) return undefined;
  try {
    return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** A JWT's header decodes to a JSON object naming its algorithm. */
function isJwt(token: string): boolean {
  const header = decodeBase64Url(token.split('.')[0] ?? '');
  if (header === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(header);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as Record<string, unknown>)['alg'] === 'string';
  } catch {
    return false;
  }
}

/** A JWT whose claims name a Kubernetes service account (legacy Secret-based or bound, projected tokens). */
function isKubernetesToken(token: string): boolean {
  if (!isJwt(token)) return false;
  const payload = decodeBase64Url(token.split('.')[1] ?? '') ?? '';
  return payload.includes('kubernetes.io') || payload.includes('"kubernetes/serviceaccount"') || payload.includes('system:serviceaccount:');
}

/** Vendors' documented sample values (`AKIAIOSFODNN7EXAMPLE`) and obvious test strings. */
const EXAMPLE = /EXAMPLE|example|(?:^|[^A-Za-z])(?:fake|dummy|sample|test)(?:[^A-Za-z]|$)|x{6,}|X{6,}|0{10,}|1234567890|abcdefgh/;

export function passesCheck(check: DetectorCheck, secret: string): boolean {
  switch (check) {
    case 'jwt-structure':
      return isJwt(secret);
    case 'kubernetes-token':
      return isKubernetesToken(secret);
    case 'not-example':
      return !EXAMPLE.test(secret);
    case 'base64-decodes':
      return decodeBase64Url(secret.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')) !== undefined;
  }
}
