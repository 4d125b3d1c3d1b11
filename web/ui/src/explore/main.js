// Entry point of the explorer bundle (web/explore.html): find an entity,
// open its card, expand its neighbourhood, connect two entities by their
// shortest paths, see the plan's scoreboard, and take the view away.
//
// The page speaks only the public GraphQL API and /export (the documents
// are in api.js; docs/explorer.md explains them). Its state lives in the
// URL's fragment, so a view can be shared and restored: see readURL.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { KINDS, TYPES, t, kindName, typeName, factName, enumName, setLang, getLang } from './i18n.js';
import { gql, setEndpoint, args, SEARCH, NODES, EXPAND, CARD, PATHS, SUPPLY_CHAIN, COMMUNITIES, CENTRALITY, PLANS, PLAN_PROGRESS, CONTRIBUTORS } from './api.js';
import { KIND_STYLE, COMMUNITY_COLORS, stylesheet, shapeSVG, shapeAt } from './style.js';
import { figureChart, overviewChart, indicatorChart, tierChart, disposeCharts, resizeCharts, compact, statusColor } from './charts.js';
import './explore.css';

cytoscape.use(fcose);

// The choices of colouring (by kind or community algorithm) and sizing
// (uniform or by centrality metric).
const COLOURS = ['kind', 'LOUVAIN', 'LABEL_PROPAGATION'];
const SIZES = ['none', 'DEGREE', 'PAGERANK', 'BETWEENNESS'];

// MAX_VIEW bounds the nodes of the view: past it the page expands no more.
const MAX_VIEW = 2000;
// The bounds of the API's neighborhood(limit) and paths(maxHops, k).
const MAX_LIMIT = 500;

const root = document.getElementById('explorer');
setEndpoint(root.dataset.endpoint);
const exportBase = root.dataset.export || '/export';

const $ = (sel) => root.querySelector(sel);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// The view's state; everything in it is written to the URL.
const state = {
  view: 'net', // 'net' or 'plan'
  types: [], // relationship types to expand over; empty: all
  year: null, // asOf
  limit: 40, // nodes per expansion
  depth: 1, // hops per expansion
  seeds: [], // ids added from search
  expansions: [], // [{id, limit}] in order
  card: null,
  from: null,
  to: null,
  maxHops: 4,
  k: 3,
  pathsShown: false,
  supply: null, // enterprise whose supply chain is drawn
  colour: 'kind', // 'kind' or a CommunityAlgorithm
  size: 'none', // 'none' or a CentralityMetric
  plan: null,
  planYear: null,
};

let restoring = false;
let busy = 0;

function setBusy(delta) {
  busy += delta;
  root.dataset.busy = busy > 0 ? '1' : '0';
}

async function withBusy(fn) {
  setBusy(1);
  try {
    return await fn();
  } catch (err) {
    notice(t('error') + err.message, 'error');
    return undefined;
  } finally {
    setBusy(-1);
  }
}

// --- URL -----------------------------------------------------------------

function writeURL() {
  if (restoring) return;
  const p = new URLSearchParams();
  if (getLang() === 'en') p.set('lang', 'en');
  if (state.view !== 'net') p.set('v', state.view);
  if (state.types.length) p.set('t', state.types.join(','));
  if (state.year) p.set('y', state.year);
  if (state.limit !== 40) p.set('l', state.limit);
  if (state.depth !== 1) p.set('d', state.depth);
  if (state.seeds.length) p.set('s', state.seeds.join(','));
  if (state.expansions.length) p.set('x', state.expansions.map((e) => (e.limit === state.limit ? e.id : `${e.id}~${e.limit}`)).join(','));
  if (state.card) p.set('c', state.card);
  if (state.from) p.set('pf', state.from);
  if (state.to) p.set('pt', state.to);
  if (state.maxHops !== 4) p.set('ph', state.maxHops);
  if (state.k !== 3) p.set('pk', state.k);
  if (state.pathsShown) p.set('pp', '1');
  if (state.supply) p.set('sc', state.supply);
  if (state.colour !== 'kind') p.set('col', state.colour);
  if (state.size !== 'none') p.set('sz', state.size);
  if (state.plan) p.set('plan', state.plan);
  if (state.planYear) p.set('py', state.planYear);
  history.replaceState(null, '', `${location.pathname}${location.search}#${p.toString()}`);
}

const intIn = (s, lo, hi, def) => {
  const n = parseInt(s, 10);
  return Number.isInteger(n) && n >= lo && n <= hi ? n : def;
};
const idList = (s) => (s ? s.split(',').filter(Boolean) : []);

// readURL sets the state from the URL's fragment, ignoring what it does
// not understand.
function readURL() {
  const p = new URLSearchParams(location.hash.slice(1));
  setLang(p.get('lang') === 'en' ? 'en' : 'zh');
  state.view = p.get('v') === 'plan' ? 'plan' : 'net';
  state.types = idList(p.get('t')).filter((x) => TYPES.includes(x));
  state.year = intIn(p.get('y'), 1900, 2100, null);
  state.limit = intIn(p.get('l'), 2, MAX_LIMIT, 40);
  state.depth = intIn(p.get('d'), 1, 3, 1);
  state.seeds = idList(p.get('s'));
  state.expansions = idList(p.get('x')).map((x) => {
    const [id, l] = x.split('~');
    return { id, limit: intIn(l, 2, MAX_LIMIT, state.limit) };
  });
  state.card = p.get('c');
  state.from = p.get('pf');
  state.to = p.get('pt');
  state.maxHops = intIn(p.get('ph'), 1, 6, 4);
  state.k = intIn(p.get('pk'), 1, 50, 3);
  state.pathsShown = p.get('pp') === '1';
  state.supply = p.get('sc');
  state.colour = COLOURS.includes(p.get('col')) ? p.get('col') : 'kind';
  state.size = SIZES.includes(p.get('sz')) ? p.get('sz') : 'none';
  state.plan = p.get('plan');
  state.planYear = intIn(p.get('py'), 1900, 2100, null);
}

