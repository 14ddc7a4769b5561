package i18n

import "slices"

// Languages, in the order the l key cycles through them.
var Languages = []string{"en", "ko"}

// table maps a key to its English and Korean text.
var table = map[string][2]string{
	"title":         {"NAS Playground", "NAS 플레이그라운드"},
	"scene.darts":   {"1 DARTS live", "1 DARTS 실시간"},
	"scene.rl":      {"2 RL controller", "2 강화학습 컨트롤러"},
	"scene.compare": {"3 Compare", "3 비교"},
	"scene.replay":  {"4 Replay", "4 기록 재생"},

	"sym.run":    {"▶", "▶"},
	"sym.pause":  {"‖", "‖"},
	"btn.run":    {"Run", "실행"},
	"btn.pause":  {"Pause", "일시정지"},
	"btn.step":   {"Step", "한 단계"},
	"btn.reset":  {"Reset", "초기화"},
	"btn.order1": {"1st order", "1차 근사"},
	"btn.order2": {"2nd order", "2차 근사"},
	"btn.speed":  {"Speed", "속도"},
	"btn.seed":   {"Seed", "시드"},
	"btn.lang":   {"한국어", "English"},
	"btn.open":   {"Open events.jsonl", "events.jsonl 열기"},
	"btn.method": {"Method", "방법"},

	"help.keys": {"space run/pause · s step · r reset · 0-4 scenes · m method · o order · -/+ speed · , . seed · [ ] lr · ; ' 2nd lr · l 한국어",
		"스페이스 실행/정지 · s 한 단계 · r 초기화 · 0-4 장면 · m 방법 · o 차수 · -/+ 속도 · , . 시드 · [ ] 학습률 · ; ' 둘째 학습률 · l English"},

	"ctl.rate":    {"speed", "속도"},
	"ctl.seed":    {"seed", "시드"},
	"ctl.lr":      {"w lr", "w 학습률"},
	"ctl.arch_lr": {"α lr", "α 학습률"},
	"ctl.ctrl_lr": {"ctrl lr", "제어 학습률"},

	"darts.normal":          {"Normal cell", "일반 셀"},
	"darts.reduce":          {"Reduction cell", "축소 셀"},
	"darts.cell.cap":        {"Strand width: the op's softmax(α) within the edge's own range; white outline: the strongest op. Right: the cell derived now (red: just flipped).", "선 굵기: 엣지 안에서 본 연산의 softmax(α); 흰 테두리: 가장 강한 연산. 오른쪽: 지금 도출한 셀 (빨강: 방금 바뀜)."},
	"darts.alpha":           {"α heat map: softmax(α) − 1/8", "α 히트맵: softmax(α) − 1/8"},
	"darts.alpha.cap":       {"Colour = softmax(α) − 1/8: orange above uniform, blue below; scale = the largest deviation.", "색 = softmax(α) − 1/8: 주황은 균등보다 큼, 파랑은 작음; 눈금 = 가장 큰 차이."},
	"darts.alpha.scale":     {"p − 1/K", "p − 1/K"},
	"darts.loss":            {"Loss", "손실"},
	"darts.acc":             {"Accuracy", "정확도"},
	"darts.train":           {"train", "학습"},
	"darts.val":             {"val", "검증"},
	"darts.phase":           {"Bilevel step", "이중 최적화 단계"},
	"darts.phase.w":         {"w ← w − η∇w L_train(w, α)", "w ← w − η∇w L_train(w, α)"},
	"darts.phase.a":         {"α ← α − η_α ∇α L_val(w, α)", "α ← α − η_α ∇α L_val(w, α)"},
	"darts.phase.cap":       {"DARTS alternates: weights w on a train batch, then α on a val batch.", "DARTS는 번갈아 갱신합니다: 학습 배치로 가중치 w, 검증 배치로 α."},
	"darts.genotype":        {"Derived genotype", "도출된 유전형"},
	"darts.geno.stable":     {"Unchanged for %[1]d steps · %[2]d of %[3]d edges changed %[4]s", "%[1]d 단계 동안 변화 없음 · %[4]s %[3]d개 중 %[2]d개 엣지가 바뀜"},
	"darts.geno.epoch":      {"in the last epoch (%d steps)", "지난 에폭(%d 단계) 동안"},
	"darts.geno.start":      {"since the start", "시작 이후"},
	"darts.geno.why":        {"Why it flips: an edge's top two ops differ by only %s (median), so one small α step can swap them.", "왜 바뀌나: 엣지의 상위 두 연산 차이가 %s(중앙값)뿐이라 작은 α 갱신 한 번에도 뒤바뀝니다."},
	"darts.samples":         {"Validation images: the network's guess (green right, red wrong)", "검증 이미지: 네트워크의 예측 (초록 정답, 빨강 오답)"},
	"darts.nodata":          {"Waiting for the DARTS engine…", "DARTS 엔진을 기다리는 중…"},
	"darts.legend":          {"Candidate ops", "후보 연산"},
	"darts.order.cap":       {"2nd order (eq. 7): one virtual w step w′ before the α gradient.", "2차 근사 (식 7): α 기울기 전에 가상의 w 한 걸음 w′."},
	"darts.phase.a1b":       {"1st order: ξ = 0, the current w stands in for w*(α).", "1차 근사: ξ = 0, 현재 w를 w*(α) 대신 씁니다."},
	"darts.phase.a2":        {"α ← α − η_α [∇α L_val(w′, α) − ξ ∇²α,w L_train(w, α) ∇w′L_val(w′, α)]", "α ← α − η_α [∇α L_val(w′, α) − ξ ∇²α,w L_train(w, α) ∇w′L_val(w′, α)]"},
	"darts.phase.a2b":       {"w′ = w − ξ∇w L_train(w, α); the ∇² term by finite differences (eq. 8).", "w′ = w − ξ∇w L_train(w, α); ∇² 항은 유한 차분으로 (식 8)."},
	"darts.geno.fresh":      {"Just changed · %[2]d of %[3]d edges changed %[4]s", "방금 바뀜 · %[4]s %[3]d개 중 %[2]d개 엣지가 바뀜"},
	"darts.geno.settled":    {"Settled: unchanged for %[1]d steps, a whole epoch (%[2]d steps) and more.", "안정됨: %[1]d 단계 동안 변화 없음 (한 에폭 %[2]d 단계 이상)."},
	"darts.derived":         {"derived now", "지금 도출된 셀"},
	"darts.edge.title":      {"Edge %s · %s", "엣지 %s · %s"},
	"darts.edge.hint":       {"click a row", "행을 클릭"},
	"darts.cellname.normal": {"normal", "일반"},
	"darts.cellname.reduce": {"reduction", "축소"},
	"rl.update":             {"θ ← θ + η Σₜ ∇θ log p(aₜ) · (R − b)", "θ ← θ + η Σₜ ∇θ log p(aₜ) · (R − b)"},
	"rl.update.cap":         {"Last update: R − b = %s. Above the baseline the sampled ops get more likely, below it less.", "마지막 갱신: R − b = %s. 기준선보다 높으면 샘플한 연산의 확률이 오르고, 낮으면 내려갑니다."},
	"url.bad":               {"Address ignored: %s", "주소의 값을 무시했습니다: %s"},
	"rl.controller":         {"Controller: one decision per edge", "컨트롤러: 엣지마다 한 번의 결정"},
	"rl.controller.cap":     {"Bars: the controller's p(op | edge). Outlined: the op it sampled this time.", "막대: 컨트롤러의 p(연산 | 엣지). 테두리: 이번에 샘플한 연산."},
	"rl.cell":               {"Sampled cell (NAS-Bench-201: 4 nodes, 6 edges, 5 ops)", "샘플된 셀 (NAS-Bench-201: 노드 4개, 엣지 6개, 연산 5개)"},
	"rl.reward":             {"Reward, baseline, best", "보상, 기준선, 최고값"},
	"rl.reward.cap":         {"Reward = CIFAR-10 test accuracy of the sampled cell, looked up in the NAS-Bench-201 table: every method is scored the same way.", "보상 = 샘플한 셀의 CIFAR-10 테스트 정확도 (NAS-Bench-201 표 조회): 모든 방법을 같은 방식으로 채점합니다."},
	"rl.reward.l":           {"reward", "보상"},
	"rl.baseline.l":         {"baseline", "기준선"},
	"rl.best.l":             {"best so far", "현재까지 최고"},
	"rl.best":               {"Best cell so far", "현재까지 최고의 셀"},
	"rl.uniform":            {"Random search and evolution have no controller: every op is equally likely.", "무작위 탐색과 진화에는 컨트롤러가 없습니다: 모든 연산이 같은 확률입니다."},
	"rl.enas.controller":    {"Controller: 4 decisions per node · ENAS", "컨트롤러: 노드마다 4번의 결정 · ENAS"},
	"rl.enas.cap":           {"Per node of each cell: inputs A, B and ops A, B as sampled; number and bar: p of that decision.", "셀의 노드마다 샘플한 입력 A, B와 연산 A, B; 숫자와 막대: 그 결정의 확률."},
	"rl.enas.inA":           {"in A", "입력 A"},
	"rl.enas.inB":           {"in B", "입력 B"},
	"rl.enas.opA":           {"op A", "연산 A"},
	"rl.enas.opB":           {"op B", "연산 B"},
	"rl.enas.cell":          {"Sampled cells (DARTS micro space, shared weights)", "샘플된 셀 (DARTS 마이크로 공간, 공유 가중치)"},
	"rl.enas.reward.cap":    {"Reward = accuracy of the sampled cell on one validation minibatch after one shared-weight step along its path (ENAS).", "보상 = 그 경로로 공유 가중치를 한 번 갱신한 뒤 검증 미니배치 하나에서 샘플한 셀의 정확도 (ENAS)."},
	"cmp.title":             {"Best accuracy found vs architectures evaluated (mean over repeats)", "평가한 구조 수에 따른 최고 정확도 (반복 평균)"},
	"cmp.cap":               {"Every evaluation is a table look-up, so thousands of searches take seconds. Optimum of the table: 94.37%.", "평가는 표 조회라서 수천 번의 탐색도 몇 초면 됩니다. 표의 최적값: 94.37%."},
	"cmp.table":             {"Method · accuracy (%) · cost", "방법 · 정확도 (%) · 비용"},
	"cmp.x":                 {"archs evaluated", "평가한 구조 수"},
	"cmp.method":            {"Method", "방법"},
	"cmp.acc":               {"Accuracy (%)", "정확도 (%)"},
	"cmp.cost":              {"Cost (archs)", "비용 (구조 수)"},
	"cmp.runs":              {"Repeats", "반복"},
	"m.random":              {"random search", "무작위 탐색"},
	"m.reinforce":           {"REINFORCE", "REINFORCE"},
	"m.evolution":           {"regularized evolution", "정규화 진화"},
	"m.pnas":                {"PNAS (progressive, surrogate)", "PNAS (점진적, 대리 모델)"},
	"m.enas":                {"ENAS", "ENAS"},
	"m.darts":               {"DARTS", "DARTS"},
	"replay.empty":          {"You can also open an events.jsonl written by `nas search` (Open button above, or ?replay=URL).", "`nas search`가 쓴 events.jsonl을 직접 열 수도 있습니다 (위의 열기 버튼 또는 ?replay=URL)."},
	"replay.shipped":        {"recordings", "기록"},
	"replay.pick":           {"Real searches recorded with `nas search`, shipped with this page: click one (or link ?replay=replays/<file>).", "`nas search`로 기록해 이 페이지에 담은 실제 탐색: 하나를 누르세요 (또는 ?replay=replays/<파일> 링크)."},
	"replay.pos":            {"event", "이벤트"},
	"stat.step":             {"step", "단계"},
	"stat.epoch":            {"epoch", "에폭"},
	"stat.ips":              {"images/s", "이미지/초"},
	"stat.sps":              {"samples/s", "샘플/초"},
	"stat.fps":              {"FPS", "FPS"},
	"stat.paused":           {"paused", "일시정지됨"},
	"stat.running":          {"running", "실행 중"},
	"stat.done":             {"done", "완료"},
	"msg.evo.random":        {"random (initial population)", "무작위 (초기 개체군)"},
	"msg.evo.mutated":       {"mutated parent born at step %d", "%d 단계에 태어난 부모를 변이"},
	"msg.pnas.level":        {"level %d/%d (%d-block cells), beam %d", "%d/%d 단계 (블록 %d개짜리 셀), 빔 %d"},
	"engine.downloading":    {"downloading the engine…", "엔진을 내려받는 중…"},
	"engine.compiling":      {"compiling the engine…", "엔진을 컴파일하는 중…"},
	"engine.starting":       {"starting the engine…", "엔진을 시작하는 중…"},
	"engine.building":       {"building the search…", "탐색을 준비하는 중…"},
	"engine.first":          {"loading data, computing the first step…", "데이터를 불러오고 첫 단계를 계산하는 중…"},
}

// T returns the text of key in lang. An unknown key is returned in brackets so
// the gap is visible on screen, never blank.
func T(lang, key string) string {
	v, ok := table[key]
	if !ok {
		return "[" + key + "]"
	}
	if lang == "ko" {
		return v[1]
	}
	return v[0]
}

// Keys returns all keys, sorted.
func Keys() []string {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Runes returns every non-ASCII character used by any string in any language,
// sorted, one string: what the font subset must cover beyond Latin.
func Runes() string {
	var all []string
	for _, v := range table {
		all = append(all, v[:]...)
	}
	all = append(all, nameRunes()...)
	return NonASCII(all...)
}

// NonASCII returns the distinct characters above '~' of ss, sorted, as one string.
func NonASCII(ss ...string) string {
	seen := map[rune]bool{}
	for _, s := range ss {
		for _, r := range s {
			if r > 0x7e {
				seen[r] = true
			}
		}
	}
	rs := make([]rune, 0, len(seen))
	for r := range seen {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return string(rs)
}
