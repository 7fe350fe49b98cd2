// The HTML report's script, as plain ES2022 that browsers run (a string, so the report needs no build step and
// ships with `tsc` output as it is). It reads the embedded data (data.ts), fills the findings table (filters,
// search, windowed rendering: only the rows in view exist, so 50,000 findings scroll and filter at once), shows a
// finding's details, switches the compliance tables' status filters, and draws the graphs as SVG with its own
// deterministic layouts. It only ever sets report text with textContent and attributes with setAttribute: nothing
// from the report is parsed as HTML. It makes no request: the page's CSP forbids them anyway.
//
// Marks for tests and measurements: window.__palisadeReady (performance.now() when the table is interactive) and
// window.__palisadeFiltered ({ count, at }) after each filter update.
//
// Opened as report.html#print (the PDF output prints it so), it lays itself out for paper: every framework open,
// the findings as a plain table (the first PRINT_ROWS), every graph whole.
//
// Written without template literals (this module is one): keep it so, and never write a closing script tag in it.
export const APP_SCRIPT = String.raw`
(() => {
  'use strict';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const ROW_HEIGHT = 30;
  const OVERSCAN = 8;
  const ALL = -2;
  const NO_NAMESPACE = -1;
  const PRINT_ROWS = 10000;
  const printing = location.hash === '#print';

  const data = JSON.parse(document.getElementById('palisade-data').textContent);
  const severities = data.severities;
  const rules = data.rules;
  const resources = data.resources;
  const sources = data.sources;
  const servers = data.servers;
  const controlSets = data.controls;
  // Tuple positions: data.ts FINDING_TUPLE.
  const RULE = 0, SEV = 1, MESSAGE = 2, RESOURCE = 3, SOURCE = 4, LINE = 5, COLUMN = 6, PATH = 7, CONTROLS = 8, FINGERPRINT = 9, TEMPLATE = 10, UID = 11, SUP_SOURCE = 12, SUP_REASON = 13, SUP_EXPIRES = 14;
  const base = data.findings.length;
  const rows = data.suppressed.length > 0 ? data.findings.concat(data.suppressed) : data.findings;
  const total = rows.length;

  // ------------------------------------------------------------------ indices for filtering
  const intern = (list, index, value) => {
    let id = index.get(value);
    if (id === undefined) {
      id = list.length;
      list.push(value);
      index.set(value, id);
    }
    return id;
  };
  const categories = [], categoryIndex = new Map();
  const ruleIds = [], ruleIdIndex = new Map();
  const ruleCategory = new Int32Array(rules.length);
  const ruleIdOf = new Int32Array(rules.length);
  rules.forEach((rule, i) => {
    ruleCategory[i] = intern(categories, categoryIndex, rule[2]);
    ruleIdOf[i] = intern(ruleIds, ruleIdIndex, rule[0]);
  });
  const namespaces = [], namespaceIndex = new Map();
  const resourceNamespace = new Int32Array(resources.length);
  resources.forEach((resource, i) => {
    resourceNamespace[i] = resource[2] === '' ? NO_NAMESPACE : intern(namespaces, namespaceIndex, resource[2]);
  });
  const sevOf = new Uint8Array(total);
  const ruleOf = new Int32Array(total);
  const categoryOf = new Int32Array(total);
  const namespaceOf = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    const t = rows[i];
    sevOf[i] = t[SEV];
    ruleOf[i] = ruleIdOf[t[RULE]];
    categoryOf[i] = ruleCategory[t[RULE]];
    namespaceOf[i] = resourceNamespace[t[RESOURCE]];
  }

  const resourceText = (r) => r[1] + ' ' + (r[2] !== '' ? r[2] + '/' : '') + (r[3] !== '' ? r[3] : '<unnamed>');
  const clusterContext = (source) => (source.indexOf('cluster:') === 0 ? source.slice(8) : undefined);
  const locationText = (t) => {
    const source = sources[t[SOURCE]];
    if (t[LINE] > 0) return source + ':' + t[LINE] + ':' + t[COLUMN];
    return source + (t[PATH] !== '' ? ' ' + t[PATH] : '');
  };
  let haystack = null;
  const buildHaystack = () => {
    haystack = new Array(total);
    for (let i = 0; i < total; i++) {
      const t = rows[i];
      haystack[i] = (t[MESSAGE] + '\u0001' + resourceText(resources[t[RESOURCE]]) + '\u0001' + sources[t[SOURCE]] + '\u0001' + t[TEMPLATE]).toLowerCase();
    }
  };

  // ------------------------------------------------------------------ DOM helpers
  const byId = (id) => document.getElementById(id);
  const el = (name, className, text) => {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const plural = (n, noun, many) => n.toLocaleString('en-US') + ' ' + (n === 1 ? noun : many || noun + 's');
  const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  // ------------------------------------------------------------------ the findings table
  const state = { sev: -1, category: -1, rule: -1, namespace: ALL, text: '', control: '', resource: null, suppressed: false };
  const visible = new Int32Array(Math.max(1, total));
  let visibleCount = 0;
  let selected = -1;
  const body = byId('findings-body');
  const spacer = byId('findings-spacer');
  const countLabel = byId('findings-count');
  const details = byId('finding-details');
  const layout = byId('findings-layout');
  const severitySelect = byId('filter-severity');
  const categorySelect = byId('filter-category');
  const ruleSelect = byId('filter-rule');
  const namespaceSelect = byId('filter-namespace');
  const search = byId('filter-search');
  const suppressedBox = byId('filter-suppressed');
  const controlChip = byId('filter-control');

  const fillSelect = (select, entries) => {
    for (const entry of entries) {
      const option = el('option', '', entry.label + ' (' + entry.count.toLocaleString('en-US') + ')');
      option.value = String(entry.value);
      select.appendChild(option);
    }
  };
  const countsBy = (values, size) => {
    const counts = new Int32Array(size);
    for (let i = 0; i < base; i++) if (values[i] >= 0) counts[values[i]]++;
    return counts;
  };
  {
    const sevCounts = countsBy(sevOf, severities.length);
    fillSelect(severitySelect, severities.map((label, value) => ({ label, value, count: sevCounts[value] })));
    const categoryCounts = countsBy(categoryOf, categories.length);
    fillSelect(categorySelect, categories.map((label, value) => ({ label, value, count: categoryCounts[value] })).sort((a, b) => byText(a.label, b.label)));
    const ruleCounts = countsBy(ruleOf, ruleIds.length);
    fillSelect(ruleSelect, ruleIds.map((label, value) => ({ label, value, count: ruleCounts[value] })).sort((a, b) => byText(a.label, b.label)));
    const namespaceCounts = countsBy(namespaceOf, namespaces.length);
    let clusterScoped = 0;
    for (let i = 0; i < base; i++) if (namespaceOf[i] === NO_NAMESPACE) clusterScoped++;
    fillSelect(namespaceSelect, [{ label: '(cluster-scoped)', value: NO_NAMESPACE, count: clusterScoped }].concat(
      namespaces.map((label, value) => ({ label, value, count: namespaceCounts[value] })).sort((a, b) => byText(a.label, b.label))));
  }

  const controlMatches = (control) => {
    const matches = new Uint8Array(controlSets.length);
    controlSets.forEach((set, i) => { matches[i] = set.indexOf(control) >= 0 ? 1 : 0; });
    return matches;
  };

  const applyFilters = () => {
    const limit = state.suppressed ? total : base;
    const text = state.text.trim().toLowerCase();
    if (text !== '' && haystack === null) buildHaystack();
    const controls = state.control !== '' ? controlMatches(state.control) : null;
    const { sev, category, rule, namespace, resource } = state;
    let n = 0;
    for (let i = 0; i < limit; i++) {
      if (sev >= 0 && sevOf[i] !== sev) continue;
      if (category >= 0 && categoryOf[i] !== category) continue;
      if (rule >= 0 && ruleOf[i] !== rule) continue;
      if (namespace !== ALL && namespaceOf[i] !== namespace) continue;
      if (controls !== null && controls[rows[i][CONTROLS]] !== 1) continue;
      if (resource !== null && !resource.ids.has(rows[i][RESOURCE])) continue;
      if (text !== '' && haystack[i].indexOf(text) < 0) continue;
      visible[n++] = i;
    }
    visibleCount = n;
    countLabel.textContent = n.toLocaleString('en-US') + ' of ' + plural(limit, 'finding') + ' shown';
    countLabel.setAttribute('data-count', String(n));
    spacer.style.height = Math.max(1, n) * ROW_HEIGHT + 'px';
    body.scrollTop = 0;
    renderRows();
    window.__palisadeFiltered = { count: n, at: performance.now() };
  };

  const severityBadge = (sev) => el('span', 'badge sev-badge-' + severities[sev], severities[sev]);

  const rowElement = (position) => {
    const i = visible[position];
    const t = rows[i];
    const row = el('div', 'vt-row' + (i >= base ? ' suppressed' : '') + (i === selected ? ' selected' : ''));
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(position + 2));
    row.tabIndex = 0;
    row.dataset.index = String(i);
    row.style.top = position * ROW_HEIGHT + 'px';
    const cell = (content, title) => {
      const span = el('span');
      span.setAttribute('role', 'cell');
      if (typeof content === 'string') span.textContent = content;
      else span.appendChild(content);
      if (title) span.title = title;
      row.appendChild(span);
    };
    cell(severityBadge(t[SEV]));
    cell(rules[t[RULE]][0], rules[t[RULE]][1]);
    const resource = resourceText(resources[t[RESOURCE]]);
    cell(resource, resource);
    const location = locationText(t);
    cell(location, location);
    cell(t[MESSAGE], t[MESSAGE]);
    return row;
  };

  const renderRows = () => {
    const fragment = document.createDocumentFragment();
    if (visibleCount === 0) {
      fragment.appendChild(el('div', 'vt-empty', total === 0 ? 'No findings.' : 'No finding matches these filters.'));
    } else {
      const top = body.scrollTop;
      const height = body.clientHeight || 480;
      const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
      const last = Math.min(visibleCount, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
      for (let position = first; position < last; position++) fragment.appendChild(rowElement(position));
    }
    spacer.replaceChildren(fragment);
  };

  let scrollQueued = false;
  body.addEventListener('scroll', () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => {
      scrollQueued = false;
      renderRows();
    });
  });

  const addDetail = (list, term, value) => {
    if (value === undefined || value === null || value === '') return;
    list.appendChild(el('dt', '', term));
    const dd = el('dd');
    if (typeof value === 'string') dd.textContent = value;
    else dd.appendChild(value);
    list.appendChild(dd);
  };

  const showDetails = (i) => {
    selected = i;
    const t = rows[i];
    const rule = rules[t[RULE]];
    const resource = resources[t[RESOURCE]];
    const source = sources[t[SOURCE]];
    details.replaceChildren();
    const close = el('button', '', 'Close');
    close.type = 'button';
    close.style.float = 'right';
    close.addEventListener('click', () => {
      selected = -1;
      details.hidden = true;
      layout.classList.remove('with-details');
      renderRows();
    });
    details.appendChild(close);
    details.appendChild(el('h3', '', rule[1]));
    const list = el('dl');
    addDetail(list, 'Severity', severityBadge(t[SEV]));
    addDetail(list, 'Message', t[MESSAGE]);
    addDetail(list, 'Rule', rule[0] + ' (' + rule[2] + ')');
    addDetail(list, 'Resource', resource[0] + ' ' + resourceText(resource));
    const context = clusterContext(source);
    if (context !== undefined) {
      addDetail(list, 'Location', 'cluster ' + context + ' (' + (servers[source] || '') + ')' + (t[UID] !== '' ? ', uid ' + t[UID] : ''));
    } else {
      addDetail(list, 'Location', source + ':' + t[LINE] + ':' + t[COLUMN]);
    }
    addDetail(list, 'Path', t[PATH]);
    addDetail(list, 'Helm template', t[TEMPLATE]);
    const controls = controlSets[t[CONTROLS]];
    if (controls.length > 0) {
      const ul = el('ul', 'plain');
      for (const control of controls) ul.appendChild(el('li', 'mono', control));
      addDetail(list, 'Controls', ul);
    }
    addDetail(list, 'Remediation', rule[3]);
    addDetail(list, 'Why it matters', rule[4]);
    addDetail(list, 'Fingerprint', el('code', '', t[FINGERPRINT]));
    if (i >= base) addDetail(list, 'Suppressed', t[SUP_SOURCE] + ': ' + t[SUP_REASON] + (t[SUP_EXPIRES] !== '' ? ' (until ' + t[SUP_EXPIRES] + ')' : ''));
    details.appendChild(list);
    details.hidden = false;
    layout.classList.add('with-details');
    renderRows();
  };

  spacer.addEventListener('click', (event) => {
    const row = event.target.closest('.vt-row');
    if (row) showDetails(Number(row.dataset.index));
  });
  spacer.addEventListener('keydown', (event) => {
    const row = event.target.closest('.vt-row');
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      showDetails(Number(row.dataset.index));
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const position = Number(row.getAttribute('aria-rowindex')) - 2 + (event.key === 'ArrowDown' ? 1 : -1);
      if (position < 0 || position >= visibleCount) return;
      body.scrollTop = Math.max(0, Math.min(body.scrollTop, position * ROW_HEIGHT), (position + 1) * ROW_HEIGHT - body.clientHeight);
      renderRows();
      const next = spacer.querySelector('[aria-rowindex="' + (position + 2) + '"]');
      if (next) next.focus();
    }
  });

  const numberOf = (select, fallback) => (select.value === '' ? fallback : Number(select.value));
  severitySelect.addEventListener('change', () => { state.sev = numberOf(severitySelect, -1); applyFilters(); });
  categorySelect.addEventListener('change', () => { state.category = numberOf(categorySelect, -1); applyFilters(); });
  ruleSelect.addEventListener('change', () => { state.rule = numberOf(ruleSelect, -1); applyFilters(); });
  namespaceSelect.addEventListener('change', () => { state.namespace = numberOf(namespaceSelect, ALL); applyFilters(); });
  search.addEventListener('input', () => { state.text = search.value; applyFilters(); });
  if (suppressedBox) suppressedBox.addEventListener('change', () => { state.suppressed = suppressedBox.checked; applyFilters(); });

  // Filters set from elsewhere in the page (a control's findings, a node of the cluster map), shown as chips.
  const renderChips = () => {
    controlChip.replaceChildren();
    const chip = (text, clear) => {
      const span = el('span', 'chip', text);
      const remove = el('button', 'linkish', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove the filter ' + text);
      remove.addEventListener('click', () => { clear(); renderChips(); applyFilters(); });
      span.appendChild(remove);
      controlChip.appendChild(span);
    };
    if (state.control !== '') chip('control ' + state.control, () => { state.control = ''; });
    if (state.resource !== null) chip(state.resource.label, () => { state.resource = null; });
  };
  const setControl = (control) => {
    state.control = control;
    renderChips();
  };
  /** Findings on one object: kind and name, in this namespace (or none: written without one, it lands in default). */
  const setResource = (kind, namespace, name) => {
    const ids = new Set();
    resources.forEach((r, i) => {
      if (r[1] === kind && r[3] === name && (r[2] === namespace || (r[2] === '' && namespace === 'default'))) ids.add(i);
    });
    state.resource = { ids: ids, label: kind + ' ' + namespace + '/' + name };
    renderChips();
  };
  byId('filter-reset').addEventListener('click', () => {
    severitySelect.value = categorySelect.value = ruleSelect.value = namespaceSelect.value = search.value = '';
    Object.assign(state, { sev: -1, category: -1, rule: -1, namespace: ALL, text: '', control: '', resource: null });
    renderChips();
    applyFilters();
  });
  const showFindings = () => {
    const section = byId('findings');
    if (section.scrollIntoView) section.scrollIntoView();
  };

  // ------------------------------------------------------------------ compliance tables
  for (const group of document.querySelectorAll('[data-status-filter]')) {
    const table = byId(group.getAttribute('data-status-filter') + '-controls');
    group.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-status]');
      if (!button || !table) return;
      table.setAttribute('data-show', button.getAttribute('data-status'));
      for (const other of group.querySelectorAll('button[data-status]')) other.setAttribute('aria-pressed', String(other === button));
    });
  }
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button[data-control]');
    if (!button) return;
    setControl(button.getAttribute('data-control'));
    applyFilters();
    showFindings();
  });

  applyFilters();
  window.__palisadeReady = performance.now();

  // ------------------------------------------------------------------ print layout
  if (printing) {
    document.documentElement.classList.add('print');
    for (const section of document.querySelectorAll('details')) section.open = true;
    const table = el('table', 'grid print-findings');
    const head = el('tr');
    for (const title of ['Severity', 'Rule', 'Resource', 'Location', 'Message']) head.appendChild(el('th', '', title));
    table.appendChild(el('thead')).appendChild(head);
    const tbody = el('tbody');
    for (let position = 0; position < Math.min(visibleCount, PRINT_ROWS); position++) {
      const t = rows[visible[position]];
      const tr = el('tr');
      tr.appendChild(el('td')).appendChild(severityBadge(t[SEV]));
      tr.appendChild(el('td', 'mono', rules[t[RULE]][0]));
      tr.appendChild(el('td', '', resourceText(resources[t[RESOURCE]])));
      tr.appendChild(el('td', 'mono', locationText(t)));
      tr.appendChild(el('td', '', t[MESSAGE]));
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    layout.after(table);
    if (visibleCount > PRINT_ROWS) table.after(el('p', 'note', 'The first ' + PRINT_ROWS.toLocaleString('en-US') + ' of ' + plural(visibleCount, 'finding') + '; the HTML and JSON reports have them all.'));
  }

  // ------------------------------------------------------------------ graphs
  const svgEl = (name, attributes, parent) => {
    const node = document.createElementNS(SVG_NS, name);
    for (const key of Object.keys(attributes || {})) node.setAttribute(key, String(attributes[key]));
    if (parent) parent.appendChild(node);
    return node;
  };
  const svgText = (parent, x, y, text, attributes) => {
    const node = svgEl('text', Object.assign({ x: x, y: y }, attributes || {}), parent);
    node.textContent = text;
    return node;
  };
  const clip = (text, length) => (text.length > length ? text.slice(0, length - 1) + '…' : text);
  const svgTitle = (parent, text) => {
    const title = svgEl('title', {}, parent);
    title.textContent = text;
    return title;
  };
  const newSvg = (width, height, title) => {
    const svg = svgEl('svg', { width: Math.ceil(width), height: Math.ceil(height), viewBox: '0 0 ' + Math.ceil(width) + ' ' + Math.ceil(height), role: 'img' });
    svg.setAttribute('aria-label', title);
    svgTitle(svg, title);
    return svg;
  };
  const arrow = (defs, id, colour) => {
    const marker = svgEl('marker', { id: id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }, marker);
  };
  const SEVERITY_FILL = { critical: ['#991b1b', '#ffffff'], high: ['#ef4444', '#ffffff'], medium: ['#fbbf24', '#111827'], low: ['#bfdbfe', '#1e3a8a'], info: ['#e5e7eb', '#374151'] };
  const CLEAN_FILL = ['#d1fae5', '#065f46'];
  const tallyText = (item) => (item.findings > 0 ? plural(item.findings, 'finding') + ', worst ' + item.worst : 'no findings');

  const drawNode = (parent, box, options) => {
    const g = svgEl('g', { class: 'node' + (options.onSelect ? ' clickable' : ''), transform: 'translate(' + box.x + ',' + box.y + ')' }, parent);
    g.setAttribute('data-id', options.id);
    svgTitle(g, options.title);
    const rect = svgEl('rect', { width: box.w, height: box.h, rx: 5, fill: options.fill, stroke: options.stroke || '#6b7280', 'stroke-width': options.strokeWidth || 1 }, g);
    if (options.dash) rect.setAttribute('stroke-dasharray', options.dash);
    svgText(g, 7, box.h / 2 + 4, clip(options.label, Math.floor((box.w - (options.badge ? 30 : 12)) / 6.2)), { fill: options.text || '#111827' });
    if (options.badge) {
      svgEl('rect', { x: box.w - 26, y: 4, width: 22, height: box.h - 8, rx: 7, fill: '#ffffff', 'fill-opacity': 0.85 }, g);
      svgText(g, box.w - 15, box.h / 2 + 4, options.badge, { 'text-anchor': 'middle', fill: '#111827' });
    }
    if (options.onSelect) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.addEventListener('click', options.onSelect);
      g.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); options.onSelect(); } });
    }
    return g;
  };
  const curve = (parent, x1, y1, x2, y2, attributes) => {
    const dx = Math.max(30, (x2 - x1) / 2);
    return svgEl('path', Object.assign({ d: 'M' + x1 + ',' + y1 + ' C' + (x1 + dx) + ',' + y1 + ' ' + (x2 - dx) + ',' + y2 + ' ' + x2 + ',' + y2, fill: 'none', stroke: '#9ca3af', 'stroke-width': 1.2 }, attributes || {}), parent);
  };
  const sideArc = (parent, x, y1, y2, attributes) =>
    svgEl('path', Object.assign({ d: 'M' + x + ',' + y1 + ' C' + (x - 40) + ',' + y1 + ' ' + (x - 40) + ',' + y2 + ' ' + x + ',' + y2, fill: 'none', stroke: '#9ca3af', 'stroke-width': 1.2 }, attributes || {}), parent);

  const filterByObject = (kind, namespace, name) => {
    setResource(kind, namespace, name);
    applyFilters();
    showFindings();
  };

  // Cluster map: a box per namespace with three columns, Ingresses → Services → workloads.
  const drawClusterMap = (map, only) => {
    const COL = 230, GAP = 90, H = 26, STEP = 34, PAD = 14, HEAD = 44;
    const width = PAD * 2 + COL * 3 + GAP * 2 + 20;
    const spaces = only === '' ? map.namespaces : map.namespaces.filter((ns) => ns.name === only);
    let height = 10;
    const plans = spaces.map((ns) => {
      const ingressAt = new Map(ns.ingresses.map((item, i) => [item.id, i]));
      const firstOf = (ids, at) => ids.reduce((best, id) => (at.has(id) ? Math.min(best, at.get(id)) : best), Infinity);
      const services = ns.services.slice().sort((a, b) => {
        const ia = firstOf(ns.ingresses.filter((g) => g.services.indexOf(a.id) >= 0).map((g) => g.id), ingressAt);
        const ib = firstOf(ns.ingresses.filter((g) => g.services.indexOf(b.id) >= 0).map((g) => g.id), ingressAt);
        return ia - ib || byText(a.id, b.id);
      });
      const serviceAt = new Map(services.map((item, i) => [item.id, i]));
      const workloads = ns.workloads.slice().sort((a, b) => {
        const sa = firstOf(services.filter((s) => s.workloads.indexOf(a.id) >= 0).map((s) => s.id), serviceAt);
        const sb = firstOf(services.filter((s) => s.workloads.indexOf(b.id) >= 0).map((s) => s.id), serviceAt);
        return sa - sb || byText(a.id, b.id);
      });
      const rowsNeeded = Math.max(1, ns.ingresses.length, services.length, workloads.length);
      const plan = { ns: ns, services: services, workloads: workloads, y: height, h: HEAD + rowsNeeded * STEP + PAD };
      height += plan.h + 14;
      return plan;
    });
    const svg = newSvg(width, height, 'Cluster map: ' + plural(spaces.length, 'namespace'));
    let nodes = 0;
    for (const plan of plans) {
      const ns = plan.ns;
      const group = svgEl('g', { 'data-namespace': ns.name }, svg);
      svgEl('rect', { x: 6, y: plan.y, width: width - 12, height: plan.h, rx: 8, fill: '#f9fafb', stroke: '#d1d5db' }, group);
      svgText(group, 18, plan.y + 18, 'namespace ' + ns.name + ': ' + tallyText(ns) + (ns.omitted ? ' (' + plural(ns.omitted, 'object') + ' not shown)' : ''), { class: 'ns-title' });
      const columnX = [PAD + 6, PAD + 6 + COL + GAP, PAD + 6 + 2 * (COL + GAP)];
      ['Ingresses', 'Services', 'Workloads'].forEach((title, c) => svgText(group, columnX[c], plan.y + 36, title, { fill: '#6b7280' }));
      const at = new Map();
      const place = (items, c) => items.forEach((item, i) => at.set(item.id, { x: columnX[c], y: plan.y + HEAD + i * STEP, w: COL, h: H }));
      place(ns.ingresses, 0);
      place(plan.services, 1);
      place(plan.workloads, 2);
      const edges = svgEl('g', { class: 'edges' }, group);
      const link = (from, to) => {
        const a = at.get(from), b = at.get(to);
        if (a && b) curve(edges, a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2);
      };
      for (const ingress of ns.ingresses) for (const id of ingress.services) link(ingress.id, id);
      for (const service of plan.services) for (const id of service.workloads) link(service.id, id);
      const draw = (item, kind, label, extra) => {
        const colours = item.worst ? SEVERITY_FILL[item.worst] : CLEAN_FILL;
        nodes++;
        drawNode(group, at.get(item.id), Object.assign({
          id: item.id,
          label: label,
          title: item.id + ': ' + tallyText(item) + (extra && extra.note ? '; ' + extra.note : ''),
          fill: colours[0],
          text: colours[1],
          badge: item.findings > 0 ? String(item.findings) : '',
          onSelect: () => filterByObject(kind, ns.name, item.name),
        }, extra || {}));
      };
      for (const ingress of ns.ingresses) draw(ingress, 'Ingress', 'Ingress ' + ingress.name, ingress.tls ? { note: 'TLS' } : { stroke: '#dc2626', dash: '4 3', strokeWidth: 2, note: 'no TLS' });
      for (const service of plan.services) draw(service, 'Service', 'Service ' + service.name, { note: service.type });
      for (const workload of plan.workloads) draw(workload, workload.kind, workload.kind + ' ' + workload.name);
    }
    return { svg: svg, nodes: nodes };
  };

  // RBAC: columns workloads → subjects → bindings → roles → permissions, ordered to cross few edges.
  const RBAC_COLUMNS = ['workload', 'subject', 'binding', 'role', 'permission'];
  const RBAC_FILL = { workload: '#dcfce7', subject: '#dbeafe', binding: '#f3f4f6', role: '#ede9fe', permission: '#fef9c3' };
  const neighbourhood = (graph, seeds) => {
    const out = new Map(), inc = new Map();
    for (const edge of graph.edges) {
      (out.get(edge.from) || out.set(edge.from, []).get(edge.from)).push(edge.to);
      (inc.get(edge.to) || inc.set(edge.to, []).get(edge.to)).push(edge.from);
    }
    const keep = new Set(seeds);
    for (const adjacency of [out, inc]) {
      const queue = seeds.slice();
      const seen = new Set(seeds);
      while (queue.length > 0) {
        const id = queue.pop();
        for (const next of adjacency.get(id) || []) {
          if (seen.has(next)) continue;
          seen.add(next);
          keep.add(next);
          queue.push(next);
        }
      }
    }
    return keep;
  };
  const drawRbac = (graph, only) => {
    // Cluster-wide: the ClusterRoleBindings (no namespace) and what they reach; else one namespace's objects.
    const seeds = only === CLUSTER_WIDE ? graph.nodes.filter((n) => !n.namespace && n.kind === 'binding') : graph.nodes.filter((n) => n.namespace === only);
    const keep = only === '' ? null : neighbourhood(graph, seeds.map((n) => n.id));
    const nodes = keep === null ? graph.nodes : graph.nodes.filter((n) => keep.has(n.id));
    const columns = RBAC_COLUMNS.map((kind) => nodes.filter((n) => n.kind === kind));
    const position = new Map();
    const reindex = () => columns.forEach((column) => column.forEach((n, i) => position.set(n.id, i)));
    reindex();
    const adjacent = new Map();
    for (const edge of graph.edges) {
      (adjacent.get(edge.from) || adjacent.set(edge.from, []).get(edge.from)).push(edge.to);
      (adjacent.get(edge.to) || adjacent.set(edge.to, []).get(edge.to)).push(edge.from);
    }
    const columnOf = new Map(nodes.map((n) => [n.id, RBAC_COLUMNS.indexOf(n.kind)]));
    const sweep = (c, towards) => {
      const key = new Map();
      columns[c].forEach((n, i) => {
        const near = (adjacent.get(n.id) || []).filter((id) => columnOf.get(id) === towards).map((id) => position.get(id));
        key.set(n.id, near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : columns[towards].length + i);
      });
      columns[c].sort((a, b) => key.get(a.id) - key.get(b.id));
      columns[c].forEach((n, i) => position.set(n.id, i));
    };
    for (let c = 1; c < columns.length; c++) sweep(c, c - 1);
    for (let c = columns.length - 2; c >= 0; c--) sweep(c, c + 1);
    const COL = 240, GAP = 90, H = 22, STEP = 30, TOP = 34, LEFT = 50;
    const tallest = Math.max(1, ...columns.map((column) => column.length));
    const width = LEFT + columns.length * (COL + GAP);
    const height = TOP + tallest * STEP + 20;
    const svg = newSvg(width, height, 'RBAC graph: ' + plural(nodes.length, 'node'));
    const defs = svgEl('defs', {}, svg);
    arrow(defs, 'rbac-arrow', '#9ca3af');
    arrow(defs, 'rbac-arrow-risky', '#dc2626');
    const at = new Map();
    columns.forEach((column, c) => {
      svgText(svg, LEFT + c * (COL + GAP), 18, RBAC_COLUMNS[c] + 's (' + column.length + ')', { class: 'ns-title' });
      column.forEach((n, i) => at.set(n.id, { x: LEFT + c * (COL + GAP), y: TOP + i * STEP, w: COL, h: H }));
    });
    const byNode = new Map(nodes.map((n) => [n.id, n]));
    const edges = svgEl('g', { class: 'edges' }, svg);
    let edgeCount = 0;
    for (const edge of graph.edges) {
      const a = at.get(edge.from), b = at.get(edge.to);
      if (!a || !b) continue;
      edgeCount++;
      const risky = byNode.get(edge.to).risky === true && byNode.get(edge.from).risky === true;
      const attributes = { stroke: risky ? '#dc2626' : '#9ca3af', 'marker-end': 'url(#' + (risky ? 'rbac-arrow-risky' : 'rbac-arrow') + ')' };
      if (edge.kind === 'member-of') attributes['stroke-dasharray'] = '5 3';
      if (edge.kind === 'aggregates') attributes['stroke-dasharray'] = '2 3';
      if (edge.kind === 'runs-as') attributes['stroke-width'] = 2;
      const path = a.x === b.x ? sideArc(edges, a.x, a.y + a.h / 2, b.y + b.h / 2, attributes) : curve(edges, a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2, attributes);
      svgTitle(path, edge.from + ' ' + edge.kind + ' ' + edge.to);
    }
    for (const n of nodes) {
      drawNode(svg, at.get(n.id), {
        id: n.id,
        label: n.label,
        title: n.label + (n.namespace ? ' (namespace ' + n.namespace + ')' : '') + (n.detail ? ': ' + n.detail : ''),
        fill: n.risky ? '#fee2e2' : RBAC_FILL[n.kind] || '#ffffff',
        stroke: n.risky ? '#dc2626' : '#6b7280',
        strokeWidth: n.risky ? 2 : 1,
      });
    }
    return { svg: svg, nodes: nodes.length, edges: edgeCount };
  };

  // Network: a box per namespace with its workload groups in a grid; outside the cluster on its own.
  const drawNetwork = (graph, only) => {
    let nodes = graph.nodes;
    if (only !== '') {
      const seeds = new Set(nodes.filter((n) => n.namespace === only).map((n) => n.id));
      const keep = new Set(seeds);
      for (const edge of graph.edges) {
        if (seeds.has(edge.from)) keep.add(edge.to);
        if (seeds.has(edge.to)) keep.add(edge.from);
      }
      nodes = nodes.filter((n) => keep.has(n.id) || n.kind === 'outside');
    }
    const groups = new Map();
    for (const n of nodes) {
      const key = n.kind === 'outside' ? '' : n.namespace || '';
      (groups.get(key) || groups.set(key, []).get(key)).push(n);
    }
    // Namespace boxes on a grid (columns sized by their widest box, rows by their tallest); in each box its nodes
    // on a grid of their own, staggered so that edges between neighbours do not run through other nodes.
    const W = 190, H = 26, STEP_X = 230, STEP_Y = 64, PAD = 16, HEAD = 34, GAP = 40;
    const boxes = [];
    for (const entry of groups) {
      const name = entry[0], members = entry[1];
      const columns = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(members.length))));
      const rowsNeeded = Math.ceil(members.length / columns);
      boxes.push({ name: name, members: members, columns: columns, w: PAD * 2 + (columns - 1) * STEP_X + W, h: HEAD + (rowsNeeded - 1) * STEP_Y + H + PAD + (columns > 1 ? 14 : 0) });
    }
    const gridColumns = Math.max(1, Math.min(3, Math.ceil(Math.sqrt(boxes.length))));
    const columnWidth = [], rowHeight = [];
    boxes.forEach((box, i) => {
      const c = i % gridColumns, r = Math.floor(i / gridColumns);
      columnWidth[c] = Math.max(columnWidth[c] || 0, box.w);
      rowHeight[r] = Math.max(rowHeight[r] || 0, box.h);
    });
    const offset = (sizes, index) => sizes.slice(0, index).reduce((sum, size) => sum + size + GAP, 10);
    boxes.forEach((box, i) => {
      box.x = offset(columnWidth, i % gridColumns);
      box.y = offset(rowHeight, Math.floor(i / gridColumns));
    });
    const width = offset(columnWidth, columnWidth.length);
    const height = offset(rowHeight, rowHeight.length);
    const svg = newSvg(width, height, 'Network reachability: ' + plural(nodes.length, 'node'));
    const defs = svgEl('defs', {}, svg);
    arrow(defs, 'net-arrow', '#4b5563');
    arrow(defs, 'net-arrow-unknown', '#d97706');
    const at = new Map();
    for (const box of boxes) {
      svgEl('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 8, fill: box.name === '' ? '#ffffff' : '#f9fafb', stroke: '#d1d5db' }, svg);
      if (box.name !== '') svgText(svg, box.x + 12, box.y + 20, 'namespace ' + box.name, { class: 'ns-title' });
      box.members.forEach((n, i) => {
        const c = i % box.columns;
        at.set(n.id, { x: box.x + PAD + c * STEP_X, y: box.y + (box.name === '' ? PAD : HEAD) + Math.floor(i / box.columns) * STEP_Y + (c % 2) * 14, w: W, h: H });
      });
    }
    const edges = svgEl('g', { class: 'edges' }, svg);
    const border = (box, tx, ty) => {
      const cx = box.x + box.w / 2, cy = box.y + box.h / 2;
      const dx = tx - cx, dy = ty - cy;
      if (dx === 0 && dy === 0) return [cx, cy];
      const scale = Math.min(Math.abs(dx) > 0 ? box.w / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? box.h / 2 / Math.abs(dy) : Infinity);
      return [cx + dx * scale, cy + dy * scale];
    };
    let edgeCount = 0;
    for (const edge of graph.edges) {
      const a = at.get(edge.from), b = at.get(edge.to);
      if (!a || !b) continue;
      edgeCount++;
      const unknown = edge.kind === 'unknown';
      const attributes = { fill: 'none', stroke: unknown ? '#d97706' : '#4b5563', 'stroke-width': 1.3, 'marker-end': 'url(#' + (unknown ? 'net-arrow-unknown' : 'net-arrow') + ')' };
      if (unknown) attributes['stroke-dasharray'] = '5 3';
      let path, lx, ly;
      if (edge.from === edge.to) {
        const sx = a.x + a.w - 30, sy = a.y;
        path = svgEl('path', Object.assign({ d: 'M' + sx + ',' + sy + ' C' + (sx - 6) + ',' + (sy - 24) + ' ' + (sx + 30) + ',' + (sy - 24) + ' ' + (sx + 22) + ',' + sy }, attributes), edges);
        lx = sx + 8;
        ly = sy - 20;
      } else {
        // A curve bending to the left of its direction: the two directions of a pair stay apart.
        const from = border(a, b.x + b.w / 2, b.y + b.h / 2);
        const to = border(b, a.x + a.w / 2, a.y + a.h / 2);
        const dx = to[0] - from[0], dy = to[1] - from[1];
        const bend = 0.18;
        const cx = (from[0] + to[0]) / 2 + dy * bend, cy = (from[1] + to[1]) / 2 - dx * bend;
        path = svgEl('path', Object.assign({ d: 'M' + from[0] + ',' + from[1] + ' Q' + cx + ',' + cy + ' ' + to[0] + ',' + to[1] }, attributes), edges);
        lx = (from[0] + 2 * cx + to[0]) / 4;
        ly = (from[1] + 2 * cy + to[1]) / 4 - 3;
      }
      svgTitle(path, edge.from + ' → ' + edge.to + ': ' + (edge.label || edge.kind));
      if (edge.label) svgText(edges, lx, ly, clip(edge.label, 26), { 'text-anchor': 'middle', fill: unknown ? '#92400e' : '#374151', 'font-size': 10 });
    }
    for (const n of nodes) {
      const outside = n.kind === 'outside';
      drawNode(svg, at.get(n.id), {
        id: n.id,
        label: n.label,
        title: n.label + (n.detail ? ': ' + n.detail : ''),
        fill: outside ? '#f3f4f6' : n.risky ? '#fee2e2' : '#dbeafe',
        stroke: outside ? '#6b7280' : n.risky ? '#dc2626' : '#2563eb',
        strokeWidth: n.risky ? 2 : 1,
      });
    }
    return { svg: svg, nodes: nodes.length, edges: edgeCount };
  };

  const setUpGraph = (id, graph, draw, namespacesOf, preferred, size) => {
    const canvas = document.querySelector('[data-graph="' + id + '"]');
    const select = document.querySelector('[data-graph-namespace="' + id + '"]');
    const counter = document.querySelector('[data-graph-count="' + id + '"]');
    if (!canvas || !select) return;
    const names = namespacesOf(graph);
    const allOption = el('option', '', 'all namespaces');
    allOption.value = '';
    select.appendChild(allOption);
    for (const name of names) {
      const option = el('option', '', name);
      option.value = name;
      select.appendChild(option);
    }
    const render = () => {
      const drawn = draw(graph, select.value);
      canvas.replaceChildren(drawn.svg);
      if (counter) counter.textContent = plural(drawn.nodes, 'node') + (drawn.edges !== undefined ? ', ' + plural(drawn.edges, 'edge') : '') + ' drawn';
    };
    // Big graphs open on one namespace (the one most worth a look); small ones whole.
    select.value = !printing && size(graph) > 150 && preferred(graph) !== undefined ? preferred(graph) : '';
    select.addEventListener('change', render);
    render();
  };
  const distinctNamespaces = (graph) => Array.from(new Set(graph.nodes.map((n) => n.namespace).filter((ns) => ns))).sort(byText);
  const mostRisky = (graph) => {
    const counts = new Map();
    for (const n of graph.nodes) if (n.namespace && n.risky) counts.set(n.namespace, (counts.get(n.namespace) || 0) + 1);
    let best;
    for (const entry of counts) if (best === undefined || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
    return best ? best[0] : distinctNamespaces(graph)[0];
  };
  const CLUSTER_WIDE = '(cluster-wide bindings)';
  const neighbourhoodRisky = (graph) => {
    const reach = neighbourhood(graph, graph.nodes.filter((n) => !n.namespace && n.kind === 'binding').map((n) => n.id));
    return graph.nodes.some((n) => n.risky && reach.has(n.id));
  };
  const rank = (item) => (item.worst ? severities.indexOf(item.worst) : severities.length);

  const drawGraphs = () => {
    const graphs = data.graphs || {};
    if (graphs.clusterMap) {
      setUpGraph('map', graphs.clusterMap, drawClusterMap, (map) => map.namespaces.map((ns) => ns.name),
        (map) => map.namespaces.slice().sort((a, b) => rank(a) - rank(b) || b.findings - a.findings || byText(a.name, b.name)).map((ns) => ns.name)[0],
        (map) => map.namespaces.reduce((sum, ns) => sum + ns.workloads.length + ns.services.length + ns.ingresses.length, 0));
    }
    if (graphs.rbac) {
      const clusterBindings = (graph) => graph.nodes.some((n) => !n.namespace && n.kind === 'binding');
      setUpGraph('rbac', graphs.rbac, drawRbac,
        (graph) => (clusterBindings(graph) ? [CLUSTER_WIDE] : []).concat(distinctNamespaces(graph)),
        // Cluster-wide grants are where cluster-admin sprawl shows: open there when they hold a risky permission.
        (graph) => (clusterBindings(graph) && neighbourhoodRisky(graph) ? CLUSTER_WIDE : mostRisky(graph)),
        (graph) => graph.nodes.length);
    }
    if (graphs.network) setUpGraph('network', graphs.network, drawNetwork, distinctNamespaces, mostRisky, (graph) => graph.nodes.length);
    window.__palisadeGraphsReady = performance.now();
  };
  setTimeout(drawGraphs, 0);
})();
`;
