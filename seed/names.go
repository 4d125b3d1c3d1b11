package seed

// The vocabulary the demo ecosystem is composed from.

// syllable is a character of a trade name (字号) and its pinyin.
type syllable struct{ zh, py string }

var tradeFirst = []syllable{
	{"海", "Hai"}, {"星", "Xing"}, {"博", "Bo"}, {"瑞", "Rui"}, {"泰", "Tai"}, {"恒", "Heng"},
	{"德", "De"}, {"启", "Qi"}, {"融", "Rong"}, {"远", "Yuan"}, {"睿", "Rui"}, {"智", "Zhi"},
	{"宏", "Hong"}, {"鼎", "Ding"}, {"东", "Dong"}, {"新", "Xin"}, {"凯", "Kai"}, {"锐", "Rui"},
	{"天", "Tian"}, {"嘉", "Jia"}, {"银", "Yin"}, {"金", "Jin"}, {"北", "Bei"}, {"辽", "Liao"},
	{"普", "Pu"}, {"明", "Ming"}, {"晟", "Sheng"}, {"蓝", "Lan"}, {"汇", "Hui"}, {"万", "Wan"},
	{"永", "Yong"}, {"同", "Tong"}, {"昊", "Hao"}, {"澳", "Ao"}, {"君", "Jun"}, {"宸", "Chen"},
	{"沃", "Wo"}, {"弘", "Hong"}, {"朗", "Lang"}, {"致", "Zhi"},
}

var tradeSecond = []syllable{
	{"创", "chuang"}, {"达", "da"}, {"通", "tong"}, {"源", "yuan"}, {"科", "ke"}, {"航", "hang"},
	{"联", "lian"}, {"和", "he"}, {"隆", "long"}, {"康", "kang"}, {"捷", "jie"}, {"泽", "ze"},
	{"澜", "lan"}, {"帆", "fan"}, {"盛", "sheng"}, {"拓", "tuo"}, {"微", "wei"}, {"云", "yun"},
	{"芯", "xin"}, {"图", "tu"}, {"迈", "mai"}, {"驰", "chi"}, {"峰", "feng"}, {"宇", "yu"},
	{"辰", "chen"}, {"成", "cheng"}, {"安", "an"}, {"晖", "hui"}, {"洋", "yang"}, {"湾", "wan"},
	{"桥", "qiao"}, {"锦", "jin"}, {"立", "li"}, {"维", "wei"}, {"瀚", "han"}, {"铭", "ming"},
	{"祥", "xiang"}, {"润", "run"}, {"舟", "zhou"}, {"鑫", "xin"},
}

// chainDef is an industry chain of the demo with its three segments.
type chainDef struct {
	key, name, nameEn string
	segs              [3]segDef // UPSTREAM, MIDSTREAM, DOWNSTREAM
	// weightIn and weightOut weigh the chain for enterprises inside and
	// outside the district.
	weightIn, weightOut float64
	rdIntensity         float64 // typical R&D investment / revenue
	instituteField      string  // field in the names of new R&D institutions
	fields              []string
	technologies        []string
}

// segDef is a segment (产业链环节) of a chain.
type segDef struct {
	name, nameEn string
	words        []word   // industry words of enterprise names
	products     []string // what the segment's enterprises supply
	// manufacturing segments count as above-scale from 20,000,000 CNY of
	// revenue, the others from 10,000,000 CNY.
	manufacturing bool
}

// word is an industry word of a company name and its English.
type word struct{ zh, en string }

var positions = [3]string{"UPSTREAM", "MIDSTREAM", "DOWNSTREAM"}
var positionKeys = [3]string{"up", "mid", "down"}

