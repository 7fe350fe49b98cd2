// The HTML report: one self-contained document (inline CSS, inline script, data as JSON in the page; a CSP that
// forbids every request), readable offline and safe to mail or attach to a CI run. The static parts are written
// here (header, summary cards, severity and category charts, compliance, input problems: they read without
// JavaScript); the findings table (filters, search, windowed rendering, details) and the graphs are drawn by the
// inline script (app.ts) from the embedded data (data.ts). Every text from the report is HTML-escaped. No date:
// a report is a function of the scan.
import { COVERAGE_FORMULA, SCORE_FORMULA } from '../../analysers/compliance/evaluate.ts';
import { SEVERITIES, type Severity } from '../../core/model.ts';
import { COMPLIANCE_STATUSES, type ComplianceControl, type ComplianceStatus, type ComplianceSummary, type ReportContext, type ScanReport, type StreamingReporter, type Reporter } from '../../core/report.ts';
import { APP_SCRIPT } from './app.ts';
import { dataChunks } from './data.ts';
import { STYLES } from './styles.ts';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** How many entries of each input-problem list the page spells out (the JSON report has them all). */
const PROBLEMS_SHOWN = 200;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and quoted attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = { critical: '#991b1b', high: '#dc2626', medium: '#f59e0b', low: '#60a5fa', info: '#9ca3af' };

const STATUS_LABELS: Readonly<Record<ComplianceStatus, string>> = {
  pass: 'pass',
  fail: 'fail',
  manual: 'manual',
  'not-applicable': 'not applicable',
  'not-evaluated': 'not evaluated',
};

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, noun: string, many = `${noun}s`): string => `${count(n)} ${n === 1 ? noun : many}`;
const percent = (value: number | null): string => (value === null ? 'n/a' : `${value}%`);

function targetText(report: ScanReport): string {
  const { cluster, summary } = report;
  if (!cluster) return `${plural(summary.files, 'input file')} (manifests, charts, kustomizations)`;
  const scope = cluster.namespaces && cluster.namespaces.length > 0 ? `namespaces ${cluster.namespaces.join(', ')}` : 'all namespaces';
  return `cluster ${cluster.context} (${cluster.server}), Kubernetes ${cluster.serverVersion}, ${scope}`;
}

function* head(report: ScanReport): Generator<string> {
  yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">\n`;
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  yield `<title>Palisade report: ${esc(targetText(report))}</title>\n<style>${STYLES}</style>\n</head>\n<body>\n`;
}

function* header(report: ScanReport): Generator<string> {
  const { cluster } = report;
  yield '<header class="top">\n<h1>Palisade report</h1>\n';
  yield `<p>Palisade ${esc(report.tool.version)} · report schema ${esc(report.schemaVersion)}</p>\n`;
  if (cluster) {
    yield `<p>Target: cluster <strong>${esc(cluster.context)}</strong> at <code>${esc(cluster.server)}</code>, Kubernetes ${esc(cluster.serverVersion)}; `;
    yield `${cluster.namespaces && cluster.namespaces.length > 0 ? `namespaces ${esc(cluster.namespaces.join(', '))}` : 'all namespaces'}; `;
    yield `${plural(cluster.resources, 'resource list')} read, ${count(cluster.forbidden)} forbidden, ${count(cluster.failed)} failed.</p>\n`;
  } else {
    yield `<p>Target: ${esc(targetText(report))}.</p>\n`;
  }
  const threshold = report.settings.failOn === 'none' ? 'Never fails on findings (fail-on none)' : `Fails on ${esc(report.settings.failOn)} and above`;
  yield `<p>${threshold} · Pod Security Standards ${esc(report.settings.pssVersion)}</p>\n</header>\n`;
}

function* nav(report: ScanReport): Generator<string> {
  yield '<nav class="sections" aria-label="Sections">\n<a href="#summary">Summary</a>\n';
  if ((report.compliance ?? []).length > 0) yield '<a href="#compliance">Compliance</a>\n';
  yield '<a href="#findings">Findings</a>\n';
  if (hasGraphs(report)) yield '<a href="#graphs">Graphs</a>\n';
  yield '<a href="#problems">Input problems</a>\n</nav>\n';
}

function hasGraphs(report: ScanReport): boolean {
  const graphs = report.graphs;
  return graphs !== undefined && (graphs.clusterMap !== undefined || graphs.rbac !== undefined || graphs.network !== undefined);
}

