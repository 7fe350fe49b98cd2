// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), for GitHub code scanning and other viewers.
import type { Finding, SuppressedFinding } from '../core/findings.ts';
import { isClusterLocation, type ClusterLocation, type ObjectRef, type Severity } from '../core/model.ts';
import type { InputError, ReportContext } from '../core/report.ts';
import type { RuleMeta } from '../core/rule-api.ts';
import {
  allFindings,
  clusterContextOf,
  isSuppressed,
  qualifiedName,
  reportedRules,
  sortedControls,
  toForwardSlashes,
} from './shared.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/palisade-sec/palisade';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Readonly<Record<Severity, Level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning maps 9.0+ to critical, 7.0+ high, 4.0+ medium, above 0 low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** `problem.severity`, for viewers that read it instead of `security-severity`. */
const PROBLEM_SEVERITY: Readonly<Record<Severity, 'error' | 'warning' | 'recommendation'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
  info: 'recommendation',
};

export function ruleHelpUri(ruleId: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

/** `run-as-non-root` → `RunAsNonRoot`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/**
 * A file path as a SARIF artifact location: relative paths stay relative (forward slashes, against `%SRCROOT%`),
 * absolute ones become `file:` URIs. Every segment is percent-encoded, so spaces, `#`, `?` and `%` survive.
 */
export function artifactLocation(file: string): ArtifactLocation {
  const path = toForwardSlashes(file);
  // toWellFormed: encodeURIComponent throws on a lone surrogate.
  const encode = (segments: readonly string[]) => segments.map((s) => encodeURIComponent(s.toWellFormed())).join('/');
  const drive = /^([A-Za-z]):\//.exec(path);
  if (drive) return { uri: `file:///${drive[1]}:/${encode(path.slice(3).split('/'))}` };
  if (path.startsWith('//')) {
    // A UNC path, //server/share/file.
    const [host = '', ...rest] = path.slice(2).split('/');
    return { uri: `file://${encodeURIComponent(host)}/${encode(rest)}` };
  }
  if (path.startsWith('/')) return { uri: `file://${encode(path.split('/'))}` };
  const segments = path.split('/').filter((s) => s !== '.' && s !== '');
  return { uri: encode(segments), uriBaseId: SRCROOT };
}

/** The longest run of backticks in `text` plus one, at least three: a fence the text cannot close. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function helpMarkdown(rule: RuleMeta, controls: readonly string[]): string {
  const parts = [rule.remediation, '', `**Why:** ${rule.rationale}`];
  const examples = [
    ['Fails', rule.example.bad],
    ['Passes', rule.example.good],
  ] as const;
  for (const [label, snippet] of examples) {
    if (snippet === '') continue;
    const body = snippet.endsWith('\n') ? snippet : `${snippet}\n`;
    const marks = fence(snippet);
    parts.push('', `**${label}:**`, '', `${marks}yaml`, `${body}${marks}`);
  }
  if (controls.length > 0) parts.push('', `**Controls:** ${controls.map((c) => `\`${c}\``).join(', ')}`);
  parts.push('', `[Documentation](${ruleHelpUri(rule.id)})`);
  return parts.join('\n');
}

function reportingDescriptor(rule: RuleMeta): object {
  const controls = sortedControls(rule.controls);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation, markdown: helpMarkdown(rule, controls) },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: {
      tags: [...new Set([rule.category, 'security', ...controls])],
      'security-severity': SECURITY_SEVERITY[rule.defaultSeverity],
      precision: 'very-high',
      'problem.severity': PROBLEM_SEVERITY[rule.defaultSeverity],
    },
  };
}

/** The object's identity with its keys in a fixed order. */
function resourceProperty(ref: ObjectRef): object {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
    name: ref.name,
  };
}

function logicalLocation(ref: ObjectRef): object {
  return { fullyQualifiedName: qualifiedName(ref), kind: 'object', name: ref.name };
}

/**
 * An object of a live cluster (SARIF §3.33): `<context>/<namespace>/<Kind>/<name>`, or `<context>/<Kind>/<name>` for
 * cluster-scoped objects, of kind `resource`.
 */
function clusterLogicalLocation(context: string, ref: ObjectRef): object {
  return { fullyQualifiedName: `${context}/${qualifiedName(ref)}`, kind: 'resource', name: ref.name };
}

function physicalLocation(file: string, line?: number, column?: number): object {
  if (line === undefined) return { artifactLocation: artifactLocation(file) };
  return {
    artifactLocation: artifactLocation(file),
    region: column === undefined ? { startLine: line } : { startLine: line, startColumn: column },
  };
}

/**
 * Where a notification points. `file` may be a `cluster:<context>` label (a problem with a live object, or with the
 * cluster itself): that is no artifact, so the location is only logical, the object qualified by its context.
 */
function notificationLocations(
  file: string | undefined,
  resource?: ObjectRef,
  line?: number,
  column?: number,
): object[] {
  const context = file === undefined ? undefined : clusterContextOf(file);
  if (context !== undefined) {
    return resource === undefined ? [] : [{ logicalLocations: [clusterLogicalLocation(context, resource)] }];
  }
  if (file === undefined && resource === undefined) return [];
  return [
    {
      ...(file === undefined ? {} : { physicalLocation: physicalLocation(file, line, column) }),
      ...(resource === undefined ? {} : { logicalLocations: [logicalLocation(resource)] }),
    },
  ];
}