// --- Notices ---------------------------------------------------------------

function notice(text, kind = 'info') {
  const box = $('#notices');
  const div = document.createElement('div');
  div.className = `notice ${kind}`;
  div.textContent = text;
  const x = document.createElement('button');
  x.className = 'close';
  x.textContent = '×';
  x.title = t('close');
  x.addEventListener('click', () => div.remove());
  div.append(x);
  box.prepend(div);
  while (box.children.length > 4) box.lastChild.remove();
}

// --- The network -----------------------------------------------------------

const cy = cytoscape({
  container: $('#cy'),
  style: stylesheet(),
  minZoom: 0.05,
  maxZoom: 4,
});

// Timings of the last layout, read by the benchmark.
const timings = { layoutMs: 0, nodes: 0 };

function label(n) {
  return n.name || n.id;
}

function addNode(n, near) {
  if (cy.getElementById(n.id).nonempty()) return cy.getElementById(n.id);
  const pos = near ? { x: near.x + (Math.random() - 0.5) * 120, y: near.y + (Math.random() - 0.5) * 120 } : { x: Math.random() * 400, y: Math.random() * 300 };
  return cy.add({ group: 'nodes', data: { id: n.id, kind: n.kind, name: n.name, label: label(n), district: n.district ?? null }, position: pos });
}

function addEdge(e) {
  if (cy.getElementById(e.id).nonempty()) return cy.getElementById(e.id);
  if (cy.getElementById(e.source).empty() || cy.getElementById(e.target).empty()) return null;
  return cy.add({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, type: e.type, label: typeName(e.type), since: e.since ?? null, until: e.until ?? null } });
}

function entityNodes() {
  return cy.nodes('[!more]');
}

function updateCounts() {
  const n = entityNodes().length;
  const e = cy.edges('[!more]').length;
  const el = $('#counts');
  el.textContent = t('counts')(n, e);
  el.dataset.nodes = n;
  el.dataset.edges = e;
  el.dataset.more = cy.nodes('.more').length;
}

let layoutRun = null;

// BIG is the number of nodes from which the layout takes its quicker way.
const BIG = 300;

// layout lays the view out with fCoSE; nodes already placed keep roughly
// their places unless randomize is set. A big view is not animated, and
// when laid out anew it starts from fCoSE's spectral draft and is then
// refined from there with a low initial energy, which takes about a third
// less time than the full layout from scratch (docs/benchmarks.md).
function layout(randomize = false) {
  if (cy.nodes().length === 0) return Promise.resolve();
  if (layoutRun) layoutRun.stop();
  setBusy(1);
  const started = performance.now();
  const big = cy.nodes().length > BIG;
  const base = {
    name: 'fcose',
    animate: !big,
    animationDuration: 350,
    fit: true,
    padding: 30,
    nodeDimensionsIncludeLabels: false,
    idealEdgeLength: () => 70,
    nodeRepulsion: () => 6500,
  };
  if (big && randomize) cy.layout({ ...base, quality: 'draft', randomize: true, animate: false, fit: false }).run();
  const run = cy.layout({ ...base, quality: 'default', randomize: big ? false : randomize, initialEnergyOnIncremental: big ? 0.1 : 0.3 });
  layoutRun = run;
  return new Promise((resolve) => {
    run.one('layoutstop', () => {
      timings.layoutMs = performance.now() - started;
      timings.nodes = cy.nodes().length;
      root.dataset.layoutMs = timings.layoutMs.toFixed(0);
      if (layoutRun === run) layoutRun = null;
      setBusy(-1);
      resolve();
    });
    run.run();
  });
}

function expansionVars(id, limit) {
  return { id, types: state.types.length ? state.types : null, asOf: state.year, limit, depth: state.depth };
}

// expand adds a node's neighbourhood to the view. When the API says that
// its limit cut the neighbourhood, a "+N" node stands for the rest; a click
// on it expands the node again with a higher limit.
async function expand(id, limit = state.limit, { lay = true } = {}) {
  if (entityNodes().length >= MAX_VIEW) {
    notice(t('viewFull')(MAX_VIEW), 'warn');
    return;
  }
  const vars = expansionVars(id, limit);
  const data = await gql(EXPAND, vars);
  const nb = data.neighborhood;
  const hub = cy.getElementById(id);
  const near = hub.nonempty() ? hub.position() : null;
  cy.batch(() => {
    for (const n of nb.nodes) addNode(n, near);
    for (const e of nb.edges) addEdge(e);
  });
  const center = cy.getElementById(id);
  center.addClass('expanded');
  const i = state.expansions.findIndex((x) => x.id === id);
  if (i >= 0) state.expansions[i].limit = Math.max(state.expansions[i].limit, limit);
  else state.expansions.push({ id, limit });

  const moreId = `more:${id}`;
  cy.getElementById(moreId).remove();
  if (nb.truncated) {
    const total = data.node.relations.totalCount;
    const shownNeighbours = nb.nodes.length - 1;
    const incident = center.connectedEdges('[!more]').length;
    const hidden = state.depth === 1 ? Math.max(total - incident, 0) : null;
    const next = Math.min(Math.max(limit * 2, 20), MAX_LIMIT);
    if (limit < MAX_LIMIT) {
      const p = center.position();
      cy.add({ group: 'nodes', classes: 'more', data: { id: moreId, more: true, hub: id, next, label: hidden ? t('hubMore')(hidden) : '+…' }, position: { x: p.x + 40, y: p.y + 40 } });
      cy.add({ group: 'edges', classes: 'more', data: { id: `${moreId}:edge`, more: true, source: id, target: moreId } });
    }
    if (nb.truncatedBy === 'NODE_LIMIT' && state.depth === 1) notice(t('truncatedHub')(data.node.name, shownNeighbours, total, limit), 'warn');
    else if (nb.truncatedBy === 'NODE_LIMIT') notice(t('truncatedDeep')(data.node.name, nb.nodes.length, state.depth, limit), 'warn');
    else notice(t('truncatedBy')(nb.truncatedBy), 'warn');
  }
  updateCounts();
  writeURL();
  await applyAnalytics();
  if (lay) await layout();
}

