package seed

import "github.com/innograph/innograph/kg"

// anchor is a real university or research institute of Dalian.
type anchor struct {
	id, name, nameEn, district, typ string
	aliases                         []string
	founded                         int // 0: not given
	// chains lists the demo industry chains the organisation's research
	// fits, strongest first (used by Demo only).
	chains []string
}

// anchors are universities and research institutes of Dalian that are
// common knowledge, with the district of their main campus and the year
// they trace their founding to.
var anchors = []anchor{
	{"uni-dlut", "大连理工大学", "Dalian University of Technology", "甘井子区", "UNIVERSITY",
		[]string{"大工", "DUT"}, 1949, []string{"im", "sw", "ma", "ts", "bio"}},
	{"uni-dlmu", "大连海事大学", "Dalian Maritime University", "甘井子区", "UNIVERSITY",
		[]string{"大连海事"}, 1909, []string{"ma", "sw"}},
	{"uni-dicp", "中国科学院大连化学物理研究所", "Dalian Institute of Chemical Physics, Chinese Academy of Sciences", "沙河口区", "RESEARCH_INSTITUTE",
		[]string{"大连化物所", "DICP"}, 1949, []string{"bio", "ts"}},
	{"uni-dufe", "东北财经大学", "Dongbei University of Finance and Economics", "沙河口区", "UNIVERSITY",
		[]string{"东财", "DUFE"}, 1952, []string{"ts", "ma", "sw"}},
	{"uni-lnnu", "辽宁师范大学", "Liaoning Normal University", "沙河口区", "UNIVERSITY",
		[]string{"辽师"}, 1951, []string{"sw", "bio", "ts"}},
	{"uni-dlufl", "大连外国语大学", "Dalian University of Foreign Languages", "旅顺口区", "UNIVERSITY",
		[]string{"大外"}, 1964, []string{"ts", "sw"}},
	{"uni-dlmed", "大连医科大学", "Dalian Medical University", "旅顺口区", "UNIVERSITY",
		nil, 1947, []string{"bio"}},
	{"uni-djtu", "大连交通大学", "Dalian Jiaotong University", "沙河口区", "UNIVERSITY",
		nil, 1956, []string{"im", "sw"}},
	{"uni-dlpu", "大连工业大学", "Dalian Polytechnic University", "甘井子区", "UNIVERSITY",
		nil, 1958, []string{"bio", "im"}},
	{"uni-dlu", "大连大学", "Dalian University", "金州区", "UNIVERSITY",
		nil, 1987, []string{"sw", "bio", "im"}},
}

// PublicAnchors returns real universities and research institutes of
// Dalian with source "public": names, English names, the district of the
// main campus and, where well established, the founding year.
func PublicAnchors() Dataset {
	d := Dataset{Nodes: make([]kg.Node, 0, len(anchors))}
	for _, a := range anchors {
		p := kg.Props{
			"name":     a.name,
			"nameEn":   a.nameEn,
			"district": a.district,
			"type":     a.typ,
			"source":   SourcePublic,
		}
		if len(a.aliases) > 0 {
			p["aliases"] = append([]string(nil), a.aliases...)
		}
		if a.founded > 0 {
			p["foundedYear"] = int64(a.founded)
		}
		d.Nodes = append(d.Nodes, kg.Node{ID: a.id, Kind: kg.University, Props: p})
	}
	return d
}
