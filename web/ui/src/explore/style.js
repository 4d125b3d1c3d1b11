// How kinds and relationship types look: colours and shapes of the network,
// the Cytoscape stylesheet, and the legend's small pictures.

import { KINDS } from './i18n.js';

export const KIND_STYLE = {
  ENTERPRISE: { color: '#4e79a7', shape: 'ellipse' },
  INCUBATOR: { color: '#f28e2b', shape: 'round-rectangle' },
  MAKERSPACE: { color: '#edc948', shape: 'barrel' },
  TALENT: { color: '#59a14f', shape: 'triangle' },
  UNIVERSITY: { color: '#b07aa1', shape: 'hexagon' },
  SERVICE_AGENCY: { color: '#76b7b2', shape: 'diamond' },
  POLICY: { color: '#e15759', shape: 'rectangle' },
  INDUSTRY: { color: '#9c755f', shape: 'pentagon' },
  PLAN: { color: '#79706e', shape: 'star' },
  INDICATOR: { color: '#ff9da7', shape: 'vee' },
};

export const PATH_COLOR = '#d62728';

// COMMUNITY_COLORS colour communities by their number (1 the largest).
export const COMMUNITY_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd'];

export function stylesheet() {
  const sheet = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        width: 26,
        height: 26,
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '110px',
        'min-zoomed-font-size': 7,
        'border-width': 1,
        'border-color': '#ffffff',
        color: '#222',
      },
    },
  ];
  for (const kind of KINDS) {
    const s = KIND_STYLE[kind];
    sheet.push({ selector: `node[kind = "${kind}"]`, style: { 'background-color': s.color, shape: s.shape } });
  }
  sheet.push(
    { selector: 'node[size]', style: { width: 'data(size)', height: 'data(size)' } },
    { selector: 'node[community]', style: { 'background-color': 'data(community)' } },
    { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#333' } },
    { selector: 'node.outside', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': '#555' } },
    { selector: 'node[tier]', style: { label: 'data(tierLabel)' } },
    {
      selector: 'node.more',
      style: {
        shape: 'round-rectangle',
        width: 36,
        height: 18,
        'background-color': '#f4f4f4',
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': '#888',
        'text-valign': 'center',
        'text-margin-y': 0,
        'font-size': 10,
        color: '#444',
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.2,
        'line-color': '#b9bec6',
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'target-arrow-color': '#b9bec6',
        'arrow-scale': 0.8,
        label: 'data(label)',
        'font-size': 8,
        color: '#555',
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 8,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
      },
    },
    { selector: 'edge[type = "COLLABORATES_WITH"]', style: { 'target-arrow-shape': 'none' } },
    { selector: 'edge.more', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', label: '' } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': PATH_COLOR } },
    { selector: 'edge.path', style: { width: 3.5, 'line-color': PATH_COLOR, 'target-arrow-color': PATH_COLOR, color: PATH_COLOR, 'z-index': 10 } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ff00aa' } },
    { selector: '.faded', style: { opacity: 0.25 } },
  );
  return sheet;
}

// shapeAt draws a node shape as SVG markup, centred at (cx, cy), size
// wide, with the given fill and, when width > 0, stroke.
export function shapeAt(shape, fill, cx, cy, size, stroke = 'none', width = 0) {
  const r = size / 2;
  const paint = `fill="${fill}"${width > 0 ? ` stroke="${stroke}" stroke-width="${width}"` : ''}`;
  const f = (v) => v.toFixed(1);
  const poly = (n, rot = -Math.PI / 2, inner = 0) => {
    const pts = [];
    const count = inner ? n * 2 : n;
    for (let i = 0; i < count; i++) {
      const rr = inner && i % 2 ? r * inner : r;
      const a = rot + (i * 2 * Math.PI) / count;
      pts.push(`${f(cx + rr * Math.cos(a))},${f(cy + rr * Math.sin(a))}`);
    }
    return `<polygon points="${pts.join(' ')}" ${paint}/>`;
  };
  switch (shape) {
    case 'ellipse':
      return `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" ${paint}/>`;
    case 'round-rectangle':
    case 'barrel':
      return `<rect x="${f(cx - r)}" y="${f(cy - r * 0.8)}" width="${f(size)}" height="${f(size * 0.8)}" rx="${f(r / 2)}" ${paint}/>`;
    case 'rectangle':
      return `<rect x="${f(cx - r)}" y="${f(cy - r * 0.8)}" width="${f(size)}" height="${f(size * 0.8)}" ${paint}/>`;
    case 'triangle':
      return poly(3);
    case 'diamond':
      return poly(4);
    case 'pentagon':
      return poly(5);
    case 'hexagon':
      return poly(6, 0);
    case 'star':
      return poly(5, -Math.PI / 2, 0.45);
    case 'vee':
      return `<polygon points="${f(cx - r)},${f(cy - r)} ${f(cx)},${f(cy + r * 0.4)} ${f(cx + r)},${f(cy - r)} ${f(cx)},${f(cy + r)}" ${paint}/>`;
    default:
      return `<rect x="${f(cx - r)}" y="${f(cy - r)}" width="${f(size)}" height="${f(size)}" ${paint}/>`;
  }
}

// shapeSVG draws the legend's picture of a node shape.
export function shapeSVG(shape, color, size = 16) {
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${shapeAt(shape, color, size / 2, size / 2, size - 2)}</svg>`;
}