var chains = []chainDef{
	{key: "sw", name: "软件和信息技术服务", nameEn: "Software and IT services",
		weightIn: 0.32, weightOut: 0.20, rdIntensity: 0.10, instituteField: "数字经济",
		fields:       []string{"软件工程", "人工智能", "大数据", "网络安全"},
		technologies: []string{"分布式数据库优化技术", "知识图谱构建技术", "隐私计算技术", "自然语言处理技术", "云原生运维技术"},
		segs: [3]segDef{
			{name: "基础软件与云计算", nameEn: "Basic software and cloud computing",
				words:    []word{{"云计算", "Cloud Computing"}, {"数据科技", "Data Technology"}, {"网络科技", "Network Technology"}, {"信息技术", "Information Technology"}},
				products: []string{"云计算资源服务", "数据中心托管服务", "数据库软件授权", "网络安全服务"}},
			{name: "行业应用软件与系统集成", nameEn: "Application software and system integration",
				words:    []word{{"软件", "Software"}, {"软件技术", "Software Technology"}, {"信息系统", "Information Systems"}, {"数字科技", "Digital Technology"}},
				products: []string{"行业应用软件开发", "系统集成服务", "软件定制开发", "数据治理服务"}},
			{name: "数字化应用服务", nameEn: "Digital application services",
				words:    []word{{"智慧城市", "Smart City"}, {"金融科技", "Fintech"}, {"数字服务", "Digital Services"}, {"互联网科技", "Internet Technology"}},
				products: []string{"数字化运营服务", "智慧社区平台服务", "金融信息服务"}},
		}},
	{key: "im", name: "智能制造与工业互联网", nameEn: "Intelligent manufacturing and industrial internet",
		weightIn: 0.14, weightOut: 0.30, rdIntensity: 0.07, instituteField: "智能制造",
		fields:       []string{"机械工程", "控制科学与工程", "工业互联网", "仪器科学与技术"},
		technologies: []string{"机器视觉缺陷检测技术", "工业设备故障诊断算法", "数字孪生建模技术", "精密运动控制技术"},
		segs: [3]segDef{
			{name: "传感器与控制部件", nameEn: "Sensors and control components", manufacturing: true,
				words:    []word{{"传感技术", "Sensing Technology"}, {"自动化", "Automation"}, {"电子", "Electronics"}, {"精密仪器", "Precision Instruments"}},
				products: []string{"工业传感器", "伺服控制器", "PLC控制模块", "精密测量仪器"}},
			{name: "工业软件与工业互联网平台", nameEn: "Industrial software and industrial internet platforms",
				words:    []word{{"工业软件", "Industrial Software"}, {"工业互联网", "Industrial Internet"}, {"智能控制", "Intelligent Control"}},
				products: []string{"工业互联网平台服务", "MES系统", "设备预测性维护软件"}},
			{name: "智能装备与系统集成", nameEn: "Intelligent equipment and system integration", manufacturing: true,
				words:    []word{{"智能装备", "Intelligent Equipment"}, {"智能制造", "Intelligent Manufacturing"}, {"机器人", "Robotics"}},
				products: []string{"智能产线集成", "工业机器人工作站", "自动化检测设备"}},
		}},
	{key: "ma", name: "海洋经济与航运服务", nameEn: "Marine economy and shipping services",
		weightIn: 0.20, weightOut: 0.20, rdIntensity: 0.035, instituteField: "海洋与航运",
		fields:       []string{"船舶与海洋工程", "交通运输工程", "海事管理", "港口物流"},
		technologies: []string{"船舶能效优化技术", "智能航行辅助决策技术", "港口集装箱智能调度算法", "船舶尾气处理技术"},
		segs: [3]segDef{
			{name: "船舶与海洋工程配套", nameEn: "Ship and offshore equipment", manufacturing: true,
				words:    []word{{"船舶配套", "Marine Equipment"}, {"海洋工程", "Ocean Engineering"}, {"船舶技术", "Ship Technology"}},
				products: []string{"船用配套设备", "船舶电气系统", "海工装备零部件"}},
			{name: "港航物流与航运信息", nameEn: "Port logistics and shipping information", manufacturing: true,
				words:    []word{{"国际物流", "International Logistics"}, {"航运", "Shipping"}, {"港航信息", "Port and Shipping Information"}, {"船务", "Shipping Agency"}},
				products: []string{"港航物流服务", "集装箱多式联运", "船舶代理服务", "航运信息系统"}},
			{name: "航运金融与海事服务", nameEn: "Shipping finance and maritime services",
				words:    []word{{"海事咨询", "Maritime Consulting"}, {"船舶交易", "Ship Brokerage"}, {"海事服务", "Maritime Services"}},
				products: []string{"船舶交易经纪", "海事咨询服务", "航运保险经纪"}},
		}},
	{key: "bio", name: "生物医药", nameEn: "Biomedicine",
		weightIn: 0.14, weightOut: 0.20, rdIntensity: 0.12, instituteField: "生物医药",
		fields:       []string{"药学", "生物医学工程", "临床医学", "生物化学"},
		technologies: []string{"小分子药物合成工艺", "体外诊断检测技术", "生物催化技术", "手性药物合成技术", "医学影像辅助诊断算法"},
		segs: [3]segDef{
			{name: "医药研发与原料", nameEn: "Pharmaceutical R&D and materials",
				words:    []word{{"生物科技", "Biotechnology"}, {"医药研发", "Pharmaceutical R&D"}, {"生物技术", "Bio-Tech"}},
				products: []string{"医药研发外包服务", "原料药中间体", "临床前研究服务"}},
			{name: "药品与医疗器械制造", nameEn: "Drugs and medical devices", manufacturing: true,
				words:    []word{{"制药", "Pharmaceutical"}, {"医疗器械", "Medical Devices"}, {"生物制药", "Biopharmaceutical"}},
				products: []string{"化学药制剂", "诊断试剂", "医疗器械"}},
			{name: "医药流通与智慧医疗", nameEn: "Distribution and smart healthcare",
				words:    []word{{"健康科技", "Health Technology"}, {"智慧医疗", "Smart Healthcare"}, {"医疗科技", "Medical Technology"}},
				products: []string{"医药流通配送", "远程医疗服务", "健康管理平台服务"}},
		}},
	{key: "ts", name: "科技服务", nameEn: "Science and technology services",
		weightIn: 0.20, weightOut: 0.10, rdIntensity: 0.06, instituteField: "科技服务",
		fields:       []string{"技术经济与管理", "知识产权", "金融学", "检测技术"},
		technologies: []string{"检测方法标准化技术", "科技成果评价方法", "产品可靠性测试技术"},
		segs: [3]segDef{
			{name: "研发设计与检验检测", nameEn: "R&D design, testing and inspection",
				words:    []word{{"检测技术", "Testing Technology"}, {"工程设计", "Engineering Design"}, {"检验认证", "Inspection and Certification"}},
				products: []string{"检验检测服务", "工程设计服务", "认证服务"}},
			{name: "技术转移与科技咨询", nameEn: "Technology transfer and consulting",
				words:    []word{{"科技服务", "Technology Services"}, {"技术开发", "Technology Development"}, {"科技信息", "Science and Technology Information"}},
				products: []string{"技术开发服务", "科技信息服务", "技术咨询服务"}},
			{name: "创业孵化与科技金融", nameEn: "Incubation and S&T finance",
				words:    []word{{"创业服务", "Entrepreneurship Services"}, {"科技园运营", "Science Park Operation"}, {"企业孵化", "Business Incubation"}},
				products: []string{"孵化运营服务", "创业辅导服务", "科技金融对接服务"}},
		}},
}

