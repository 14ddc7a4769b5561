package i18n

// opNames maps an op name (core/genotype's DARTS/NASNet primitives and the
// NAS-Bench-201 ops) to its short label (heat-map columns, legend, cell
// edges) and its full name, in English and Korean.
var opNames = map[string][2][2]string{
	"none":         {{"none", "없음"}, {"none (zero)", "없음 (0)"}},
	"max_pool_3x3": {{"max3", "최대3"}, {"max pool 3×3", "최대 풀링 3×3"}},
	"avg_pool_3x3": {{"avg3", "평균3"}, {"avg pool 3×3", "평균 풀링 3×3"}},
	"skip_connect": {{"skip", "건너뜀"}, {"skip connection", "건너뛰기 연결"}},
	"sep_conv_3x3": {{"sep3", "분리3"}, {"sep conv 3×3", "분리 합성곱 3×3"}},
	"sep_conv_5x5": {{"sep5", "분리5"}, {"sep conv 5×5", "분리 합성곱 5×5"}},
	"dil_conv_3x3": {{"dil3", "팽창3"}, {"dil conv 3×3", "팽창 합성곱 3×3"}},
	"dil_conv_5x5": {{"dil5", "팽창5"}, {"dil conv 5×5", "팽창 합성곱 5×5"}},
	"sep_conv_7x7": {{"sep7", "분리7"}, {"sep conv 7×7", "분리 합성곱 7×7"}},
	"conv_7x1_1x7": {{"7×1/1×7", "7×1/1×7"}, {"conv 7×1 then 1×7", "합성곱 7×1 후 1×7"}},
	"conv_3x1_1x3": {{"3×1/1×3", "3×1/1×3"}, {"conv 3×1 then 1×3", "합성곱 3×1 후 1×3"}},
	"conv_1x1":     {{"conv1", "합성1"}, {"conv 1×1", "합성곱 1×1"}},
	"conv_3x3":     {{"conv3", "합성3"}, {"conv 3×3", "합성곱 3×3"}},
	"max_pool_5x5": {{"max5", "최대5"}, {"max pool 5×5", "최대 풀링 5×5"}},
	"max_pool_7x7": {{"max7", "최대7"}, {"max pool 7×7", "최대 풀링 7×7"}},
	"nor_conv_1x1": {{"conv1", "합성1"}, {"conv 1×1", "합성곱 1×1"}},
	"nor_conv_3x3": {{"conv3", "합성3"}, {"conv 3×3", "합성곱 3×3"}},
}

// Op returns the short label of op in lang ("sep3", "분리3"); an unknown op
// is returned unchanged.
func Op(lang, op string) string { return opName(lang, op, 0) }

// OpLong returns the full name of op in lang ("sep conv 3×3", "분리 합성곱 3×3").
func OpLong(lang, op string) string { return opName(lang, op, 1) }

func opName(lang, op string, form int) string {
	v, ok := opNames[op]
	if !ok {
		return op
	}
	if lang == "ko" {
		return v[form][1]
	}
	return v[form][0]
}

// Ops returns every op name with a translation.
func Ops() []string {
	out := make([]string, 0, len(opNames))
	for k := range opNames {
		out = append(out, k)
	}
	return out
}

// classNames are the CIFAR-10 classes in label order.
var classNames = [][2]string{
	{"plane", "비행기"}, {"car", "자동차"}, {"bird", "새"}, {"cat", "고양이"}, {"deer", "사슴"},
	{"dog", "개"}, {"frog", "개구리"}, {"horse", "말"}, {"ship", "배"}, {"truck", "트럭"},
}

// Class returns the name of CIFAR-10 class i in lang, or its number.
func Class(lang string, i int) string {
	if i < 0 || i >= len(classNames) {
		return itoa(i)
	}
	if lang == "ko" {
		return classNames[i][1]
	}
	return classNames[i][0]
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// nameRunes returns the non-ASCII characters of the op and class names.
func nameRunes() []string {
	var all []string
	for _, v := range opNames {
		all = append(all, v[0][0], v[0][1], v[1][0], v[1][1])
	}
	for _, v := range classNames {
		all = append(all, v[:]...)
	}
	return all
}
