// The HTML report's style sheet, inlined in the document (the CSP allows inline styles only). System fonts: the
// report never downloads anything.
export const STYLES = `
:root {
  --fg: #111827; --muted: #4b5563; --bg: #ffffff; --panel: #f9fafb; --line: #e5e7eb; --accent: #1d4ed8;
  --critical: #991b1b; --high: #dc2626; --medium: #d97706; --low: #2563eb; --info: #6b7280; --clean: #059669;
  --row: 30px;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
header.top { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top p { margin: 2px 0; color: var(--muted); }
nav.sections { position: sticky; top: 0; z-index: 5; display: flex; gap: 16px; padding: 8px 24px; background: var(--bg); border-bottom: 1px solid var(--line); }
nav.sections a { color: var(--accent); text-decoration: none; }
nav.sections a:hover, nav.sections a:focus { text-decoration: underline; }
main { padding: 8px 24px 48px; }
section { margin-top: 24px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 16px 0 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
.warn { color: #92400e; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { min-width: 120px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
.card .value { font-size: 24px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card.sev-critical .value { color: var(--critical); } .card.sev-high .value { color: var(--high); }
.card.sev-medium .value { color: var(--medium); } .card.sev-low .value { color: var(--low); } .card.sev-info .value { color: var(--info); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-top: 16px; }
.chart { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; background: var(--bg); }
.chart h3 { margin: 4px 0 8px; font-size: 14px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 18px; white-space: nowrap; }
.sev-badge-critical { background: var(--critical); color: #fff; } .sev-badge-high { background: var(--high); color: #fff; }
.sev-badge-medium { background: #fbbf24; color: #111; } .sev-badge-low { background: #bfdbfe; color: #1e3a8a; } .sev-badge-info { background: #e5e7eb; color: #374151; }
.status-pass { background: #d1fae5; color: #065f46; } .status-fail { background: #fee2e2; color: #991b1b; }
.status-manual { background: #e0e7ff; color: #3730a3; } .status-not-applicable { background: #f3f4f6; color: #4b5563; }
.status-not-evaluated { background: #fef3c7; color: #92400e; }
details.framework { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
details.framework > summary { cursor: pointer; font-weight: 600; }
.score { display: flex; flex-wrap: wrap; gap: 24px; margin: 8px 0; }
.score .big { font-size: 26px; font-weight: 600; }
.formula { font-size: 12.5px; color: var(--muted); background: var(--panel); border-left: 3px solid var(--line); padding: 4px 8px; margin: 4px 0; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.filters label { font-size: 12px; color: var(--muted); display: flex; flex-direction: column; gap: 2px; }
.filters select, .filters input[type=search] { font: inherit; padding: 3px 6px; border: 1px solid #d1d5db; border-radius: 6px; background: var(--bg); color: var(--fg); }
.filters input[type=search] { min-width: 260px; }
button { font: inherit; cursor: pointer; border: 1px solid #d1d5db; background: var(--bg); border-radius: 6px; padding: 2px 8px; }
button[aria-pressed=true] { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
button.linkish { border: none; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
.chip { display: inline-flex; gap: 4px; align-items: center; background: #e0e7ff; border-radius: 12px; padding: 1px 4px 1px 10px; }
table.grid { border-collapse: collapse; width: 100%; font-size: 13px; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.grid th { background: var(--panel); position: sticky; top: 0; }
table.grid td.num, table.grid th.num { text-align: right; }
table.controls[data-show=pass] tr[data-status]:not([data-status=pass]),
table.controls[data-show=fail] tr[data-status]:not([data-status=fail]),
table.controls[data-show=manual] tr[data-status]:not([data-status=manual]),
table.controls[data-show=not-applicable] tr[data-status]:not([data-status=not-applicable]),
table.controls[data-show=not-evaluated] tr[data-status]:not([data-status=not-evaluated]) { display: none; }
.table-scroll { max-height: 520px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.findings-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
.findings-layout.with-details { grid-template-columns: minmax(0, 1fr) 380px; }
.vt { border: 1px solid var(--line); border-radius: 6px; font-size: 13px; }
.vt-head, .vt-row { display: grid; grid-template-columns: 84px minmax(120px, 1.1fr) minmax(140px, 1.3fr) minmax(140px, 1.2fr) minmax(200px, 2.6fr); align-items: center; }
.vt-head { background: var(--panel); font-weight: 600; border-bottom: 1px solid var(--line); }
.vt-head > span, .vt-row > span { padding: 0 8px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.vt-body { position: relative; height: 60vh; min-height: 240px; overflow: auto; }
.vt-spacer { position: relative; width: 100%; }
.vt-row { position: absolute; left: 0; right: 0; height: var(--row); border-bottom: 1px solid #f3f4f6; cursor: pointer; }
.vt-row:hover { background: #f3f4f6; }
.vt-row:focus { outline: 2px solid var(--accent); outline-offset: -2px; }
.vt-row.selected { background: #dbeafe; }
.vt-row.suppressed { color: var(--muted); font-style: italic; }
.vt-empty { padding: 16px; color: var(--muted); }
aside.details { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); align-self: start; position: sticky; top: 48px; max-height: 80vh; overflow: auto; }
aside.details[hidden] { display: none; }
aside.details h3 { margin-top: 0; }
aside.details dl { margin: 0; }
aside.details dt { font-size: 12px; color: var(--muted); text-transform: uppercase; margin-top: 8px; }
aside.details dd { margin: 2px 0 0; word-break: break-word; }
.graph { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 12px 0; }
.graph-canvas { overflow: auto; max-height: 720px; border-top: 1px solid var(--line); margin-top: 8px; background: #fff; }
.graph-canvas svg { display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 6px 0; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 14px; height: 12px; border-radius: 3px; border: 1px solid #9ca3af; }
.swatch.line { height: 0; border: none; border-top: 2px solid #6b7280; width: 22px; border-radius: 0; }
.swatch.dashed { border-top-style: dashed; }
.swatch.dotted { border-top-style: dotted; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .ns-title { font-weight: 600; font-size: 12px; }
svg g.node { cursor: default; }
svg g.node.clickable { cursor: pointer; }
svg g.node:focus rect, svg g.node:hover rect { stroke-width: 2.5; }
.fill-critical { background: #991b1b; } .fill-high { background: #ef4444; } .fill-medium { background: #fbbf24; } .fill-low { background: #bfdbfe; }
.fill-info { background: #e5e7eb; } .fill-none { background: #d1fae5; } .fill-risky { background: #fee2e2; border-color: #dc2626; }
.fill-isolated { background: #dbeafe; border-color: #2563eb; } .fill-outside { background: #f3f4f6; } .fill-subject { background: #dbeafe; }
.fill-binding { background: #f3f4f6; } .fill-role { background: #ede9fe; } .fill-permission { background: #fef9c3; } .fill-workload { background: #dcfce7; }
.no-tls { border: 2px dashed #dc2626; background: #fff; } .swatch.edge-unknown { border-top-color: #d97706; }
ul.plain { margin: 4px 0; padding-left: 20px; }
table.print-findings { display: none; }
.print table.print-findings { display: table; }
.print nav.sections, .print #finding-filters, .print .findings-layout, .print [data-status-filter], .print select { display: none; }
.print .table-scroll, .print .graph-canvas { max-height: none; overflow: visible; }
.print table.grid th { position: static; }
@media print {
  nav.sections, #finding-filters, [data-status-filter] { display: none; }
  .table-scroll, .graph-canvas { max-height: none; overflow: visible; }
  table.grid th { position: static; }
  .card, .chart { break-inside: avoid-page; }
}
@media (max-width: 900px) { .findings-layout.with-details { grid-template-columns: minmax(0, 1fr); } }
`;