// crossFeeds are FEEDS links between chains: segment keys "chain-position".
var crossFeeds = [][2]string{
	{"sw-up", "im-mid"},  // cloud and basic software under industrial platforms
	{"sw-mid", "ma-mid"}, // application software for port and shipping systems
	{"ts-up", "bio-up"},  // testing and inspection for pharmaceutical R&D
	{"im-down", "ma-up"}, // intelligent equipment for marine equipment makers
}

// district is a district of Dalian with its administrative division code.
type district struct {
	name, code string
	weight     float64 // share of the enterprises outside 中山区
}

const zhongshanCode = "210202"

var otherDistricts = []district{
	{"甘井子区", "210211", 0.30},
	{"金州区", "210213", 0.22},
	{"沙河口区", "210204", 0.16},
	{"西岗区", "210203", 0.14},
	{"旅顺口区", "210212", 0.08},
	{"普兰店区", "210214", 0.05},
	{"瓦房店市", "210281", 0.05},
}

// places of 中山区 the carriers are named after.
var places = []string{"东港", "人民路", "青泥洼", "港湾", "天津街", "老虎滩", "桃源", "友好广场", "三八广场", "中山广场"}

var incubatorStyles = []string{"科技企业孵化器", "数字经济孵化基地", "海洋科技孵化器", "软件和信息服务孵化中心"}
var makerspaceStyles = []string{"创客空间", "创新工场", "青年创业空间", "众创空间", "创业咖啡", "智造工坊"}