async function addSeed(id) {
  if (cy.getElementById(id).nonempty()) return;
  const data = await gql(NODES, { ids: [id] });
  const n = data.nodes[0];
  if (!n) return;
  const ext = cy.extent();
  addNode(n, cy.nodes().length ? { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 } : null);
  if (!state.seeds.includes(id)) state.seeds.push(id);
  updateCounts();
  writeURL();
}

function clearView() {
  cy.elements().remove();
  state.seeds = [];
  state.expansions = [];
  state.pathsShown = false;
  state.supply = null;
  lastSupply = null;
  renderSupply();
  $('#path-results').innerHTML = '';
  updateCounts();
  writeURL();
}

cy.on('tap', 'node', (ev) => {
  const n = ev.target;
  if (n.hasClass('more')) {
    withBusy(() => expand(n.data('hub'), n.data('next')));
    return;
  }
  openCard(n.id());
  if (!n.hasClass('expanded')) withBusy(() => expand(n.id()));
});

// --- Search ----------------------------------------------------------------

let searchSeq = 0;

async function search(text) {
  const seq = ++searchSeq;
  const list = $('#results');
  if (text.trim().length < 2) {
    list.innerHTML = text.trim() ? `<li class="hint">${esc(t('searchHint'))}</li>` : '';
    return;
  }
  const data = await withBusy(() => gql(SEARCH, { text: text.trim(), first: 15 }));
  if (!data || seq !== searchSeq) return;
  list.innerHTML = data.search.length ? '' : `<li class="hint">${esc(t('noResults'))}</li>`;
  for (const n of data.search) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.className = 'result';
    b.dataset.id = n.id;
    b.innerHTML = `<span class="kind" style="--c:${KIND_STYLE[n.kind].color}">${esc(kindName(n.kind))}</span> <span class="name">${esc(n.name)}</span>${n.nameEn ? ` <span class="en">${esc(n.nameEn)}</span>` : ''}`;
    b.addEventListener('click', () => pick(n.id));
    li.append(b);
    list.append(li);
  }
}

async function pick(id) {
  showView('net');
  await withBusy(async () => {
    await addSeed(id);
    await openCard(id);
    await layout();
    cy.getElementById(id).select();
  });
}

// --- The card --------------------------------------------------------------

const FACTS = {
  ENTERPRISE: ['creditCode', 'industry', 'foundedYear', 'aboveScale', 'highTechGranted', 'highTechValidUntil'],
  INCUBATOR: ['level', 'operator', 'area', 'foundedYear'],
  MAKERSPACE: ['level', 'operator', 'foundedYear'],
  TALENT: ['field', 'title', 'tier', 'programme'],
  UNIVERSITY: ['universityType', 'foundedYear'],
  SERVICE_AGENCY: ['categories', 'level'],
  POLICY: ['level', 'issuer', 'year', 'policyType'],
  INDUSTRY: ['chain', 'position'],
  PLAN: ['periodStart', 'periodEnd', 'issuer'],
  INDICATOR: ['number', 'category', 'target', 'unit', 'baselineYear', 'formula', 'text'],
};

let cardSeq = 0;

async function openCard(id) {
  const seq = ++cardSeq;
  state.card = id;
  writeURL();
  const data = await withBusy(() => gql(CARD, { id }));
  if (!data || seq !== cardSeq) return;
  renderCard(data.node);
}

let cardNode = null;

function renderCard(n) {
  cardNode = n;
  disposeCharts('card');
  const box = $('#card');
  if (!n) {
    box.innerHTML = `<p class="hint">${esc(t('cardEmpty'))}</p>`;
    return;
  }
  const fmt = (v) => {
    if (v === null || v === undefined || v === '') return null;
    if (typeof v === 'boolean') return v ? t('yes') : t('no');
    if (Array.isArray(v)) return v.map(enumName).join(', ');
    if (typeof v === 'string' && /^[A-Z][A-Z_]+$/.test(v)) return enumName(v);
    return String(v);
  };
  const rows = [
    [t('id'), n.id],
    [t('kind'), kindName(n.kind)],
    [t('nameEn'), n.nameEn],
    [t('aliases'), n.aliases?.length ? n.aliases.join('、') : null],
    [t('district'), n.district],
    ...(FACTS[n.kind] || []).map((f) => [factName(f), fmt(n[f])]),
    [t('relations'), n.relations.totalCount],
    [t('source'), n.source],
  ];
  const relSources = {};
  for (const e of n.relations.edges) {
    const s = e.relation.source || '–';
    relSources[s] = (relSources[s] || 0) + 1;
  }
  const rs = Object.entries(relSources).map(([s, c]) => `${s} ×${c}`).join('，');
  if (rs) rows.push([t('relSources'), rs]);
  if (n.updatedAt) rows.push([t('updated'), n.updatedAt.slice(0, 10)]);
  const s = KIND_STYLE[n.kind];
  box.innerHTML = `
    <h3><span class="kind" style="--c:${s.color}">${esc(kindName(n.kind))}</span> ${esc(n.name)}</h3>
    <table class="facts">${rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== '').map((r) => `<tr><th>${esc(r[0])}</th><td>${esc(r[1])}</td></tr>`).join('')}</table>
    <div class="card-actions">
      <button data-act="expand">${esc(t('expand'))}</button>
      <button data-act="from">${esc(t('setFrom'))}</button>
      <button data-act="to">${esc(t('setTo'))}</button>
      ${n.kind === 'ENTERPRISE' ? `<button data-act="supply">${esc(t('supplyChain'))}</button>` : ''}
    </div>
    <div class="figures"></div>`;
  box.querySelector('[data-act=expand]').addEventListener('click', async () => {
    await withBusy(async () => {
      await addSeed(n.id);
      await expand(n.id);
    });
  });
  box.querySelector('[data-act=from]').addEventListener('click', () => setEnd('from', n));
  box.querySelector('[data-act=to]').addEventListener('click', () => setEnd('to', n));
  box.querySelector('[data-act=supply]')?.addEventListener('click', () => withBusy(() => supplyChain(n.id)));
  const figs = n.figures || n.makerFigures || [];
  if (!figs.length) return;
  const holder = box.querySelector('.figures');
  holder.innerHTML = `<h4>${esc(t('figures'))}</h4>`;
  const years = figs.map((f) => f.year);
  const groups = n.kind === 'MAKERSPACE' ? [[['makersServed'], 'bar']] : [[['revenue', 'rdInvestment', 'rdDeduction'], 'bar'], [['employees'], 'line']];
  for (const [keys, type] of groups) {
    const series = keys.map((key) => ({ key, values: figs.map((f) => f[key] ?? null) })).filter((s) => s.values.some((v) => v !== null));
    if (!series.length) continue;
    const el = document.createElement('div');
    el.className = 'chart small';
    holder.append(el);
    figureChart('card', el, years, series, type);
  }
}

