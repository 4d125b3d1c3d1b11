// Words of the explorer in Chinese (the default) and English, and the
// names of the schema's kinds and relationship types in both.

export const KINDS = ['ENTERPRISE', 'INCUBATOR', 'MAKERSPACE', 'TALENT', 'UNIVERSITY', 'SERVICE_AGENCY', 'POLICY', 'INDUSTRY', 'PLAN', 'INDICATOR'];

export const TYPES = ['SUPPLIES', 'COLLABORATES_WITH', 'TRANSFERS_TECH_TO', 'INCUBATED_BY', 'WORKS_AT', 'FOUNDED', 'ALUMNUS_OF', 'SERVES', 'INVESTS_IN', 'SUPPORTED_BY', 'IN_INDUSTRY', 'FEEDS', 'OPERATES', 'HAS_INDICATOR'];

// The Chinese names are those of the ontology (kg/ontology.go), which the
// API's path explanations use too.
const kindNames = {
  zh: {
    ENTERPRISE: '企业', INCUBATOR: '孵化器', MAKERSPACE: '众创空间', TALENT: '人才', UNIVERSITY: '高校/院所',
    SERVICE_AGENCY: '科技服务机构', POLICY: '政策', INDUSTRY: '产业', PLAN: '规划', INDICATOR: '指标',
  },
  en: {
    ENTERPRISE: 'Enterprise', INCUBATOR: 'Incubator', MAKERSPACE: 'Makerspace', TALENT: 'Talent', UNIVERSITY: 'University / institute',
    SERVICE_AGENCY: 'Service agency', POLICY: 'Policy', INDUSTRY: 'Industry', PLAN: 'Plan', INDICATOR: 'Indicator',
  },
};

const typeNames = {
  zh: {
    SUPPLIES: '供应', COLLABORATES_WITH: '合作', TRANSFERS_TECH_TO: '技术转移', INCUBATED_BY: '孵化', WORKS_AT: '任职',
    FOUNDED: '创办', ALUMNUS_OF: '毕业于', SERVES: '服务', INVESTS_IN: '投资', SUPPORTED_BY: '政策支持',
    IN_INDUSTRY: '属于产业', FEEDS: '上游供给', OPERATES: '运营', HAS_INDICATOR: '包含指标',
  },
  en: {
    SUPPLIES: 'supplies', COLLABORATES_WITH: 'collaborates with', TRANSFERS_TECH_TO: 'transfers technology to', INCUBATED_BY: 'incubated by',
    WORKS_AT: 'works at', FOUNDED: 'founded', ALUMNUS_OF: 'alumnus of', SERVES: 'serves', INVESTS_IN: 'invests in',
    SUPPORTED_BY: 'supported by', IN_INDUSTRY: 'in industry', FEEDS: 'feeds', OPERATES: 'operates', HAS_INDICATOR: 'has indicator',
  },
};

