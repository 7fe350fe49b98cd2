// The HTML report in a real browser (Debian's chromium, driven by playwright-core): a report built for real from
// the bundled examples (plus the RBAC fixtures, so every graph has something to draw), with compliance and graphs,
// opened from file:// with every request but the page itself refused and recorded. It renders, its summary matches
// the report, the filters and search narrow the findings table to the right count, a framework's control table
// shows statuses, each graph draws an SVG with nodes, and nothing logs an error. A screenshot is kept in
// test-artifacts/html-report.png. Then 50,000 synthetic findings: the time to an interactive table and to a
// filter-and-search update are measured in the browser and printed, and each must stay under 2 s.
//
// Without /usr/bin/chromium the browser tests are skipped (install it with `apt-get install chromium`).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { complianceSummary } from '../src/analysers/compliance/evaluate.ts';
import { frameworkById } from '../src/analysers/compliance/catalogue.ts';
import { EMPTY_CONFIG, podTemplateLocations } from '../src/config/config.ts';
import type { Finding } from '../src/core/findings.ts';
import { SEVERITIES, type Severity } from '../src/core/model.ts';
import { findPodTemplate } from '../src/core/pod-templates.ts';
import type { ReportContext, ScanReport } from '../src/core/report.ts';
import type { ControlFramework } from '../src/core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from '../src/core/settings.ts';
import { collectInputs, DEFAULT_MAX_FILE_BYTES } from '../src/inputs/collect.ts';
import { htmlReport } from '../src/reporters/html/index.ts';
import { ALL_RULES } from '../src/rules/index.ts';
import { buildReportGraphs } from '../src/scan/report-graphs.ts';
import { parseInputs, runScan } from '../src/scan/run-scan.ts';

const REPO = resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO, 'test-artifacts');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed: apt-get install chromium (CI's .ci/run installs it)`;
const FRAMEWORKS: readonly ControlFramework[] = ['cis-k8s', 'pss-restricted', 'nsa-cisa'];
const TODAY = '2025-06-01';

/** `palisade scan examples test/fixtures/rbac` as scan.ts runs it, plus compliance and graphs as the report would hold them. */
function scanExamples(): ReportContext {
  const inputs = ['examples', 'test/fixtures/rbac'];
  const collected = collectInputs(inputs, {
    cwd: REPO,
    helm: { values: [], set: [], releaseName: 'release', binary: 'helm', timeoutMs: 60_000 },
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    readStdin: () => '',
  });
  const { report, activeRules } = runScan({
    sources: collected.sources,
    inputErrors: collected.errors,
    inputs: collected.inputs,
    catalogue: ALL_RULES,
    config: EMPTY_CONFIG,
    configFile: undefined,
    settings: { ...DEFAULT_SCAN_SETTINGS, today: TODAY },
    failOn: 'high',
    baseline: undefined,
    today: TODAY,
    toolVersion: '0.1.0-test',
  });
  assert.ok(report.findings.length > 10, 'the examples have findings');
  const evaluation = report.evaluation;
  assert.ok(evaluation, 'runScan reports what each rule evaluated');
  const requirements = new Map(ALL_RULES.flatMap((rule) => (rule.meta.requires !== undefined ? [[rule.meta.id, rule.meta.requires] as const] : [])));
  const compliance = FRAMEWORKS.map((id) =>
    complianceSummary({ framework: frameworkById(id), scope: 'all', evaluation, requirements, findings: report.findings, suppressed: report.suppressed }),
  );
  const locations = podTemplateLocations(EMPTY_CONFIG);
  const { objects } = parseInputs(collected.sources, undefined, [], false);
  const templates = objects.flatMap((object) => findPodTemplate(object, locations) ?? []);
  const graphs = buildReportGraphs(objects, templates, report.findings, { podTemplateLocations: locations });
  return { report: { ...report, compliance, graphs }, rules: activeRules.map((active) => active.rule.meta), color: false };
}

/** A report of `count` findings spread over severities, rules, namespaces and files (deterministic). */
function syntheticReport(base: ScanReport, count: number): ScanReport {
  const categories = ['pod-security', 'rbac', 'network', 'secrets', 'images', 'resources'];
  const findings: Finding[] = [];
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (let i = 0; i < count; i++) {
    const severity = SEVERITIES[i % SEVERITIES.length]!;
    bySeverity[severity]++;
    const rule = `synthetic-rule-${i % 40}`;
    const namespace = `team-${i % 50}`;
    findings.push({
      ruleId: rule,
      messageId: 'm',
      severity,
      title: `Synthetic rule ${i % 40}`,
      category: categories[i % categories.length]!,
      message: `Container "c${i % 7}" of app-${i} breaks rule ${i % 40} (needle-${i % 1000})`,
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: `app-${Math.floor(i / 5)}` },
      location: { file: `deploy/${namespace}/manifests-${Math.floor(i / 100)}.yaml`, line: 1 + (i % 97) * 7, column: 9, path: 'spec.template.spec.containers[0].securityContext' },
      controls: [`cis-k8s/5.2.${1 + (i % 12)}`],
      remediation: 'Set the field as the rule says.',
      fingerprint: (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4),
    });
  }
  return { ...base, findings, suppressed: [], compliance: base.compliance ?? [], summary: { ...base.summary, findings: count, bySeverity, objects: count / 5 } };
}

