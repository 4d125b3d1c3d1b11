// Small ECharts charts: an entity's yearly figures and the plan's
// indicators. Only the chart types and components used are bundled.

import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { t } from './i18n.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, TitleComponent, CanvasRenderer]);

const live = new Map(); // group name -> charts, disposed together

function track(group, chart) {
  if (!live.has(group)) live.set(group, []);
  live.get(group).push(chart);
  return chart;
}

// disposeCharts frees the charts of a group before its elements go.
export function disposeCharts(group) {
  for (const c of live.get(group) || []) c.dispose();
  live.delete(group);
}

export function resizeCharts() {
  for (const charts of live.values()) for (const c of charts) c.resize();
}

// compact writes large numbers shortly (万, 亿 in Chinese; k, M in English).
export function compact(v) {
  if (v === null || v === undefined) return '–';
  const a = Math.abs(v);
  if (document.documentElement.lang.startsWith('zh')) {
    if (a >= 1e8) return `${+(v / 1e8).toFixed(2)}亿`;
    if (a >= 1e4) return `${+(v / 1e4).toFixed(1)}万`;
  } else {
    if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}B`;
    if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
    if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  }
  return `${+v.toFixed(2)}`;
}

// figureChart draws series of yearly figures: [{key, values}] where values
// are in the order of years.
export function figureChart(group, el, years, series, type = 'bar') {
  const chart = track(group, echarts.init(el, null, { renderer: 'canvas' }));
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 8, top: 26, bottom: 22 },
    tooltip: { trigger: 'axis', valueFormatter: compact },
    legend: { top: 0, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 10 } },
    xAxis: { type: 'category', data: years.map(String), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: compact } },
    series: series.map((s) => ({ name: t(s.key), type, data: s.values, barMaxWidth: 14, connectNulls: true })),
  });
  return chart;
}

const STATUS_COLOR = { MET: '#2e7d32', ON_TRACK: '#1565c0', BEHIND: '#c62828', UNKNOWN: '#757575' };

export function statusColor(s) {
  return STATUS_COLOR[s] || STATUS_COLOR.UNKNOWN;
}

// overviewChart compares every indicator's baseline and actual value with
// its target, as percentages of the target.
export function overviewChart(group, el, indicators) {
  const chart = track(group, echarts.init(el, null, { renderer: 'canvas' }));
  const names = indicators.map((i) => `${i.number ?? ''} ${i.label}`);
  const pct = (v, target) => (v === null || v === undefined || !target ? null : +((100 * v) / target).toFixed(1));
  chart.setOption({
    animation: false,
    grid: { left: 170, right: 40, top: 30, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v === null || v === undefined ? '–' : `${v}%`) },
    legend: { top: 0 },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      { name: `${t('baseline')} / ${t('target')}`, type: 'bar', data: indicators.map((i) => pct(i.baseline, i.target)), itemStyle: { color: '#b0bec5' }, barGap: '10%' },
      {
        name: `${t('actual')} / ${t('target')}`,
        type: 'bar',
        data: indicators.map((i) => ({ value: pct(i.actual, i.target), itemStyle: { color: statusColor(i.status) } })),
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#333', type: 'dashed' }, data: [{ xAxis: 100 }], label: { formatter: t('target') } },
      },
    ],
  });
  return chart;
}

// indicatorChart draws one indicator's baseline, actual, expected and
// target values.
export function indicatorChart(group, el, ind) {
  const chart = track(group, echarts.init(el, null, { renderer: 'canvas' }));
  const cats = [
    [`${t('baseline')}${ind.baselineYear ? ` ${ind.baselineYear}` : ''}`, ind.baseline, '#b0bec5'],
    [`${t('actual')} ${ind.year}`, ind.actual, statusColor(ind.status)],
    [t('expected'), ind.expected, '#90caf9'],
    [t('target'), ind.target, '#424242'],
  ];
  chart.setOption({
    animation: false,
    grid: { left: 44, right: 6, top: 8, bottom: 22 },
    tooltip: { trigger: 'axis', valueFormatter: compact },
    xAxis: { type: 'category', data: cats.map((c) => c[0]), axisLabel: { fontSize: 9, interval: 0 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 9, formatter: compact } },
    series: [{ type: 'bar', barMaxWidth: 22, data: cats.map((c) => ({ value: c[1] ?? null, itemStyle: { color: c[2] } })) }],
  });
  return chart;
}

// tierChart stacks each supply-chain tier's enterprises inside and outside
// the district.
export function tierChart(group, el, rows) {
  const chart = track(group, echarts.init(el, null, { renderer: 'canvas' }));
  chart.setOption({
    animation: false,
    grid: { left: 36, right: 8, top: 26, bottom: 22 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 10 } },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    series: [
      { name: t('inside'), type: 'bar', stack: 'all', data: rows.map((r) => r.inside), itemStyle: { color: '#4e79a7' }, barMaxWidth: 22 },
      { name: t('outside'), type: 'bar', stack: 'all', data: rows.map((r) => r.outside), itemStyle: { color: '#bab0ac' }, barMaxWidth: 22 },
    ],
  });
  return chart;
}