// --- Paths -----------------------------------------------------------------

const ends = { from: null, to: null }; // {id, name, kind}

function setEnd(which, n) {
  ends[which] = { id: n.id, name: n.name, kind: n.kind };
  state[which] = n.id;
  renderEnds();
  writeURL();
}

function renderEnds() {
  for (const which of ['from', 'to']) {
    const el = $(`#path-${which}`);
    const e = ends[which];
    el.textContent = e ? e.name : t('pathNone');
    el.dataset.id = e ? e.id : '';
  }
  $('#find-paths').disabled = !(ends.from && ends.to);
}

let lastPaths = null;

async function findPaths() {
  if (!ends.from || !ends.to) return;
  const vars = { from: ends.from.id, to: ends.to.id, maxHops: state.maxHops, k: state.k, types: state.types.length ? state.types : null, asOf: state.year };
  const data = await gql(PATHS, vars);
  const res = data.paths;
  lastPaths = res;
  state.pathsShown = true;
  cy.elements().removeClass('path');
  cy.batch(() => {
    for (const p of res.paths) {
      for (const n of p.nodes) addNode(n, null).addClass('path');
      for (const h of p.hops) {
        const fwd = h.direction === 'FORWARD';
        const e = addEdge({ id: h.relation.id, type: h.type, source: fwd ? h.from.id : h.to.id, target: fwd ? h.to.id : h.from.id, since: h.relation.since, until: h.relation.until });
        if (e) e.addClass('path');
      }
    }
  });
  renderPaths();
  if (res.truncated) notice(t('pathsTruncated'), 'warn');
  updateCounts();
  writeURL();
  await applyAnalytics();
  await layout();
}

// hopText explains one hop in words: who does what to whom, and since when.
function hopText(h) {
  const fwd = h.direction === 'FORWARD';
  let s = t('hopWords')(h.from.name, typeName(h.type), h.to.name, fwd);
  const years = [h.relation.since && t('sinceYear')(h.relation.since), h.relation.until && t('untilYear')(h.relation.until)].filter(Boolean);
  if (years.length) s += getLang() === 'zh' ? `（${years.join('，')}）` : ` (${years.join(', ')})`;
  return s;
}

function renderPaths() {
  const box = $('#path-results');
  if (!lastPaths) {
    box.innerHTML = '';
    return;
  }
  if (!lastPaths.paths.length) {
    box.innerHTML = `<p class="hint">${esc(t('noPaths'))}</p>`;
    return;
  }
  box.innerHTML = lastPaths.paths
    .map(
      (p, i) => `<div class="path" data-index="${i}">
        <div class="path-title">${esc(t('pathSummary')(i + 1, p.length))}</div>
        ${getLang() === 'zh' ? `<div class="explanation">${esc(p.explanation)}</div>` : ''}
        <ol>${p.hops.map((h) => `<li>${esc(hopText(h))}</li>`).join('')}</ol>
      </div>`,
    )
    .join('');
  box.querySelectorAll('.path').forEach((el) => {
    el.addEventListener('click', () => {
      const p = lastPaths.paths[+el.dataset.index];
      cy.elements().removeClass('path');
      for (const n of p.nodes) cy.getElementById(n.id).addClass('path');
      for (const h of p.hops) cy.getElementById(h.relation.id).addClass('path');
      box.querySelectorAll('.path').forEach((x) => x.classList.toggle('chosen', x === el));
    });
  });
}

// --- Supply chains ---------------------------------------------------------

let lastSupply = null;

// supplyChain draws an enterprise's suppliers and customers by tier; the
// enterprises outside the district have a dashed border.
async function supplyChain(id) {
  const data = await gql(SUPPLY_CHAIN, { id, depth: 3, asOf: state.year, limit: 300 });
  const sc = data.supplyChain;
  lastSupply = sc;
  state.supply = id;
  cy.nodes().removeData('tier tierLabel').removeClass('outside');
  cy.batch(() => {
    addNode(sc.enterprise, null);
    for (const [dir, tiers] of [['up', sc.upstream], ['down', sc.downstream]]) {
      for (const tier of tiers) {
        for (const n of tier.enterprises) {
          const el = addNode(n, null);
          const mark = `${dir === 'up' ? '↑' : '↓'}${tier.tier}`;
          el.data({ tier: mark, tierLabel: `${mark} ${n.name}` });
          if (n.district !== sc.district) el.addClass('outside');
        }
        for (const e of tier.edges) addEdge(e);
      }
    }
  });
  if (sc.truncated) notice(t('supplyTruncated')(sc.truncatedBy), 'warn');
  renderSupply();
  updateCounts();
  writeURL();
  await applyAnalytics();
  await layout();
}