function card(label: string, value: number, className = '', key = ''): string {
  const data = key === '' ? '' : ` data-summary="${key}" data-value="${value}"`;
  return `<div class="card${className ? ` ${className}` : ''}"${data}><div class="value">${count(value)}</div><div class="label">${esc(label)}</div></div>\n`;
}

/** Bars per severity (vertical), as inline SVG with a title and a description for screen readers. */
export function severityChart(bySeverity: Readonly<Record<Severity, number>>): string {
  const width = 380;
  const height = 190;
  const max = Math.max(1, ...SEVERITIES.map((severity) => bySeverity[severity]));
  const slot = (width - 20) / SEVERITIES.length;
  const plot = height - 50;
  const total = SEVERITIES.reduce((sum, severity) => sum + bySeverity[severity], 0);
  const parts = [
    `<svg class="severity-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="sev-chart-title sev-chart-desc">`,
    '<title id="sev-chart-title">Findings by severity</title>',
    `<desc id="sev-chart-desc">${esc(`${plural(total, 'finding')}: ${SEVERITIES.map((severity) => `${bySeverity[severity]} ${severity}`).join(', ')}`)}</desc>`,
    `<line x1="10" y1="${plot + 20}" x2="${width - 10}" y2="${plot + 20}" stroke="#d1d5db"/>`,
  ];
  SEVERITIES.forEach((severity, index) => {
    const value = bySeverity[severity];
    const barHeight = Math.round((value / max) * plot);
    const x = 10 + index * slot + slot * 0.15;
    const barWidth = slot * 0.7;
    parts.push(
      `<g><title>${esc(`${severity}: ${value}`)}</title>`,
      `<rect x="${x.toFixed(1)}" y="${plot + 20 - barHeight}" width="${barWidth.toFixed(1)}" height="${barHeight}" rx="3" fill="${SEVERITY_COLOURS[severity]}"/>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${plot + 14 - barHeight}" text-anchor="middle">${count(value)}</text>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${plot + 36}" text-anchor="middle">${severity}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal bars per rule category, most findings first. */
export function categoryChart(findings: ScanReport['findings']): string {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.category, (counts.get(finding.category) ?? 0) + 1);
  const rows = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const width = 460;
  const labelWidth = 170;
  const rowHeight = 22;
  const height = Math.max(1, rows.length) * rowHeight + 16;
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const parts = [
    `<svg class="category-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="cat-chart-title cat-chart-desc">`,
    '<title id="cat-chart-title">Findings by category</title>',
    `<desc id="cat-chart-desc">${esc(rows.length === 0 ? 'No findings.' : rows.map(([category, n]) => `${category}: ${n}`).join(', '))}</desc>`,
  ];
  if (rows.length === 0) parts.push(`<text x="8" y="20">No findings.</text>`);
  rows.forEach(([category, n], index) => {
    const y = 8 + index * rowHeight;
    const barWidth = Math.max(2, Math.round((n / max) * (width - labelWidth - 60)));
    parts.push(
      `<g><title>${esc(`${category}: ${n}`)}</title>`,
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${esc(category)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="${rowHeight - 6}" rx="3" fill="#6366f1"/>`,
      `<text x="${labelWidth + barWidth + 6}" y="${y + 14}">${count(n)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function* summarySection(report: ScanReport): Generator<string> {
  const { summary } = report;
  yield '<section id="summary" aria-labelledby="summary-title">\n<h2 id="summary-title">Summary</h2>\n<div class="cards" id="summary-cards">\n';
  yield card('findings', summary.findings, '', 'findings');
  for (const severity of SEVERITIES) yield card(severity, summary.bySeverity[severity], `sev-${severity}`, severity);
  yield card('objects', summary.objects, '', 'objects');
  yield card('pod templates', summary.podTemplates, '', 'pod-templates');
  yield card('input files', summary.files, '', 'files');
  yield card('errors', summary.errors, '', 'errors');
  yield card('warnings', report.warnings?.length ?? 0, '', 'warnings');
  yield card('suppressed', summary.suppressed, '', 'suppressed');
  yield card('baselined', summary.baselined, '', 'baselined');
  if (report.settings.failOn !== 'none') yield card(`at or above ${report.settings.failOn}`, summary.failing, '', 'failing');
  yield '</div>\n<div class="charts">\n';
  yield `<div class="chart"><h3>By severity</h3>${severityChart(summary.bySeverity)}</div>\n`;
  yield `<div class="chart"><h3>By category</h3>${categoryChart(report.findings)}</div>\n`;
  yield '</div>\n</section>\n';
}

function controlRow(framework: ComplianceSummary, control: ComplianceControl): string {
  const shortId = control.id.startsWith(`${framework.framework}/`) ? control.id.slice(framework.framework.length + 1) : control.id;
  const findings = control.findings > 0 ? `<button type="button" class="linkish" data-control="${esc(control.id)}" title="Show the findings citing ${esc(control.id)}">${count(control.findings)}</button>` : '0';
  return (
    `<tr data-status="${control.status}"><td class="mono">${esc(shortId)}</td><td>${esc(control.title)}</td><td>${esc(control.section ?? '')}</td>` +
    `<td>${control.assessment}</td><td><span class="badge status-${control.status}">${STATUS_LABELS[control.status]}</span></td>` +
    `<td>${control.severity !== undefined ? `<span class="badge sev-badge-${control.severity}">${control.severity}</span>` : ''}</td>` +
    `<td class="num">${control.weight}</td><td class="num">${findings}</td>` +
    `<td>${control.rules.map((rule) => `<code>${esc(rule)}</code>`).join(' ')}</td><td>${esc(control.reason ?? '')}</td></tr>\n`
  );
}

function* frameworkSection(framework: ComplianceSummary, index: number): Generator<string> {
  const { score, coverage, counts } = framework;
  const id = `fw-${index}`;
  const scope = framework.scope === 'all' ? '' : ` (${framework.scope})`;
  yield `<details class="framework" id="${id}" data-framework="${esc(framework.framework)}"${index === 0 ? ' open' : ''}>\n`;
  yield `<summary>${esc(framework.name)} ${esc(framework.version)}${esc(scope)}: score ${percent(score.value)}, coverage ${percent(coverage.percent)}</summary>\n`;
  yield '<div class="score">\n';
  yield `<div><div class="big" data-score="${score.value ?? ''}">${percent(score.value)}</div><div class="muted">score = 100 × ${score.passedWeight} / ${score.evaluatedWeight} (weight of passed / of passed and failed controls)</div></div>\n`;
  yield `<div><div class="big">${percent(coverage.percent)}</div><div class="muted">coverage: ${coverage.evaluated} of ${plural(coverage.applicable, 'applicable control')} evaluated</div></div>\n`;
  yield '</div>\n';
  yield `<p class="formula">${esc(SCORE_FORMULA)}</p>\n<p class="formula">${esc(COVERAGE_FORMULA)}</p>\n`;
  if (coverage.gaps.length > 0) {
    yield '<p class="note">Not evaluated, and why:</p>\n<ul class="plain">\n';
    for (const gap of coverage.gaps) yield `<li>${esc(gap.reason)}: ${plural(gap.controls, 'control')}</li>\n`;
    yield '</ul>\n';
  }
  const total = framework.controls.length;
  yield `<div class="filters" role="group" aria-label="Show controls by status" data-status-filter="${id}">\n`;
  yield `<button type="button" data-status="all" aria-pressed="true">all (${count(total)})</button>\n`;
  for (const status of COMPLIANCE_STATUSES) yield `<button type="button" data-status="${status}" aria-pressed="false"><span class="badge status-${status}">${STATUS_LABELS[status]}</span> ${count(counts[status])}</button>\n`;
  yield '</div>\n';
  yield `<div class="table-scroll"><table class="grid controls" id="${id}-controls" data-show="all">\n`;
  yield '<caption class="note" style="text-align:left">Controls in scope</caption>\n';
  yield '<thead><tr><th>Control</th><th>Title</th><th>Section</th><th>Assessment</th><th>Status</th><th>Severity</th><th class="num">Weight</th><th class="num">Findings</th><th>Rules</th><th>Reason</th></tr></thead>\n<tbody>\n';
  for (const control of framework.controls) yield controlRow(framework, control);
  yield '</tbody></table></div>\n</details>\n';
}

function* complianceSection(report: ScanReport): Generator<string> {
  const frameworks = report.compliance ?? [];
  if (frameworks.length === 0) return;
  yield '<section id="compliance" aria-labelledby="compliance-title">\n<h2 id="compliance-title">Compliance</h2>\n';
  yield '<p class="note">A control passes only on evidence: a rule that judges it ran, had something to judge, and reported nothing. Suppressed and baselined findings still fail their controls.</p>\n';
  let index = 0;
  for (const framework of frameworks) yield* frameworkSection(framework, index++);
  yield '</section>\n';
}

function* findingsSection(report: ScanReport): Generator<string> {
  yield '<section id="findings" aria-labelledby="findings-title">\n<h2 id="findings-title">Findings</h2>\n';
  yield `<p class="note">${plural(report.findings.length, 'finding')}${report.suppressed.length > 0 ? `, ${count(report.suppressed.length)} suppressed (shown on request)` : ''}. Select a row for its details; filters combine.</p>\n`;
  yield '<noscript><p class="warn">The findings table, its filters and the graphs need JavaScript. The JSON report (-f json) lists every finding.</p></noscript>\n';
  yield '<div class="filters" id="finding-filters">\n';
  yield '<label>Severity<select id="filter-severity"><option value="">all</option></select></label>\n';
  yield '<label>Category<select id="filter-category"><option value="">all</option></select></label>\n';
  yield '<label>Rule<select id="filter-rule"><option value="">all</option></select></label>\n';
  yield '<label>Namespace<select id="filter-namespace"><option value="">all</option></select></label>\n';
  yield '<label>Search message, resource, file<input type="search" id="filter-search" placeholder="text to find" autocomplete="off" spellcheck="false"></label>\n';
  if (report.suppressed.length > 0) yield '<label style="flex-direction:row;align-items:center;gap:4px"><input type="checkbox" id="filter-suppressed"> include suppressed</label>\n';
  yield '<span id="filter-control"></span>\n';
  yield '<button type="button" id="filter-reset">Reset</button>\n';
  yield '<span id="findings-count" role="status" aria-live="polite"></span>\n';
  yield '</div>\n';
  yield '<div class="findings-layout" id="findings-layout">\n';
  yield '<div class="vt" role="table" aria-label="Findings" aria-describedby="findings-count">\n';
  yield '<div class="vt-head" role="row"><span role="columnheader">Severity</span><span role="columnheader">Rule</span><span role="columnheader">Resource</span><span role="columnheader">Location</span><span role="columnheader">Message</span></div>\n';
  yield '<div class="vt-body" id="findings-body" tabindex="0"><div class="vt-spacer" id="findings-spacer" role="rowgroup"></div></div>\n';
  yield '</div>\n';
  yield '<aside class="details" id="finding-details" aria-live="polite" hidden></aside>\n';
  yield '</div>\n</section>\n';
}

interface LegendEntry {
  readonly label: string;
  readonly swatch: string;
}

function legend(entries: readonly LegendEntry[]): string {
  return `<ul class="legend">${entries.map((entry) => `<li><span class="swatch ${entry.swatch}"></span>${esc(entry.label)}</li>`).join('')}</ul>`;
}

const SEVERITY_LEGEND: readonly LegendEntry[] = [
  ...SEVERITIES.map((severity) => ({ label: severity, swatch: `fill-${severity}` })),
  { label: 'no findings', swatch: 'fill-none' },
];

function* graphBlock(id: string, title: string, description: string, entries: readonly LegendEntry[], truncated: string | undefined, note: string | undefined): Generator<string> {
  yield `<div class="graph" id="graph-${id}">\n<h3>${esc(title)}</h3>\n<p class="note">${esc(description)}</p>\n`;
  if (truncated !== undefined) yield `<p class="note warn" data-truncated>Cut to stay drawable: ${esc(truncated)}.</p>\n`;
  if (note !== undefined) yield `<p class="note">${esc(note)}</p>\n`;
  yield legend(entries);
  yield `<div class="filters"><label>Namespace<select data-graph-namespace="${id}"></select></label><span class="note" data-graph-count="${id}"></span></div>\n`;
  yield `<div class="graph-canvas" data-graph="${id}"></div>\n</div>\n`;
}

function* graphsSection(report: ScanReport): Generator<string> {
  const graphs = report.graphs;
  if (!graphs || !hasGraphs(report)) return;
  yield '<section id="graphs" aria-labelledby="graphs-title">\n<h2 id="graphs-title">Graphs</h2>\n';
  if (graphs.clusterMap) {
    yield* graphBlock(
      'map',
      'Cluster map',
      'Per namespace: Ingresses → the Services they route to → the workloads whose pods those Services select. Each object is coloured by its most severe finding; select one to list its findings.',
      [...SEVERITY_LEGEND, { label: 'Ingress without TLS', swatch: 'no-tls' }],
      graphs.clusterMap.truncated,
      undefined,
    );
  }
  if (graphs.rbac) {
    yield* graphBlock(
      'rbac',
      'RBAC',
      'Workloads → the ServiceAccount they run as → bindings naming it → the roles they reference → the permissions those roles grant (one node per distinct rule). Red: a permission that grants a risky capability, and whatever holds cluster-admin.',
      [
        { label: 'workload', swatch: 'fill-workload' },
        { label: 'subject', swatch: 'fill-subject' },
        { label: 'binding', swatch: 'fill-binding' },
        { label: 'role', swatch: 'fill-role' },
        { label: 'permission', swatch: 'fill-permission' },
        { label: 'risky', swatch: 'fill-risky' },
        { label: 'member of (implicit group)', swatch: 'line dashed' },
        { label: 'aggregates', swatch: 'line dotted' },
      ],
      graphs.rbac.truncated,
      graphs.rbac.note,
    );
  }
  if (graphs.network) {
    yield* graphBlock(
      'network',
      'Network reachability',
      'One node per group of workloads every NetworkPolicy treats alike, per namespace, and outside the cluster; an arrow per pair a policy lets connect, labelled with the ports. Red: isolated in neither direction, on the host network, or under other policy APIs.',
      [
        { label: 'open or unknown', swatch: 'fill-risky' },
        { label: 'isolated by a policy', swatch: 'fill-isolated' },
        { label: 'outside the cluster', swatch: 'fill-outside' },
        { label: 'allowed', swatch: 'line' },
        { label: 'unknown', swatch: 'line dashed edge-unknown' },
      ],
      graphs.network.truncated,
      graphs.network.note,
    );
  }
  yield '</section>\n';
}

function* list<T>(title: string, items: readonly T[], render: (item: T) => string): Generator<string> {
  if (items.length === 0) return;
  yield `<h3>${esc(title)} (${count(items.length)})</h3>\n<ul class="plain">\n`;
  for (const item of items.slice(0, PROBLEMS_SHOWN)) yield `<li>${render(item)}</li>\n`;
  if (items.length > PROBLEMS_SHOWN) yield `<li class="muted">and ${count(items.length - PROBLEMS_SHOWN)} more (see the JSON report)</li>\n`;
  yield '</ul>\n';
}

const where = (file: string, line?: number): string => `<code>${esc(file)}${line !== undefined ? `:${line}` : ''}</code>`;

function* problemsSection(report: ScanReport): Generator<string> {
  yield '<section id="problems" aria-labelledby="problems-title">\n<h2 id="problems-title">Input problems</h2>\n';
  const warnings = report.warnings ?? [];
  if (report.errors.length + warnings.length + report.ruleFailures.length + report.suppressionProblems.length + report.skipped.length === 0) {
    yield '<p class="note">Every input was read and evaluated.</p>\n';
  }
  yield* list('Errors', report.errors, (error) => `${where(error.file, error.line)} <span class="badge status-fail">${esc(error.code)}</span> ${esc(error.message)}`);
  yield* list('Warnings', warnings, (warning) => `${where(warning.file, warning.line)} <span class="badge status-not-evaluated">${esc(warning.code)}</span> ${esc(warning.message)}`);
  yield* list('Rule failures', report.ruleFailures, (failure) => `<code>${esc(failure.ruleId)}</code> ${failure.file !== undefined ? where(failure.file) : ''} ${esc(failure.message)}`);
  yield* list('Suppression problems', report.suppressionProblems, (problem) => `${where(problem.file, problem.line)} ${esc(problem.kind)} (${esc(problem.source)}): ${esc(problem.message)}`);
  yield* list('Skipped', report.skipped, (skipped) => `${where(skipped.file, skipped.line)} ${esc(skipped.reason)}`);
  yield '</section>\n';
}

/** The HTML report in pieces: a large report is never held whole as one string. */
export const streamHtml: StreamingReporter = function* (context: ReportContext): Generator<string> {
  const { report } = context;
  yield* head(report);
  yield* header(report);
  yield* nav(report);
  yield '<main>\n';
  yield* summarySection(report);
  yield* complianceSection(report);
  yield* findingsSection(report);
  yield* graphsSection(report);
  yield* problemsSection(report);
  yield '</main>\n<script type="application/json" id="palisade-data">';
  yield* dataChunks(context);
  yield `</script>\n<script>${APP_SCRIPT}</script>\n</body>\n</html>\n`;
};

/** The HTML report as one string. */
export const htmlReport: Reporter = (context) => [...streamHtml(context)].join('');