/**
 * A finding on a live object has no file: its location is logical only, with the rest of where it is (the API
 * server, the object's apiVersion and uid, the field path) in the location's properties. Valid SARIF 2.1.0, but
 * GitHub code scanning rejects a log in which any result lacks a physicalLocation.
 */
function clusterResultLocation(location: ClusterLocation): object {
  const { cluster, object } = location;
  return {
    logicalLocations: [clusterLogicalLocation(cluster.context, object)],
    properties: {
      cluster: { context: cluster.context, server: cluster.server },
      apiVersion: object.apiVersion,
      ...(object.uid === undefined ? {} : { uid: object.uid }),
      path: location.path,
    },
  };
}

function result(finding: Finding | SuppressedFinding, ruleIndex: ReadonlyMap<string, number>): object {
  const { location } = finding;
  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      isClusterLocation(location)
        ? clusterResultLocation(location)
        : {
            physicalLocation: physicalLocation(location.file, location.line, location.column),
            logicalLocations: [logicalLocation(finding.resource)],
          },
    ],
    partialFingerprints: { 'palisade/v1': finding.fingerprint },
    ...(isSuppressed(finding)
      ? {
          suppressions: [
            {
              kind: finding.suppression.source === 'annotation' ? 'inSource' : 'external',
              status: 'accepted',
              justification: finding.suppression.reason,
              ...(finding.suppression.expires === undefined
                ? {}
                : { properties: { expires: finding.suppression.expires } }),
            },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      path: location.path,
      resource: resourceProperty(finding.resource),
      controls: sortedControls(finding.controls),
      ...(isClusterLocation(location) || location.template === undefined ? {} : { template: location.template }),
    },
  };
}

function inputNotification(level: 'error' | 'warning'): (entry: InputError) => Record<string, unknown> {
  return (entry) => {
    const locations = notificationLocations(entry.file, undefined, entry.line, entry.column);
    return {
      level,
      message: { text: entry.message },
      ...(locations.length === 0 ? {} : { locations }),
      descriptor: { id: entry.code },
    };
  };
}

export function reportSarif(context: ReportContext): string {
  const { report } = context;
  const rules = reportedRules(context);
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = allFindings(context).map((finding) => result(finding, ruleIndex));

  const executionNotifications = [
    ...report.errors.map(inputNotification('error')),
    // Warnings (a resource the identity may not list, an API server warning) are notifications like input errors,
    // at level warning; unlike them they leave executionSuccessful true.
    ...(report.warnings ?? []).map(inputNotification('warning')),
    ...report.ruleFailures.map((failure) => {
      const index = ruleIndex.get(failure.ruleId);
      const locations = notificationLocations(failure.file, failure.resource);
      return {
        level: 'error',
        message: { text: `Rule ${failure.ruleId} failed: ${failure.message}` },
        ...(locations.length === 0 ? {} : { locations }),
        descriptor: { id: 'rule-failure' },
        associatedRule: index === undefined ? { id: failure.ruleId } : { id: failure.ruleId, index },
      };
    }),
  ];
  const configurationNotifications = report.suppressionProblems.map((problem) => {
    const locations = notificationLocations(problem.file, problem.resource, problem.line);
    return {
      level: problem.kind === 'invalid' ? 'error' : 'warning',
      message: { text: problem.message },
      ...(locations.length === 0 ? {} : { locations }),
      descriptor: { id: `suppression-${problem.kind}` },
    };
  });

  // Artifacts the log points into: files only, never a live cluster.
  const files = [
    ...allFindings(context).flatMap((f) => (isClusterLocation(f.location) ? [] : [f.location.file])),
    ...report.errors.map((e) => e.file),
    ...(report.warnings ?? []).map((w) => w.file),
    ...report.ruleFailures.flatMap((f) => (f.file === undefined ? [] : [f.file])),
    ...report.suppressionProblems.map((p) => p.file),
  ].filter((file) => clusterContextOf(file) === undefined);
  const usesSrcRoot = files.some((file) => artifactLocation(file).uriBaseId === SRCROOT);

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(reportingDescriptor),
          },
        },
        invocations: [
          {
            // Warnings do not count: the scan read what it was allowed to and ran every rule.
            executionSuccessful: report.errors.length === 0 && report.ruleFailures.length === 0,
            ...(executionNotifications.length > 0 ? { toolExecutionNotifications: executionNotifications } : {}),
            ...(configurationNotifications.length > 0
              ? { toolConfigurationNotifications: configurationNotifications }
              : {}),
          },
        ],
        // The base has no `uri`: a pure reporter does not know the working directory, and SARIF allows leaving
        // it undetermined (viewers then resolve paths against the repository or ask the user).
        ...(usesSrcRoot
          ? {
              originalUriBaseIds: {
                [SRCROOT]: { description: { text: 'The directory palisade ran in; relative paths start there.' } },
              },
            }
          : {}),
        results,
        columnKind: 'utf16CodeUnits',
        properties: { failOn: report.settings.failOn, pssVersion: report.settings.pssVersion },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
