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

// chainDef is an industry chain of the demo with its segments, upstream
// first.
type chainDef struct {
	key, name, nameEn string
	segs              []segDef
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
	// key names a segment the generator looks up (see segByKey).
	key          string
	name, nameEn string
	pos          int // index into positions
	// manufacturing segments count as above designated size from
	// 20,000,000 CNY of revenue, the others from 10,000,000 CNY, and claim
	// the full R&D super-deduction from 2021.
	manufacturing bool
	// in and out weigh the segment within its chain for enterprises inside
	// and outside the district: a segment with in = 0 has no enterprise of
	// the district (a gap of the chain), one with a small in only a few.
	in, out float64
	// feeds lists the numbers (1-based) of the segments of the chain this
	// one feeds.
	feeds    []int
	words    []word   // industry words of enterprise names
	products []string // what the segment's enterprises supply
}

// word is an industry word of a company name and its English.
type word struct{ zh, en string }

// The positions of segments in a chain, as kg.ChainPosition has them.
const (
	up, mid, down = 0, 1, 2
)

var positions = [3]string{"UPSTREAM", "MIDSTREAM", "DOWNSTREAM"}

func w(zh, en string) word { return word{zh, en} }

var chains = []chainDef{
	{key: "sw", name: "软件和信息技术服务", nameEn: "Software and IT services",
		weightIn: 0.32, weightOut: 0.20, rdIntensity: 0.10, instituteField: "数字经济",
		fields:       []string{"软件工程", "人工智能", "大数据", "网络安全"},
		technologies: []string{"分布式数据库优化技术", "知识图谱构建技术", "隐私计算技术", "自然语言处理技术", "云原生运维技术"},
		segs: []segDef{
			{name: "集成电路设计", nameEn: "Integrated circuit design", pos: up, in: 0, out: 1.0, feeds: []int{2, 4},
				words:    []word{w("微电子", "Microelectronics"), w("芯片科技", "Chip Technology"), w("集成电路", "Integrated Circuit")},
				products: []string{"嵌入式芯片设计服务", "专用集成电路", "芯片验证服务"}},
			{name: "基础软件与中间件", nameEn: "Basic software and middleware", pos: up, in: 0.4, out: 0.8, feeds: []int{5, 6, 8},
				words:    []word{w("基础软件", "Basic Software"), w("数据库技术", "Database Technology")},
				products: []string{"数据库软件授权", "中间件产品", "操作系统适配服务"}},
			{name: "网络与信息安全", nameEn: "Network and information security", pos: up, in: 0.8, out: 0.6, feeds: []int{8, 9, 10},
				words:    []word{w("网络安全", "Cybersecurity"), w("信息安全", "Information Security")},
				products: []string{"网络安全服务", "等级保护测评服务", "安全运维服务"}},
			{name: "云计算与数据中心", nameEn: "Cloud computing and data centres", pos: up, in: 0.9, out: 0.8, feeds: []int{5, 6, 11},
				words:    []word{w("云计算", "Cloud Computing"), w("数据科技", "Data Technology")},
				products: []string{"云计算资源服务", "数据中心托管服务"}},
			{name: "大数据与人工智能", nameEn: "Big data and artificial intelligence", pos: mid, in: 1.2, out: 0.6, feeds: []int{9, 10},
				words:    []word{w("智能科技", "Intelligent Technology"), w("大数据", "Big Data"), w("人工智能", "Artificial Intelligence")},
				products: []string{"数据治理服务", "人工智能算法模型", "数据分析服务"}},
			{name: "行业应用软件", nameEn: "Industry application software", pos: mid, in: 2.0, out: 0.8, feeds: []int{9, 10, 11},
				words:    []word{w("软件", "Software"), w("软件技术", "Software Technology"), w("信息系统", "Information Systems")},
				products: []string{"行业应用软件开发", "软件定制开发", "软件运维服务"}},
			{name: "软件和信息服务外包", nameEn: "Software and information service outsourcing", pos: mid, in: 1.6, out: 0.6, feeds: []int{10, 11},
				words:    []word{w("信息服务", "Information Services"), w("外包服务", "Outsourcing Services"), w("数码", "Digital")},
				products: []string{"对日软件外包开发", "业务流程外包服务", "呼叫中心服务"}},
			{name: "系统集成与运维", nameEn: "System integration and operations", pos: mid, in: 1.4, out: 0.5, feeds: []int{9},
				words:    []word{w("系统集成", "System Integration"), w("信息技术", "Information Technology")},
				products: []string{"系统集成服务", "信息技术运维服务"}},
			{name: "智慧城市与政务数字化", nameEn: "Smart city and digital government", pos: down, in: 0.9, out: 0.3,
				words:    []word{w("智慧城市", "Smart City"), w("数字科技", "Digital Technology")},
				products: []string{"智慧社区平台服务", "政务数据平台建设"}},
			{name: "金融科技", nameEn: "Financial technology", pos: down, in: 1.0, out: 0.2,
				words:    []word{w("金融科技", "Fintech"), w("金融信息", "Financial Information")},
				products: []string{"金融信息服务", "支付清算系统", "风控模型服务"}},
			{name: "电子商务与平台服务", nameEn: "E-commerce and platform services", pos: down, in: 0.8, out: 0.3,
				words:    []word{w("电子商务", "E-Commerce"), w("互联网科技", "Internet Technology")},
				products: []string{"电商平台运营服务", "跨境电商服务"}},
			{name: "数字内容与动漫游戏", nameEn: "Digital content, animation and games", pos: down, in: 0.3, out: 0.2,
				words:    []word{w("动漫", "Animation"), w("数字文化", "Digital Culture"), w("游戏科技", "Game Technology")},
				products: []string{"动漫内容制作", "游戏开发服务", "数字出版服务"}},
		}},
	{key: "im", name: "智能制造与工业互联网", nameEn: "Intelligent manufacturing and industrial internet",
		weightIn: 0.14, weightOut: 0.30, rdIntensity: 0.07, instituteField: "智能制造",
		fields:       []string{"机械工程", "控制科学与工程", "工业互联网", "仪器科学与技术"},
		technologies: []string{"机器视觉缺陷检测技术", "工业设备故障诊断算法", "数字孪生建模技术", "精密运动控制技术"},
		segs: []segDef{
			{name: "传感器与仪器仪表", nameEn: "Sensors and instruments", pos: up, manufacturing: true, in: 0.6, out: 1.0, feeds: []int{5, 6},
				words:    []word{w("传感技术", "Sensing Technology"), w("精密仪器", "Precision Instruments"), w("仪表", "Instruments")},
				products: []string{"工业传感器", "精密测量仪器"}},
			{name: "工业控制与伺服系统", nameEn: "Industrial control and servo systems", pos: up, manufacturing: true, in: 0.3, out: 0.9, feeds: []int{5, 6, 7},
				words:    []word{w("自动化", "Automation"), w("电气", "Electric"), w("控制技术", "Control Technology")},
				products: []string{"伺服控制器", "PLC控制模块", "变频器"}},
			{name: "精密零部件与轴承", nameEn: "Precision parts and bearings", pos: up, manufacturing: true, in: 0, out: 1.2, feeds: []int{6, 7},
				words:    []word{w("轴承", "Bearing"), w("精密机械", "Precision Machinery"), w("机械", "Machinery")},
				products: []string{"精密轴承", "精密减速器", "液压元件"}},
			{name: "工业软件", nameEn: "Industrial software", pos: mid, in: 1.0, out: 0.5, feeds: []int{5, 9},
				words:    []word{w("工业软件", "Industrial Software"), w("仿真技术", "Simulation Technology")},
				products: []string{"MES系统", "工业仿真软件", "设备预测性维护软件"}},
			{name: "工业互联网平台", nameEn: "Industrial internet platforms", pos: mid, in: 0.8, out: 0.4, feeds: []int{9, 10},
				words:    []word{w("工业互联网", "Industrial Internet"), w("物联科技", "IoT Technology")},
				products: []string{"工业互联网平台服务", "设备联网服务"}},
			{name: "工业机器人", nameEn: "Industrial robots", pos: mid, manufacturing: true, in: 0.3, out: 0.8, feeds: []int{9},
				words:    []word{w("机器人", "Robotics"), w("智能装备", "Intelligent Equipment")},
				products: []string{"工业机器人工作站", "协作机器人"}},
			{name: "数控机床与智能装备", nameEn: "CNC machine tools and intelligent equipment", pos: mid, manufacturing: true, in: 0, out: 1.0, feeds: []int{9},
				words:    []word{w("数控", "CNC"), w("机床", "Machine Tool"), w("重工", "Heavy Industry")},
				products: []string{"数控机床", "智能加工中心"}},
			{name: "增材制造", nameEn: "Additive manufacturing", pos: mid, manufacturing: true, in: 0.2, out: 0.4, feeds: []int{9},
				words:    []word{w("增材制造", "Additive Manufacturing"), w("三维打印", "3D Printing")},
				products: []string{"金属三维打印服务", "增材制造设备"}},
			{name: "智能产线与系统集成", nameEn: "Smart production lines and system integration", pos: down, manufacturing: true, in: 1.0, out: 0.7, feeds: []int{10},
				words:    []word{w("智能制造", "Intelligent Manufacturing"), w("智能系统", "Intelligent Systems")},
				products: []string{"智能产线集成", "自动化检测设备"}},
			{name: "工业数据与运维服务", nameEn: "Industrial data and maintenance services", pos: down, in: 0.7, out: 0.3,
				words:    []word{w("工业数据", "Industrial Data"), w("运维科技", "Operations Technology")},
				products: []string{"设备远程运维服务", "工业数据分析服务"}},
			{name: "智能制造咨询与诊断", nameEn: "Smart manufacturing consulting and diagnosis", pos: down, in: 0.6, out: 0.2,
				words:    []word{w("智造咨询", "Manufacturing Consulting"), w("工程技术", "Engineering Technology")},
				products: []string{"智能制造诊断服务", "数字化转型咨询"}},
		}},
	{key: "ma", name: "海洋经济与航运服务", nameEn: "Marine economy and shipping services",
		weightIn: 0.20, weightOut: 0.20, rdIntensity: 0.035, instituteField: "海洋与航运",
		fields:       []string{"船舶与海洋工程", "交通运输工程", "海事管理", "港口物流"},
		technologies: []string{"船舶能效优化技术", "智能航行辅助决策技术", "港口集装箱智能调度算法", "船舶尾气处理技术"},
		segs: []segDef{
			{name: "船舶与海洋工程设计", nameEn: "Ship and offshore engineering design", pos: up, in: 0.6, out: 0.7, feeds: []int{4},
				words:    []word{w("船舶设计", "Ship Design"), w("海洋工程", "Ocean Engineering")},
				products: []string{"船舶设计服务", "海工方案设计"}},
			{name: "船舶配套设备", nameEn: "Marine equipment", pos: up, manufacturing: true, in: 0.3, out: 1.2, feeds: []int{4},
				words:    []word{w("船舶配套", "Marine Equipment"), w("船舶电气", "Marine Electric")},
				products: []string{"船用配套设备", "船舶电气系统"}},
			{name: "海洋新材料与防腐", nameEn: "Marine materials and anti-corrosion", pos: up, manufacturing: true, in: 0, out: 0.6, feeds: []int{4},
				words:    []word{w("防腐科技", "Anti-Corrosion Technology"), w("新材料", "New Materials")},
				products: []string{"船舶防腐涂料", "海洋工程材料"}},
			{name: "船舶修造", nameEn: "Shipbuilding and repair", pos: mid, manufacturing: true, in: 0, out: 1.0, feeds: []int{5, 8},
				words:    []word{w("船舶工程", "Ship Engineering"), w("船舶修造", "Shipbuilding and Repair")},
				products: []string{"船舶修理服务", "船舶改装"}},
			{name: "港口与码头服务", nameEn: "Port and terminal services", pos: mid, in: 1.0, out: 0.6, feeds: []int{6, 11},
				words:    []word{w("港务", "Port Services"), w("码头", "Terminal")},
				products: []string{"港口装卸服务", "码头仓储服务"}},
			{name: "国际货运代理与多式联运", nameEn: "Freight forwarding and multimodal transport", pos: mid, in: 1.6, out: 0.8, feeds: []int{9, 10},
				words:    []word{w("国际物流", "International Logistics"), w("货运代理", "Freight Forwarding"), w("船务", "Shipping Agency")},
				products: []string{"国际货运代理", "集装箱多式联运", "船舶代理服务"}},
			{name: "航运信息与智慧港口", nameEn: "Shipping information and smart ports", pos: mid, in: 0.9, out: 0.4, feeds: []int{5, 6},
				words:    []word{w("港航信息", "Port and Shipping Information"), w("航运科技", "Shipping Technology")},
				products: []string{"航运信息系统", "智慧港口调度系统"}},
			{name: "船舶交易与航运经纪", nameEn: "Ship trading and shipbroking", pos: down, in: 0.6, out: 0.2,
				words:    []word{w("船舶交易", "Ship Brokerage"), w("航运", "Shipping")},
				products: []string{"船舶交易经纪", "运价指数服务"}},
			{name: "航运金融与海事保险", nameEn: "Shipping finance and marine insurance", pos: down, in: 0.4, out: 0.2,
				words:    []word{w("航运金融", "Shipping Finance"), w("保险经纪", "Insurance Brokerage")},
				products: []string{"航运保险经纪", "船舶融资租赁"}},
			{name: "海事法律与咨询", nameEn: "Maritime law and consulting", pos: down, in: 0.5, out: 0.1,
				words:    []word{w("海事咨询", "Maritime Consulting"), w("海事服务", "Maritime Services")},
				products: []string{"海事咨询服务", "海事公估服务"}},
			{name: "邮轮与滨海旅游", nameEn: "Cruises and coastal tourism", pos: down, in: 0.3, out: 0.1,
				words:    []word{w("邮轮", "Cruise"), w("海洋文旅", "Marine Tourism")},
				products: []string{"邮轮港口服务", "滨海旅游服务"}},
		}},
	{key: "bio", name: "生物医药", nameEn: "Biomedicine",
		weightIn: 0.14, weightOut: 0.20, rdIntensity: 0.12, instituteField: "生物医药",
		fields:       []string{"药学", "生物医学工程", "临床医学", "生物化学"},
		technologies: []string{"小分子药物合成工艺", "体外诊断检测技术", "生物催化技术", "手性药物合成技术", "医学影像辅助诊断算法"},
		segs: []segDef{
			{name: "药物发现与研发外包", nameEn: "Drug discovery and contract research", pos: up, in: 0.8, out: 0.6, feeds: []int{4, 5},
				words:    []word{w("医药研发", "Pharmaceutical R&D"), w("生物科技", "Biotechnology")},
				products: []string{"医药研发外包服务", "临床前研究服务"}},
			{name: "原料药与医药中间体", nameEn: "Active ingredients and intermediates", pos: up, manufacturing: true, in: 0, out: 1.0, feeds: []int{4},
				words:    []word{w("医药化工", "Pharmaceutical Chemicals"), w("精细化工", "Fine Chemicals")},
				products: []string{"原料药", "医药中间体"}},
			{name: "生物试剂与实验耗材", nameEn: "Bioreagents and laboratory consumables", pos: up, in: 0.4, out: 0.5, feeds: []int{6, 7},
				words:    []word{w("生物技术", "Bio-Tech"), w("生物试剂", "Bioreagents")},
				products: []string{"生物试剂", "实验耗材"}},
			{name: "化学药与中药制剂", nameEn: "Chemical and traditional Chinese medicines", pos: mid, manufacturing: true, in: 0.2, out: 1.0, feeds: []int{8},
				words:    []word{w("制药", "Pharmaceutical"), w("药业", "Pharma")},
				products: []string{"化学药制剂", "中成药"}},
			{name: "生物药与疫苗", nameEn: "Biologics and vaccines", pos: mid, manufacturing: true, in: 0, out: 0.5, feeds: []int{8},
				words:    []word{w("生物制药", "Biopharmaceutical"), w("生物制品", "Biological Products")},
				products: []string{"生物制品", "疫苗"}},
			{name: "医疗器械", nameEn: "Medical devices", pos: mid, manufacturing: true, in: 0.6, out: 0.8, feeds: []int{8, 9},
				words:    []word{w("医疗器械", "Medical Devices"), w("医疗设备", "Medical Equipment")},
				products: []string{"医疗器械", "康复设备"}},
			{name: "体外诊断", nameEn: "In-vitro diagnostics", pos: mid, manufacturing: true, in: 0.3, out: 0.5, feeds: []int{10},
				words:    []word{w("诊断技术", "Diagnostics"), w("基因科技", "Genetic Technology")},
				products: []string{"诊断试剂", "基因检测服务"}},
			{name: "医药流通与零售", nameEn: "Pharmaceutical distribution and retail", pos: down, in: 1.0, out: 0.4,
				words:    []word{w("医药", "Medicine"), w("医药连锁", "Pharmacy Chain")},
				products: []string{"医药流通配送", "药品零售"}},
			{name: "智慧医疗与健康管理", nameEn: "Smart healthcare and health management", pos: down, in: 1.2, out: 0.3,
				words:    []word{w("智慧医疗", "Smart Healthcare"), w("健康科技", "Health Technology")},
				products: []string{"远程医疗服务", "健康管理平台服务"}},
			{name: "第三方医学检验", nameEn: "Independent medical laboratories", pos: down, in: 0.4, out: 0.3,
				words:    []word{w("医学检验", "Medical Laboratory")},
				products: []string{"医学检验服务", "病理诊断服务"}},
		}},
	{key: "ts", name: "科技服务", nameEn: "Science and technology services",
		weightIn: 0.20, weightOut: 0.10, rdIntensity: 0.06, instituteField: "科技服务",
		fields:       []string{"技术经济与管理", "知识产权", "金融学", "检测技术"},
		technologies: []string{"检测方法标准化技术", "科技成果评价方法", "产品可靠性测试技术"},
		segs: []segDef{
			{name: "研发设计服务", nameEn: "R&D and design services", pos: up, in: 0.8, out: 0.5, feeds: []int{4, 6},
				words:    []word{w("工程设计", "Engineering Design"), w("设计研究", "Design and Research")},
				products: []string{"工程设计服务", "工业设计服务"}},
			{name: "检验检测与认证", nameEn: "Testing, inspection and certification", pos: up, in: 1.0, out: 0.6, feeds: []int{4, 5},
				words:    []word{w("检测技术", "Testing Technology"), w("检验认证", "Inspection and Certification")},
				products: []string{"检验检测服务", "认证服务"}},
			{name: "标准化与计量服务", nameEn: "Standardisation and metrology", pos: up, in: 0.2, out: 0.3, feeds: []int{2},
				words:    []word{w("计量科技", "Metrology Technology"), w("标准技术", "Standards Technology")},
				products: []string{"计量校准服务", "标准化咨询服务"}},
			{name: "技术转移与成果转化", nameEn: "Technology transfer and commercialisation", pos: mid, in: 0.9, out: 0.3, feeds: []int{7, 8},
				words:    []word{w("技术转移", "Technology Transfer"), w("科技服务", "Technology Services")},
				products: []string{"技术转移服务", "成果评价服务"}},
			{name: "知识产权服务", nameEn: "Intellectual property services", pos: mid, in: 1.0, out: 0.3, feeds: []int{7},
				words:    []word{w("知识产权", "Intellectual Property"), w("专利技术", "Patent Technology")},
				products: []string{"专利代理服务", "知识产权运营服务"}},
			{name: "科技咨询与情报", nameEn: "S&T consulting and intelligence", pos: mid, in: 1.0, out: 0.3, feeds: []int{8, 10},
				words:    []word{w("科技咨询", "Technology Consulting"), w("科技信息", "Science and Technology Information")},
				products: []string{"技术咨询服务", "科技信息服务"}},
			{name: "科技金融服务", nameEn: "S&T finance services", pos: down, in: 0.6, out: 0.3,
				words:    []word{w("科技金融", "Technology Finance"), w("投资咨询", "Investment Consulting")},
				products: []string{"科技金融对接服务", "融资咨询服务"}},
			{key: "incubation", name: "创业孵化服务", nameEn: "Incubation services", pos: down, in: 1.0, out: 0.2,
				words:    []word{w("创业服务", "Entrepreneurship Services"), w("科技园运营", "Science Park Operation"), w("企业孵化", "Business Incubation")},
				products: []string{"孵化运营服务", "创业辅导服务"}},
			{name: "科学普及与科技传播", nameEn: "Science popularisation", pos: down, in: 0.2, out: 0.1,
				words:    []word{w("科普教育", "Science Education"), w("科普文化", "Science Culture")},
				products: []string{"科普展教服务", "科普活动策划"}},
			{name: "综合科技服务平台", nameEn: "One-stop S&T service platforms", pos: down, in: 0, out: 0.2,
				words:    []word{w("科创服务", "Innovation Services")},
				products: []string{"一站式科技服务"}},
		}},
}

// crossFeeds are FEEDS links between chains: segment keys "chain-number".
var crossFeeds = [][2]string{
	{"sw-04", "im-05"},  // cloud computing under industrial internet platforms
	{"sw-06", "ma-07"},  // application software for shipping information systems
	{"sw-05", "bio-09"}, // artificial intelligence for smart healthcare
	{"ts-02", "bio-01"}, // testing and inspection for drug discovery
	{"im-09", "ma-05"},  // smart production lines for automated terminals
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

// rolesAdviser are the part-time roles of researchers at the enterprises
// their university works with.
var rolesAdviser = []string{"技术顾问", "首席科学家", "联合实验室主任", "兼职研发总监"}

var rounds = []string{"天使轮", "Pre-A轮", "A轮", "A+轮", "B轮", "C轮"}