function renderSupply() {
  disposeCharts('supply');
  const box = $('#supply');
  if (!lastSupply) {
    box.innerHTML = '';
    return;
  }
  const sc = lastSupply;
  const rows = [...sc.upstream.map((x) => ({ ...x, dir: 'up' })).reverse(), ...sc.downstream.map((x) => ({ ...x, dir: 'down' }))];
  box.innerHTML = `<h4>${esc(t('supplyTiers')(sc.enterprise.name, sc.district))}</h4>
    <table class="tiers"><tr><th>${esc(t('tier'))}</th><th>${esc(t('inside'))}</th><th>${esc(t('outside'))}</th></tr>
    ${rows.map((r) => `<tr data-tier="${r.dir}${r.tier}"><td>${esc(t(r.dir === 'up' ? 'upstream' : 'downstream'))} ${r.tier}</td><td>${r.inside}</td><td>${r.outside}</td></tr>`).join('')}</table>
    <div class="chart small"></div>`;
  if (rows.length) tierChart('supply', box.querySelector('.chart'), rows.map((r) => ({ label: `${t(r.dir === 'up' ? 'upstream' : 'downstream')}${r.tier}`, inside: r.inside, outside: r.outside })));
}

// --- Communities and centrality ------------------------------------------

const analyticsCache = new Map();

async function cached(key, fn) {
  if (!analyticsCache.has(key)) analyticsCache.set(key, await fn());
  return analyticsCache.get(key);
}

// applyAnalytics colours the view's nodes by community and sizes them by a
// centrality, as chosen, over the relationship types and year of the view.
async function applyAnalytics() {
  try {
    await colourAndSize();
  } catch (err) {
    notice(t('error') + err.message, 'error');
  }
}

async function colourAndSize() {
  const types = state.types.length ? state.types : null;
  const nodes = entityNodes();
  if (state.colour === 'kind') {
    nodes.removeData('community');
  } else {
    const key = JSON.stringify(['c', state.colour, types, state.year]);
    const res = await cached(key, async () => (await gql(COMMUNITIES, { algorithm: state.colour, types, asOf: state.year })).communities);
    const of = new Map();
    for (const c of res.communities) for (const m of c.members) of.set(m.id, c.id);
    const seen = new Set();
    let missing = 0;
    nodes.forEach((n) => {
      if (!of.has(n.id())) missing++;
      const c = of.get(n.id());
      if (c) seen.add(c);
      n.data('community', c ? COMMUNITY_COLORS[(c - 1) % COMMUNITY_COLORS.length] : '#d0d0d0');
    });
    root.dataset.communities = String(seen.size);
    // Only the 100 largest communities, each with its first 500 members,
    // are asked for: say so when a node of the view is not among them.
    if (res.truncated || (missing > 0 && (res.count > res.communities.length || res.communities.some((c) => c.size > c.members.length)))) notice(t('analyticsTruncated'), 'warn');
    $('#analytics-note').textContent = t('communitiesInView')(seen.size, res.count);
  }
  if (state.colour === 'kind') $('#analytics-note').textContent = '';
  if (state.size === 'none') {
    nodes.removeData('size');
  } else {
    const key = JSON.stringify(['s', state.size, types, state.year]);
    const res = await cached(key, async () => (await gql(CENTRALITY, { metric: state.size, types, asOf: state.year })).centrality);
    const score = new Map(res.ranking.map((r) => [r.node.id, r.score]));
    const values = nodes.map((n) => score.get(n.id())).filter((v) => v !== undefined);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    nodes.forEach((n) => {
      const v = score.get(n.id());
      n.data('size', v === undefined ? 14 : hi > lo ? 16 + (34 * (v - lo)) / (hi - lo) : 26);
    });
    if (res.truncated) notice(t('analyticsTruncated'), 'warn');
  }
}

// --- The plan's scoreboard -----------------------------------------------

let planData = null;

async function loadPlan() {
  const plans = (await gql(PLANS)).plans.edges.map((e) => e.node);
  const sel = $('#plan-select');
  sel.innerHTML = plans.map((p) => `<option value="${esc(p.id)}">${esc(getLang() === 'en' && p.nameEn ? p.nameEn : p.name)}</option>`).join('');
  if (!plans.length) {
    $('#scoreboard').innerHTML = `<p class="hint">${esc(t('noPlan'))}</p>`;
    return;
  }
  if (!state.plan || !plans.some((p) => p.id === state.plan)) state.plan = plans[0].id;
  sel.value = state.plan;
  const plan = plans.find((p) => p.id === state.plan);
  const ysel = $('#plan-year');
  const years = [];
  for (let y = plan.periodStart || 2021; y <= (plan.periodEnd || 2025); y++) years.push(y);
  ysel.innerHTML = years.map((y) => `<option value="${y}">${y}</option>`).join('');
  if (!state.planYear || !years.includes(state.planYear)) state.planYear = null;
  ysel.value = String(state.planYear || years[years.length - 1]);
  const data = await gql(PLAN_PROGRESS, { plan: state.plan, year: state.planYear });
  planData = data.planProgress;
  renderPlan();
  writeURL();
}

