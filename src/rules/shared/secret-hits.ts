import { describeRedacted, type SecretHit } from '../../analysers/secrets/index.ts';
import type { InventoryObject } from '../../core/inventory.ts';
import { apiGroupOf } from '../../core/inventory.ts';

/** `Database connection string with a password "p…" (12 chars, sha256:86d0d2ad6ee0)`: what a message says. */
export function describeHit(hit: SecretHit): string {
  return `${hit.title} ${describeRedacted(hit.redacted)}${hit.inner !== undefined ? ` at ${hit.inner}` : ''}`;
}

export function isCoreKind(object: InventoryObject, kind: string): boolean {
  return object.ref.kind === kind && apiGroupOf(object.ref.apiVersion) === '';
}
