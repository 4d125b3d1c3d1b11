package seed

// policyDef is a science and technology policy of the demo catalogue.
type policyDef struct {
	level, kind, name, issuer string
	year                      int
}

// The issuers of policies by level.
const (
	issuerNational   = "科学技术部"
	issuerProvincial = "辽宁省科学技术厅"
	issuerMunicipal  = "大连市科学技术局"
	issuerDistrict   = "大连市中山区人民政府"
)

// policyCatalogue covers every level and every kind of policy. The first
// entry is the national high-tech enterprise certification the demo's
// certificates are granted under; the next two are the national R&D
// super-deduction rules the demo's deductions are claimed under (from
// 2021, and before).
var policyCatalogue = []policyDef{
	{"NATIONAL", "HIGH_TECH_CERTIFICATION", "高新技术企业认定管理办法", "科学技术部 财政部 国家税务总局", 2016},
	{"NATIONAL", "RD_DEDUCTION", "关于进一步完善研发费用税前加计扣除政策的公告", "财政部 税务总局", 2021},
	{"NATIONAL", "RD_DEDUCTION", "关于提高研究开发费用税前加计扣除比例的通知", "财政部 税务总局 科学技术部", 2018},
	{"NATIONAL", "OTHER", "科技型中小企业评价办法", "科学技术部 财政部 国家税务总局", 2017},
	{"NATIONAL", "INCUBATION", "科技企业孵化器管理办法", issuerNational, 2018},
	{"NATIONAL", "TALENT_PROGRAMME", "国家高层次人才特殊支持计划", "中共中央组织部", 2012},
	{"PROVINCIAL", "TALENT_PROGRAMME", "兴辽英才计划", "辽宁省人民政府", 2018},
	{"PROVINCIAL", "SUBSIDY", "辽宁省企业研发投入后补助实施办法", issuerProvincial, 2019},
	{"PROVINCIAL", "INCUBATION", "辽宁省科技企业孵化器和众创空间认定管理办法", issuerProvincial, 2019},
	{"PROVINCIAL", "FINANCE", "辽宁省科技型中小企业贷款风险补偿实施办法", issuerProvincial, 2020},
	{"PROVINCIAL", "IP", "辽宁省知识产权质押融资扶持办法", "辽宁省知识产权局", 2021},
	{"MUNICIPAL", "HIGH_TECH_CERTIFICATION", "大连市高新技术企业培育和认定奖励办法", issuerMunicipal, 2019},
	{"MUNICIPAL", "SUBSIDY", "大连市科技计划项目管理办法", issuerMunicipal, 2018},
	{"MUNICIPAL", "TALENT_PROGRAMME", "大连市高层次人才创新创业支持办法", "大连市人民政府", 2018},
	{"MUNICIPAL", "INCUBATION", "大连市科技企业孵化载体建设扶持办法", issuerMunicipal, 2020},
	{"MUNICIPAL", "FINANCE", "大连市科技金融服务扶持办法", issuerMunicipal, 2021},
	{"MUNICIPAL", "IP", "大连市专利资助和奖励办法", "大连市市场监督管理局", 2020},
	{"MUNICIPAL", "OTHER", "大连市促进科技成果转化实施办法", "大连市人民政府", 2019},
	{"DISTRICT", "SUBSIDY", "中山区支持科技创新若干政策措施", issuerDistrict, 2021},
	{"DISTRICT", "HIGH_TECH_CERTIFICATION", "中山区高新技术企业培育奖励办法", issuerDistrict, 2021},
	{"DISTRICT", "RD_DEDUCTION", "中山区研发费用加计扣除辅导奖励办法", issuerDistrict, 2022},
	{"DISTRICT", "TALENT_PROGRAMME", "中山区产业人才引进支持办法", issuerDistrict, 2021},
	{"DISTRICT", "INCUBATION", "中山区科技企业孵化载体扶持办法", issuerDistrict, 2020},
	{"DISTRICT", "FINANCE", "中山区科技型企业贷款贴息办法", issuerDistrict, 2022},
	{"DISTRICT", "OTHER", "中山区科技服务业集聚发展扶持办法", issuerDistrict, 2022},
}

// policyTopics name generated policies by kind, in the order of
// kg.PolicyKind.
var policyTopics = []string{"高新技术企业培育", "研发费用加计扣除辅导", "科技创新项目资助", "科技人才支持",
	"孵化载体建设", "科技金融服务", "知识产权资助", "科技成果转化"}

// levelPrefix and levelIssuer name generated policies by level, in the
// order of kg.Level.
var levelPrefix = []string{"", "辽宁省", "大连市", "中山区"}
var levelIssuer = []string{issuerNational, issuerProvincial, issuerMunicipal, issuerDistrict}

// supportAmount is the median amount of approved support, CNY, by level in
// the order of kg.Level.
var supportAmount = []float64{800_000, 400_000, 200_000, 80_000}