function renderPlan() {
  disposeCharts('plan');
  const box = $('#scoreboard');
  if (!planData) return;
  const inds = planData.indicators.map((i) => ({ ...i, year: planData.year, label: getLang() === 'en' && i.indicator?.nameEn ? i.indicator.nameEn : i.name }));
  box.innerHTML = `<h3>${esc(t('scoreboard'))} · ${esc(planData.district || '')} · ${planData.year}</h3>
    <div class="chart overview"></div>
    <div class="indicators">${inds
      .map(
        (i, k) => `<div class="indicator" data-k="${k}" data-number="${i.number ?? ''}">
          <div class="ind-head"><span class="num">${i.number ?? ''}</span> <span class="ind-name">${esc(i.label)}</span>
          <span class="status" style="--c:${statusColor(i.status)}">${esc(t('status')[i.status] || i.status)}</span></div>
          <div class="ind-values">${esc(t('actual'))} ${esc(compact(i.actual))}${esc(i.unit || '')} / ${esc(t('target'))} ${esc(compact(i.target))}${esc(i.unit || '')}${i.ratio !== null && i.ratio !== undefined ? ` · ${(i.ratio * 100).toFixed(0)}%` : ''}</div>
          <div class="chart mini"></div>
        </div>`,
      )
      .join('')}</div>
    <div id="contributors"></div>`;
  overviewChart('plan', box.querySelector('.overview'), inds);
  box.querySelectorAll('.indicator').forEach((el) => {
    const ind = inds[+el.dataset.k];
    indicatorChart('plan', el.querySelector('.mini'), ind);
    el.addEventListener('click', () => showContributors(ind, el));
  });
}

async function showContributors(ind, el) {
  $('#scoreboard').querySelectorAll('.indicator').forEach((x) => x.classList.toggle('chosen', x === el));
  const data = await withBusy(() => gql(CONTRIBUTORS, { plan: state.plan, year: state.planYear, first: 20 }));
  if (!data) return;
  const found = data.planProgress.indicators.find((x) => x.number === ind.number);
  const box = $('#contributors');
  if (!found) {
    box.innerHTML = '';
    return;
  }
  const c = found.contributors;
  box.innerHTML = `<h4>${esc(ind.label)} · ${esc(t('contributors'))} (${c.edges.length}/${c.totalCount})</h4>
    <table class="contributors"><tr><th>${esc(t('kind'))}</th><th></th><th>${esc(t('contribution'))}</th><th></th></tr>
    ${c.edges
      .map(
        (e) => `<tr><td><span class="kind" style="--c:${KIND_STYLE[e.node.kind].color}">${esc(kindName(e.node.kind))}</span></td>
        <td>${esc(e.node.name)}${e.counterpart ? ` → ${esc(e.counterpart.name)}` : ''}</td><td class="num">${esc(compact(e.contribution))}</td>
        <td><button data-id="${esc(e.node.id)}">${esc(t('showInNetwork'))}</button></td></tr>`,
      )
      .join('')}</table>`;
  box.querySelectorAll('button[data-id]').forEach((b) => b.addEventListener('click', () => pick(b.dataset.id)));
}

// --- Export ----------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  root.dataset.lastExport = `${name} ${blob.size}`;
}

function exportPNG() {
  download(cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }), 'innograph-view.png');
}