const words = {
  zh: {
    title: 'InnoGraph 创新图谱探索',
    graphiql: 'GraphiQL',
    language: 'English',
    tabNetwork: '关系网络',
    tabPlan: '规划记分板',
    searchPlaceholder: '搜索企业、人才、高校…（中文或英文名）',
    searchHint: '至少输入两个字符',
    noResults: '没有找到',
    filters: '展开设置',
    types: '关系类型',
    allTypes: '全部',
    year: '年份',
    allYears: '不限年份',
    limit: '每次展开上限',
    depth: '展开深度',
    card: '实体卡片',
    cardEmpty: '搜索并选择一个实体，或点击网络中的节点。',
    expand: '展开邻居',
    setFrom: '设为路径起点',
    setTo: '设为路径终点',
    paths: '路径',
    pathFrom: '起点',
    pathTo: '终点',
    pathNone: '（未选择）',
    maxHops: '最多跳数',
    pathCount: '条数',
    findPaths: '查找最短路径',
    noPaths: '在跳数上限内没有路径。',
    pathLength: (n) => `${n} 跳`,
    fit: '适应窗口',
    zoomIn: '放大',
    zoomOut: '缩小',
    relayout: '重新布局',
    clear: '清空',
    exportPNG: 'PNG',
    exportSVG: 'SVG',
    exportView: '当前视图 JSON',
    exportCyto: 'Cytoscape JSON',
    exportGEXF: 'GEXF',
    copyQuery: '复制 GraphQL 查询',
    copied: '已复制到剪贴板',
    copyManual: '请手动复制下面的查询：',
    close: '关闭',
    exportTitle: '导出',
    legend: '图例',
    counts: (n, e) => `节点 ${n} · 关系 ${e}`,
    loading: '加载中…',
    error: '请求失败：',
    id: '编号',
    kind: '类别',
    nameEn: '英文名',
    aliases: '别名',
    district: '所在区',
    source: '数据来源',
    relSources: '关系来源',
    relations: '关系数',
    updated: '更新时间',
    figures: '年度数据',
    revenue: '营业收入（元）',
    rdInvestment: '研发投入（元）',
    rdDeduction: '研发加计扣除（元）',
    employees: '从业人员',
    makersServed: '服务创客数',
    yes: '是',
    no: '否',
    hubMore: (n) => `+${n}`,
    truncatedHub: (name, shown, total, limit) => `「${name}」在当前筛选下有 ${total} 条关系，本次展开只显示了 ${shown} 个相邻节点（上限 ${limit} 个）。点击“+”节点可以多展开一些。`,
    truncatedDeep: (name, shown, depth, limit) => `「${name}」${depth} 跳以内的邻居超过上限：本次展开显示了 ${shown} 个节点（上限 ${limit} 个）。`,
    truncatedBy: (bound) => `结果被服务器上限截断（${bound}）。`,
    viewFull: (max) => `视图已有 ${max} 个以上节点：请先清空或收窄关系类型再展开。`,
    pathsTruncated: '候选路径过多，只列出了最短的几条。',
    scoreboard: '指标完成情况',
    plan: '规划',
    planYear: '年份',
    target: '目标值',
    actual: '实际值',
    baseline: '基期值',
    expected: '应达值',
    status: { MET: '已完成', ON_TRACK: '进度正常', BEHIND: '落后', UNKNOWN: '未知' },
    contributors: '构成该数值的实体',
    contribution: '贡献',
    showInNetwork: '在网络中查看',
    noPlan: '没有规划数据。',
    hopWords: (from, type, to, forward) => forward ? `${from} ${type} ${to}` : `${to} ${type} ${from}`,
    pathSummary: (i, n) => `路径 ${i}（${n} 跳）`,
    sinceYear: (y) => `自 ${y} 年`,
    untilYear: (y) => `至 ${y} 年`,
    exportNeedsNode: '请先展开一个实体。',
    supplyChain: '供应链',
    supplyTiers: (name, district) => `「${name}」的供应链（${district}内外）`,
    upstream: '上游',
    downstream: '下游',
    tier: '层级',
    inside: '区内',
    outside: '区外',
    supplyTruncated: (bound) => `供应链被上限截断（${bound}），只显示了一部分。`,
    colourBy: '着色',
    colourKind: '按类别',
    colourLouvain: '按社区（Louvain）',
    colourLabel: '按社区（标签传播）',
    sizeBy: '大小',
    sizeNone: '统一',
    sizeDegree: '度',
    sizePagerank: 'PageRank',
    sizeBetweenness: '中介中心性',
    communitiesInView: (n, total) => `视图中的节点属于 ${n} 个社区（全图共 ${total} 个）。`,
    analyticsTruncated: '分析结果被上限截断：部分节点没有取到数值。',
  },
  en: {
    title: 'InnoGraph explorer',
    graphiql: 'GraphiQL',
    language: '中文',
    tabNetwork: 'Network',
    tabPlan: 'Plan scoreboard',
    searchPlaceholder: 'Search enterprises, people, universities… (Chinese or English name)',
    searchHint: 'Type at least two characters',
    noResults: 'Nothing found',
    filters: 'Expansion',
    types: 'Relationship types',
    allTypes: 'All',
    year: 'Year',
    allYears: 'Any year',
    limit: 'Nodes per expansion',
    depth: 'Depth',
    card: 'Card',
    cardEmpty: 'Search and pick an entity, or click a node of the network.',
    expand: 'Expand neighbours',
    setFrom: 'Path start',
    setTo: 'Path end',
    paths: 'Paths',
    pathFrom: 'From',
    pathTo: 'To',
    pathNone: '(none)',
    maxHops: 'Max hops',
    pathCount: 'Paths',
    findPaths: 'Find shortest paths',
    noPaths: 'No path within the hop limit.',
    pathLength: (n) => `${n} hop${n === 1 ? '' : 's'}`,
    fit: 'Fit',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    relayout: 'Lay out again',
    clear: 'Clear',
    exportPNG: 'PNG',
    exportSVG: 'SVG',
    exportView: 'View JSON',
    exportCyto: 'Cytoscape JSON',
    exportGEXF: 'GEXF',
    copyQuery: 'Copy GraphQL query',
    copied: 'Copied to the clipboard',
    copyManual: 'Copy the query below:',
    close: 'Close',
    exportTitle: 'Export',
    legend: 'Legend',
    counts: (n, e) => `${n} nodes · ${e} relationships`,
    loading: 'Loading…',
    error: 'Request failed: ',
    id: 'Id',
    kind: 'Kind',
    nameEn: 'English name',
    aliases: 'Aliases',
    district: 'District',
    source: 'Source',
    relSources: 'Relationship sources',
    relations: 'Relationships',
    updated: 'Updated',
    figures: 'Yearly figures',
    revenue: 'Revenue (CNY)',
    rdInvestment: 'R&D investment (CNY)',
    rdDeduction: 'R&D deduction (CNY)',
    employees: 'Employees',
    makersServed: 'Makers served',
    yes: 'yes',
    no: 'no',
    hubMore: (n) => `+${n}`,
    truncatedHub: (name, shown, total, limit) => `“${name}” has ${total} relationships under the current filters; this expansion shows ${shown} neighbours (limit ${limit}). Click the “+” node to show more.`,
    truncatedDeep: (name, shown, depth, limit) => `“${name}” has more neighbours within ${depth} hops than the limit: this expansion shows ${shown} nodes (limit ${limit}).`,
    truncatedBy: (bound) => `A server bound cut the result (${bound}).`,
    viewFull: (max) => `The view already has more than ${max} nodes: clear it or narrow the relationship types before expanding.`,
    pathsTruncated: 'Too many candidate paths: only the shortest are listed.',
    scoreboard: 'Indicators',
    plan: 'Plan',
    planYear: 'Year',
    target: 'Target',
    actual: 'Actual',
    baseline: 'Baseline',
    expected: 'Expected',
    status: { MET: 'met', ON_TRACK: 'on track', BEHIND: 'behind', UNKNOWN: 'unknown' },
    contributors: 'Entities behind the value',
    contribution: 'Contribution',
    showInNetwork: 'Show in network',
    noPlan: 'No plan in the data.',
    hopWords: (from, type, to, forward) => forward ? `${from} ${type} ${to}` : `${to} ${type} ${from}`,
    pathSummary: (i, n) => `Path ${i} (${n} hop${n === 1 ? '' : 's'})`,
    sinceYear: (y) => `since ${y}`,
    untilYear: (y) => `until ${y}`,
    exportNeedsNode: 'Expand an entity first.',
    supplyChain: 'Supply chain',
    supplyTiers: (name, district) => `Supply chain of “${name}” (inside and outside ${district})`,
    upstream: 'Upstream',
    downstream: 'Downstream',
    tier: 'Tier',
    inside: 'Inside',
    outside: 'Outside',
    supplyTruncated: (bound) => `A bound cut the supply chain (${bound}): only part of it is shown.`,
    colourBy: 'Colour',
    colourKind: 'by kind',
    colourLouvain: 'by community (Louvain)',
    colourLabel: 'by community (label propagation)',
    sizeBy: 'Size',
    sizeNone: 'uniform',
    sizeDegree: 'degree',
    sizePagerank: 'PageRank',
    sizeBetweenness: 'betweenness',
    communitiesInView: (n, total) => `The view's nodes belong to ${n} communities (of ${total} in the graph).`,
    analyticsTruncated: 'A bound cut the analysis: some nodes got no value.',
  },
};