// agencyNames are name endings of service agencies by their first
// category, in the order of kg.ServiceCategory.
var agencyNames = [][]word{
	{{"技术转移服务有限公司", "Technology Transfer Service Co., Ltd."}, {"科技成果转化服务中心", "Technology Commercialization Service Center"}, {"技术交易市场有限公司", "Technology Market Co., Ltd."}},
	{{"知识产权代理有限公司", "Intellectual Property Agency Co., Ltd."}, {"专利代理事务所(普通合伙)", "Patent Agency"}, {"知识产权服务有限公司", "Intellectual Property Service Co., Ltd."}},
	{{"科技咨询有限公司", "Technology Consulting Co., Ltd."}, {"科技信息咨询有限公司", "Technology Information Consulting Co., Ltd."}, {"企业管理咨询有限公司", "Management Consulting Co., Ltd."}},
	{{"创业投资有限公司", "Venture Capital Co., Ltd."}, {"科技融资担保有限公司", "Technology Financing Guarantee Co., Ltd."}, {"股权投资基金管理有限公司", "Equity Investment Fund Management Co., Ltd."}},
	{{"创业服务有限公司", "Entrepreneurship Service Co., Ltd."}, {"创新创业服务中心", "Innovation and Entrepreneurship Service Center"}, {"孵化器管理有限公司", "Incubator Management Co., Ltd."}},
	{{"科普教育服务中心", "Science Education Center"}, {"科学传播有限公司", "Science Communication Co., Ltd."}, {"科普文化传播有限公司", "Science Culture Communication Co., Ltd."}},
}

// serviceValue is the typical contract value of a service, CNY, by
// category (median; values spread around it).
var serviceValue = []float64{180_000, 40_000, 90_000, 400_000, 30_000, 15_000}

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
	"梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏",
	"卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范",
	"方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史", "顾",
}

var givenChars = []string{
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
	"刚", "华", "鹏", "辉", "建", "玲", "宇", "浩", "凯", "博", "晨", "睿", "欣", "怡", "婷", "雪", "琳", "斌", "亮", "峰",
	"宁", "晶", "颖", "晓", "志", "海", "波", "东", "文", "思", "佳", "俊", "楠", "哲", "鑫", "琦", "阳", "帆", "昊", "然",
}

var titlesAcademic = []string{"教授", "副教授", "研究员", "副研究员"}
var titlesIndustry = []string{"正高级工程师", "高级工程师", "高级工程师", "工程师", "高级经济师"}

// tiers are the categories of Dalian's high-level talent catalogue.
var tiers = []string{"杰出人才", "领军人才", "拔尖人才", "青年才俊", "青年才俊"}
var programmes = []string{"兴辽英才计划", "大连市高层次人才支持计划", "中山区产业人才支持计划"}

var rolesEnterprise = []string{"首席技术官", "研发总监", "技术总监", "高级工程师", "项目经理", "首席科学家", "产品总监"}
var rolesUniversity = []string{"教授", "研究员", "博士生导师", "实验室主任", "副教授"}
var rolesAgency = []string{"合伙人", "技术经纪人", "专利代理师", "投资总监", "咨询顾问"}
var rolesCarrier = []string{"运营总监", "创业导师", "主任"}
var rolesInstitute = []string{"首席科学家", "研究员", "院长", "工程师"}

var rounds = []string{"天使轮", "Pre-A轮", "A轮", "A+轮", "B轮", "C轮"}