// viewSVG draws the view as SVG: nodes with their shapes, colours and
// labels where the layout put them, relationships as straight lines with
// their type and direction.
function viewSVG() {
  const xml = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const bb = cy.elements().boundingBox({ includeLabels: true });
  const pad = 20;
  const w = Math.ceil(bb.w + 2 * pad);
  const h = Math.ceil(bb.h + 2 * pad);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${(bb.x1 - pad).toFixed(1)} ${(bb.y1 - pad).toFixed(1)} ${w} ${h}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
    `<rect x="${(bb.x1 - pad).toFixed(1)}" y="${(bb.y1 - pad).toFixed(1)}" width="${w}" height="${h}" fill="#ffffff"/>`,
  ];
  cy.edges().forEach((e) => {
    const s = e.source().position();
    const t2 = e.target().position();
    const r = e.target().width() / 2 + 2;
    const len = Math.hypot(t2.x - s.x, t2.y - s.y) || 1;
    const tx = t2.x - ((t2.x - s.x) / len) * r;
    const ty = t2.y - ((t2.y - s.y) / len) * r;
    const arrow = e.style('target-arrow-shape') !== 'none' ? ' marker-end="url(#arrow)"' : '';
    const dash = e.style('line-style') === 'dashed' ? ' stroke-dasharray="4 3"' : '';
    out.push(`<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${tx.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="${e.style('line-color')}" stroke-width="${parseFloat(e.style('width'))}"${dash}${arrow}/>`);
    if (e.data('label')) out.push(`<text x="${((s.x + t2.x) / 2).toFixed(1)}" y="${((s.y + t2.y) / 2).toFixed(1)}" font-size="8" fill="#555" text-anchor="middle">${xml(e.data('label'))}</text>`);
  });
  cy.nodes().forEach((n) => {
    const p = n.position();
    const size = n.width();
    out.push(shapeAt(n.style('shape'), n.style('background-color'), p.x, p.y, size, n.style('border-color'), parseFloat(n.style('border-width'))));
    const labelY = n.hasClass('more') ? p.y + 4 : p.y + size / 2 + 12;
    out.push(`<text x="${p.x.toFixed(1)}" y="${labelY.toFixed(1)}" font-size="10" fill="#222" text-anchor="middle">${xml(n.data('label'))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

function exportSVG() {
  download(new Blob([viewSVG()], { type: 'image/svg+xml' }), 'innograph-view.svg');
}

// exportView writes the view itself as Cytoscape elements, in the format
// of /export/cytoscape, with the positions of the drawing.
function exportView() {
  const nodes = entityNodes().map((n) => ({ data: { id: n.id(), kind: n.data('kind'), name: n.data('name'), district: n.data('district') }, position: n.position() }));
  const edges = cy.edges('[!more]').map((e) => ({ data: { id: e.id(), source: e.data('source'), target: e.data('target'), type: e.data('type'), since: e.data('since'), until: e.data('until') } }));
  download(new Blob([JSON.stringify({ elements: { nodes, edges } }, null, 1)], { type: 'application/json' }), 'innograph-view.cyjs');
}

// exportURL is the /export of the neighbourhood of the first expanded
// node, as deep as the view reaches from it, with the view's filters.
function exportURL(format) {
  const first = state.expansions[0]?.id || state.seeds[0];
  if (!first || cy.getElementById(first).empty()) return null;
  let depth = 1;
  cy.elements('[!more]').bfs({ roots: cy.getElementById(first), directed: false, visit: (v, e, u, i, d) => { depth = Math.max(depth, d); } });
  const p = new URLSearchParams({ node: first, depth: String(Math.min(depth, 6)) });
  if (state.types.length) p.set('types', state.types.join(','));
  if (state.year) p.set('asOf', String(state.year));
  return `${exportBase}/${format}?${p}`;
}

function exportVia(format) {
  const url = exportURL(format);
  if (!url) {
    notice(t('exportNeedsNode'), 'warn');
    return;
  }
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
  root.dataset.lastExport = url;
}

const SUBGRAPH_SELECTION = '{ nodes { id kind name depth } edges { id type source target since until } truncated truncatedBy }';

// viewQuery is one GraphQL document that asks for what the view shows.
function viewQuery() {
  const lines = [];
  if (state.seeds.length) lines.push(`  seeds: nodes${args({ ids: state.seeds })} { id kind name }`);
  state.expansions.forEach((x, i) => {
    const v = expansionVars(x.id, x.limit);
    lines.push(`  expand${i + 1}: neighborhood${args({ id: v.id, depth: v.depth, relationTypes: v.types, asOf: v.asOf, limit: v.limit })} ${SUBGRAPH_SELECTION}`);
  });
  if (state.pathsShown && ends.from && ends.to) {
    lines.push(`  paths${args({ from: ends.from.id, to: ends.to.id, maxHops: state.maxHops, k: state.k, relationTypes: state.types.length ? state.types : null, asOf: state.year })} { paths { length explanation nodes { id kind name } hops { type direction from { id } to { id } relation { id } } } truncated truncatedBy }`);
  }
  if (state.supply) {
    lines.push(`  supplyChain${args({ enterprise: state.supply, direction: 'BOTH', depth: 3, asOf: state.year, limit: 300 })} { district enterprise { id name } upstream { tier inside outside enterprises { id kind name district } edges { id type source target } } downstream { tier inside outside enterprises { id kind name district } edges { id type source target } } truncated truncatedBy }`);
  }
  return `# InnoGraph explorer view\nquery ExplorerView {\n${lines.join('\n') || '  stats { nodes relations }'}\n}\n`;
}

async function copyQuery() {
  const q = viewQuery();
  const dlg = $('#query-dialog');
  dlg.querySelector('textarea').value = q;
  let copied = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(q);
      copied = true;
    }
  } catch {
    copied = false;
  }
  dlg.querySelector('.dialog-note').textContent = copied ? t('copied') : t('copyManual');
  dlg.hidden = false;
  dlg.querySelector('textarea').select();
}

// --- Chrome: language, views, filters, legend ----------------------------

function applyLang() {
  root.querySelectorAll('[data-t]').forEach((el) => {
    el.textContent = t(el.dataset.t);
  });
  root.querySelectorAll('[data-tp]').forEach((el) => {
    el.placeholder = t(el.dataset.tp);
  });
  root.querySelectorAll('[data-tt]').forEach((el) => {
    el.title = t(el.dataset.tt);
  });
  document.title = t('title');
  renderFilters();
  renderLegend();
  renderEnds();
  renderPaths();
  cy.edges('[!more]').forEach((e) => e.data('label', typeName(e.data('type'))));
  if (cardNode) renderCard(cardNode);
  if (planData) renderPlan();
  renderSupply();
  updateCounts();
}

function renderFilters() {
  const box = $('#types');
  box.innerHTML = `<label class="all"><input type="checkbox" value="" ${state.types.length ? '' : 'checked'}> ${esc(t('allTypes'))}</label>` +
    TYPES.map((ty) => `<label><input type="checkbox" value="${ty}" ${state.types.includes(ty) ? 'checked' : ''}> ${esc(typeName(ty))}</label>`).join('');
  box.querySelectorAll('input').forEach((inp) =>
    inp.addEventListener('change', () => {
      if (!inp.value) state.types = [];
      else state.types = [...box.querySelectorAll('input')].filter((x) => x.value && x.checked).map((x) => x.value);
      renderFilters();
      writeURL();
    }),
  );
  const ysel = $('#year');
  const years = [];
  for (let y = new Date().getFullYear(); y >= 2010; y--) years.push(y);
  ysel.innerHTML = `<option value="">${esc(t('allYears'))}</option>` + years.map((y) => `<option value="${y}">${y}</option>`).join('');
  ysel.value = state.year ? String(state.year) : '';
  $('#limit').value = String(state.limit);
  $('#depth').value = String(state.depth);
  $('#max-hops').value = String(state.maxHops);
  $('#k').value = String(state.k);
  const names = { kind: 'colourKind', LOUVAIN: 'colourLouvain', LABEL_PROPAGATION: 'colourLabel', none: 'sizeNone', DEGREE: 'sizeDegree', PAGERANK: 'sizePagerank', BETWEENNESS: 'sizeBetweenness' };
  $('#colour-by').innerHTML = COLOURS.map((c) => `<option value="${c}">${esc(t(names[c]))}</option>`).join('');
  $('#colour-by').value = state.colour;
  $('#size-by').innerHTML = SIZES.map((c) => `<option value="${c}">${esc(t(names[c]))}</option>`).join('');
  $('#size-by').value = state.size;
}