// Names of the facts a card shows, by field (aliased where kinds share a
// field name with different types).
const factNames = {
  zh: {
    creditCode: '统一社会信用代码', industry: '行业', foundedYear: '成立年份', aboveScale: '规模以上', highTechGranted: '高企认定年份',
    highTechValidUntil: '高企有效期至', level: '级别', operator: '运营主体', area: '面积（㎡）', field: '领域', title: '职称',
    tier: '人才层次', programme: '人才计划', universityType: '类型', categories: '服务类别', issuer: '发布机关', year: '年份',
    policyType: '政策类型', chain: '产业链', position: '链上位置', periodStart: '起始年', periodEnd: '结束年', number: '序号',
    category: '类别', target: '目标值', unit: '单位', baselineYear: '基期年', formula: '计算公式', text: '规划原文',
  },
  en: {
    creditCode: 'Credit code', industry: 'Industry', foundedYear: 'Founded', aboveScale: 'Above designated size', highTechGranted: 'High-tech since',
    highTechValidUntil: 'High-tech valid until', level: 'Level', operator: 'Operator', area: 'Area (m²)', field: 'Field', title: 'Title',
    tier: 'Tier', programme: 'Programme', universityType: 'Type', categories: 'Categories', issuer: 'Issuer', year: 'Year',
    policyType: 'Policy type', chain: 'Chain', position: 'Position', periodStart: 'Start', periodEnd: 'End', number: 'Number',
    category: 'Category', target: 'Target', unit: 'Unit', baselineYear: 'Baseline year', formula: 'Formula', text: 'Plan text',
  },
};