/** What the page's script exposes, and the little of the DOM the measurements use (no DOM types in this project). */
interface BrowserWindow {
  readonly __palisadeReady?: number;
  readonly __palisadeGraphsReady?: number;
  readonly __palisadeFiltered?: { readonly count: number; readonly at: number };
  readonly document: { getElementById(id: string): { value: string; dispatchEvent(event: unknown): boolean } | null; querySelector(selector: string): unknown };
  readonly Event: new (type: string) => unknown;
  requestAnimationFrame(callback: () => void): number;
}

interface Loaded {
  readonly page: Page;
  readonly requests: string[];
  readonly errors: string[];
}

async function open(browser: Browser, file: string, hash = ''): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  const url = pathToFileURL(file).href;
  await page.route('**', async (route) => {
    const requested = route.request().url();
    requests.push(requested);
    if (requested === url) await route.continue();
    else await route.abort('blockedbyclient');
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url + hash);
  await page.waitForFunction(() => typeof (globalThis as unknown as BrowserWindow).__palisadeReady === 'number');
  return { page, requests, errors };
}

const findingsCount = (page: Page): Promise<number> => page.locator('#findings-count').getAttribute('data-count').then(Number);

describe('HTML report in Chromium', { skip }, () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    dir = mkdtempSync(join(tmpdir(), 'palisade-html-'));
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the examples: renders offline, filters, compliance, graphs', async () => {
    const context = scanExamples();
    const { report } = context;
    const file = join(dir, 'examples.html');
    writeFileSync(file, htmlReport(context));
    const { page, requests, errors } = await open(browser, file);

    // Summary cards match the report.
    for (const [key, value] of [['findings', report.summary.findings], ['objects', report.summary.objects], ['errors', report.summary.errors], ...SEVERITIES.map((severity) => [severity, report.summary.bySeverity[severity]] as const)] as const) {
      assert.equal(Number(await page.locator(`[data-summary="${key}"]`).getAttribute('data-value')), value, `summary card ${key}`);
    }
    assert.equal(await findingsCount(page), report.findings.length);
    assert.ok((await page.locator('#findings-spacer .vt-row').count()) > 0, 'rows are drawn');

    // Severity filter, then search on top of it.
    const high = report.findings.filter((finding) => finding.severity === 'high');
    await page.selectOption('#filter-severity', String(SEVERITIES.indexOf('high')));
    assert.equal(await findingsCount(page), high.length);
    const needle = 'shop-frontend';
    await page.fill('#filter-search', needle);
    const expected = high.filter((finding) => `${finding.message}\u0001${finding.resource.kind} ${finding.resource.namespace ? `${finding.resource.namespace}/` : ''}${finding.resource.name}\u0001${'file' in finding.location ? finding.location.file : ''}`.toLowerCase().includes(needle));
    assert.ok(expected.length > 0 && expected.length < high.length, `the search narrows the high findings (${expected.length} of ${high.length})`);
    assert.equal(await findingsCount(page), expected.length);
    assert.equal(await page.locator('#findings-spacer .vt-row').count(), expected.length);

    // A finding's details.
    await page.locator('#findings-spacer .vt-row').first().click();
    const details = page.locator('#finding-details');
    assert.equal(await details.isVisible(), true);
    const detailsText = (await details.textContent()) ?? '';
    for (const part of ['Remediation', 'Controls', 'Location', 'Fingerprint']) assert.ok(detailsText.includes(part), part);
    assert.ok(detailsText.includes(expected[0]!.fingerprint), 'the first row is the first finding in report order');
    await page.click('#filter-reset');
    assert.equal(await findingsCount(page), report.findings.length);

    // Compliance: the first framework's control table shows statuses, and its status filter works.
    const framework = report.compliance![0]!;
    const table = page.locator('#fw-0-controls');
    assert.equal(await table.locator('tbody tr').count(), framework.controls.length);
    for (const status of ['pass', 'fail'] as const) assert.ok(framework.counts[status] > 0, `${framework.name} has ${status} controls in the examples`);
    await page.locator('[data-status-filter="fw-0"] button[data-status="fail"]').click();
    assert.equal(await table.locator('tbody tr:visible').count(), framework.counts.fail);
    assert.equal(await table.locator('tbody tr:visible .status-fail').count(), framework.counts.fail);
    // A control's findings button filters the findings table by that control.
    const failing = framework.controls.find((control) => control.status === 'fail' && control.findings > 0)!;
    await page.locator(`button[data-control="${failing.id}"]`).first().click();
    assert.equal(await findingsCount(page), report.findings.filter((finding) => finding.controls.includes(failing.id)).length);
    await page.click('#filter-reset');

    // Each graph draws an SVG with nodes.
    await page.waitForFunction(() => typeof (globalThis as unknown as BrowserWindow).__palisadeGraphsReady === 'number');
    const graphs = report.graphs!;
    assert.ok(graphs.clusterMap && graphs.rbac && graphs.network, 'the examples and the RBAC fixtures give all three graphs');
    for (const id of ['map', 'rbac', 'network']) {
      const nodes = await page.locator(`[data-graph="${id}"] svg g.node`).count();
      assert.ok(nodes > 0, `graph ${id} draws nodes`);
    }
    assert.equal(
      await page.locator('[data-graph="map"] svg g.node').count(),
      graphs.clusterMap.namespaces.reduce((sum, ns) => sum + ns.workloads.length + ns.services.length + ns.ingresses.length, 0),
    );
    // A node of the cluster map lists its object's findings.
    const web = graphs.clusterMap.namespaces.flatMap((ns) => ns.workloads.map((w) => ({ ns: ns.name, w }))).find(({ w }) => w.findings > 0)!;
    await page.locator(`[data-graph="map"] g.node[data-id="${web.w.id}"]`).click();
    assert.equal(await findingsCount(page), web.w.findings);
    await page.click('#filter-reset');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(requests, [pathToFileURL(file).href], 'no request but the page itself');
    await page.close();

    // The print layout (report.html#print, as the PDF output opens it): frameworks open, findings as a plain table,
    // graphs whole.
    const printed = await open(browser, file, '#print');
    await printed.page.waitForFunction(() => typeof (globalThis as unknown as BrowserWindow).__palisadeGraphsReady === 'number');
    assert.equal(await printed.page.locator('table.print-findings tbody tr').count(), report.findings.length);
    assert.equal(await printed.page.locator('details.framework:not([open])').count(), 0);
    assert.equal(await printed.page.locator('#finding-filters').isVisible(), false);
    for (const id of ['map', 'rbac', 'network']) assert.equal(await printed.page.locator(`[data-graph-namespace="${id}"]`).inputValue(), '');
    assert.deepEqual(printed.errors, []);
    assert.deepEqual(printed.requests, [pathToFileURL(file).href]);
    await printed.page.close();
  });

  test('50,000 findings: interactive and filtered within 2 s', async () => {
    const base = scanExamples();
    const report = syntheticReport(base.report, 50_000);
    const file = join(dir, 'large.html');
    const html = htmlReport({ ...base, report });
    writeFileSync(file, html);
    const { page, requests, errors } = await open(browser, file);
    const ready = await page.evaluate(() => (globalThis as unknown as BrowserWindow).__palisadeReady ?? Number.NaN);
    assert.equal(await findingsCount(page), 50_000);

    // Severity high (every fifth), then a search: time from the first change to the table showing the result.
    const measured = await page.evaluate(async (high) => {
      const window = globalThis as unknown as BrowserWindow;
      const started = performance.now();
      const severity = window.document.getElementById('filter-severity')!;
      severity.value = high;
      severity.dispatchEvent(new window.Event('change'));
      const search = window.document.getElementById('filter-search')!;
      search.value = 'needle-11';
      search.dispatchEvent(new window.Event('input'));
      // Two frames: the table is laid out and painted.
      await new Promise<void>((done) => window.requestAnimationFrame(() => window.requestAnimationFrame(done)));
      const state = window.__palisadeFiltered!;
      return { updated: state.at - started, painted: performance.now() - started, count: state.count };
    }, String(SEVERITIES.indexOf('high')));
    // i % 5 == 1 (high) and needle-11x (i % 1000 in 11, 110-119, 1100…): i % 1000 ∈ {11, 110..119} with i % 5 == 1.
    const expected = report.findings.filter((finding) => finding.severity === 'high' && finding.message.toLowerCase().includes('needle-11')).length;
    assert.equal(measured.count, expected);
    assert.equal(await findingsCount(page), expected);
    const rows = await page.locator('#findings-spacer .vt-row').count();
    assert.ok(rows > 0 && rows <= 60, `only the rows in view exist (${rows})`);
    console.log(`html report, 50,000 findings (${(html.length / 1048576).toFixed(1)} MiB): interactive ${ready.toFixed(0)} ms after navigation start; severity filter + search: table updated in ${measured.updated.toFixed(0)} ms, painted in ${measured.painted.toFixed(0)} ms (${measured.count} rows)`);
    assert.ok(ready < 2000, `interactive after ${ready.toFixed(0)} ms`);
    assert.ok(measured.painted < 2000, `filtered after ${measured.painted.toFixed(0)} ms`);

    // Scrolling to the end renders the last rows.
    await page.click('#filter-reset');
    await page.locator('#findings-body').evaluate((body) => { (body as unknown as { scrollTop: number }).scrollTop = 1e9; });
    await page.waitForFunction(() => (globalThis as unknown as BrowserWindow).document.querySelector('#findings-spacer .vt-row[aria-rowindex="50001"]') !== null);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    await page.close();
  });
});