function renderLegend() {
  const box = $('#legend-items');
  box.innerHTML =
    KINDS.map((k) => `<li>${shapeSVG(KIND_STYLE[k].shape, KIND_STYLE[k].color)} ${esc(kindName(k))}</li>`).join('') +
    `<li><span class="legend-more">+N</span> ${esc(getLang() === 'zh' ? '未展开的邻居' : 'neighbours not shown')}</li>` +
    `<li><span class="legend-path"></span> ${esc(t('paths'))}</li>`;
}

function showView(v) {
  state.view = v;
  root.dataset.view = v;
  root.querySelectorAll('.tab').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.view === v)));
  if (v === 'plan' && !planData) withBusy(loadPlan);
  if (v === 'net') cy.resize();
  requestAnimationFrame(resizeCharts);
  writeURL();
}

function wire() {
  $('#lang').addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    applyLang();
    writeURL();
  });
  root.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => showView(b.dataset.view)));
  let timer = null;
  const input = $('#search');
  input.addEventListener('input', () => {
    clearTimeout(timer);
    searchSeq++; // an answer to an older text is dropped
    $('#results').innerHTML = '';
    timer = setTimeout(() => search(input.value), 250);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      clearTimeout(timer);
      const first = $('#results button.result');
      if (first) first.click();
      else search(input.value);
    }
  });
  $('#year').addEventListener('change', (ev) => {
    state.year = ev.target.value ? +ev.target.value : null;
    writeURL();
  });
  $('#limit').addEventListener('change', (ev) => {
    state.limit = intIn(ev.target.value, 2, MAX_LIMIT, 40);
    ev.target.value = String(state.limit);
    writeURL();
  });
  $('#depth').addEventListener('change', (ev) => {
    state.depth = intIn(ev.target.value, 1, 3, 1);
    writeURL();
  });
  $('#max-hops').addEventListener('change', (ev) => {
    state.maxHops = intIn(ev.target.value, 1, 6, 4);
    ev.target.value = String(state.maxHops);
    writeURL();
  });
  $('#k').addEventListener('change', (ev) => {
    state.k = intIn(ev.target.value, 1, 50, 3);
    ev.target.value = String(state.k);
    writeURL();
  });
  $('#find-paths').addEventListener('click', () => withBusy(findPaths));
  $('#colour-by').addEventListener('change', (ev) => {
    state.colour = COLOURS.includes(ev.target.value) ? ev.target.value : 'kind';
    writeURL();
    withBusy(applyAnalytics);
  });
  $('#size-by').addEventListener('change', (ev) => {
    state.size = SIZES.includes(ev.target.value) ? ev.target.value : 'none';
    writeURL();
    withBusy(applyAnalytics);
  });
  $('#fit').addEventListener('click', () => cy.fit(undefined, 30));
  $('#zoom-in').addEventListener('click', () => cy.zoom({ level: cy.zoom() * 1.3, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }));
  $('#zoom-out').addEventListener('click', () => cy.zoom({ level: cy.zoom() / 1.3, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }));
  $('#relayout').addEventListener('click', () => layout(true));
  $('#clear').addEventListener('click', clearView);
  $('#export-png').addEventListener('click', exportPNG);
  $('#export-svg').addEventListener('click', exportSVG);
  $('#export-view').addEventListener('click', exportView);
  $('#export-cyto').addEventListener('click', () => exportVia('cytoscape'));
  $('#export-gexf').addEventListener('click', () => exportVia('gexf'));
  $('#copy-query').addEventListener('click', copyQuery);
  $('#query-dialog .dialog-close').addEventListener('click', () => {
    $('#query-dialog').hidden = true;
  });
  $('#plan-select').addEventListener('change', (ev) => {
    state.plan = ev.target.value;
    state.planYear = null;
    withBusy(loadPlan);
  });
  $('#plan-year').addEventListener('change', (ev) => {
    state.planYear = +ev.target.value;
    withBusy(loadPlan);
  });
  window.addEventListener('resize', resizeCharts);
}

// restore rebuilds the view the URL describes: seeds, expansions in
// order, paths, the card and the scoreboard.
async function restore() {
  restoring = true;
  try {
    const expansions = state.expansions;
    state.expansions = [];
    const seeds = state.seeds;
    state.seeds = [];
    if (seeds.length) {
      const data = await gql(NODES, { ids: seeds }).catch(() => ({ nodes: [] }));
      for (const n of data.nodes) if (n) addNode(n, null);
      state.seeds = data.nodes.filter(Boolean).map((n) => n.id);
    }
    for (const x of expansions) {
      try {
        await expand(x.id, x.limit, { lay: false });
      } catch (err) {
        notice(t('error') + err.message, 'error');
      }
    }
    const endIds = [state.from, state.to].filter(Boolean);
    if (endIds.length) {
      const data = await gql(NODES, { ids: endIds }).catch(() => ({ nodes: [] }));
      for (const n of data.nodes) {
        if (!n) continue;
        if (n.id === state.from) ends.from = n;
        if (n.id === state.to) ends.to = n;
      }
      state.from = ends.from?.id || null;
      state.to = ends.to?.id || null;
      renderEnds();
      if (state.pathsShown && ends.from && ends.to) await findPaths();
    }
    if (state.supply) await supplyChain(state.supply);
    if (state.card) await openCard(state.card);
    await applyAnalytics();
  } finally {
    restoring = false;
  }
  updateCounts();
  writeURL();
  await layout(true);
}

readURL();
wire();
applyLang();
showView(state.view);
renderCard(null);
withBusy(restore).then(() => {
  root.dataset.ready = '1';
});

// For the benchmark and for people in the browser's console.
window.innographExplorer = { cy, state, timings, viewQuery, viewSVG, layout };