// Names of the schema's enum values that cards show.
const enumNames = {
  zh: {
    NATIONAL: '国家级', PROVINCIAL: '省级', MUNICIPAL: '市级', DISTRICT: '区级',
    UNIVERSITY: '高校', RESEARCH_INSTITUTE: '科研院所', NEW_RD_INSTITUTION: '新型研发机构',
    HIGH_TECH_CERTIFICATION: '高企认定', RD_DEDUCTION: '研发加计扣除', SUBSIDY: '补贴', TALENT_PROGRAMME: '人才计划',
    INCUBATION: '孵化', FINANCE: '金融', IP: '知识产权', OTHER: '其他',
    UPSTREAM: '上游', MIDSTREAM: '中游', DOWNSTREAM: '下游',
    TECH_TRADING: '技术交易', CONSULTING: '咨询', ENTREPRENEURSHIP: '创业服务', POPULARIZATION: '科普',
  },
  en: {
    NATIONAL: 'national', PROVINCIAL: 'provincial', MUNICIPAL: 'municipal', DISTRICT: 'district',
    UNIVERSITY: 'university', RESEARCH_INSTITUTE: 'research institute', NEW_RD_INSTITUTION: 'new R&D institution',
    HIGH_TECH_CERTIFICATION: 'high-tech certification', RD_DEDUCTION: 'R&D deduction', SUBSIDY: 'subsidy', TALENT_PROGRAMME: 'talent programme',
    INCUBATION: 'incubation', FINANCE: 'finance', IP: 'intellectual property', OTHER: 'other',
    UPSTREAM: 'upstream', MIDSTREAM: 'midstream', DOWNSTREAM: 'downstream',
    TECH_TRADING: 'technology trading', CONSULTING: 'consulting', ENTREPRENEURSHIP: 'entrepreneurship', POPULARIZATION: 'popularization',
  },
};

// enumName gives an enum value's name, or the value itself.
export function enumName(value) {
  return enumNames[lang][value] || value;
}

export function factName(field) {
  return factNames[lang][field] || field;
}

let lang = 'zh';

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export function getLang() {
  return lang;
}

// t returns the word for key in the current language.
export function t(key) {
  return words[lang][key];
}

export function kindName(kind) {
  return kindNames[lang][kind] || kind;
}

export function typeName(type) {
  return typeNames[lang][type] || type;
}
