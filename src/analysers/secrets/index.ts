// The secret analyser's entry module: detection in objects, documents and text; redaction; key-name heuristics.
export { decodeBase64Bytes } from './decode.ts';
export { detectorInfo, detectorInfos, type DetectorInfo } from './catalogue.ts';
export { isSecretName, secretKeyKind } from './key-names.ts';
export { isNeverSecret } from './not-secret.ts';
export { describeRedacted, redactSecret, type RedactedSecret } from './redact.ts';
export { scanDocumentSecrets, scanObjectSecrets, type SecretHit, type SecretLayer } from './scan-object.ts';
export { scanSourceForSecrets, type LocatedSecret } from './scan-source.ts';
