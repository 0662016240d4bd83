package knowledge

import (
	"strings"
	"unicode/utf8"
)

// IsStopword reports whether term (a term returned by Terms) is a function
// word that carries no topic: "the", "how", "der", "comment", "как", "の".
// Searches score and measure coverage on the other terms of a query, and fall
// back to all of its terms when it has nothing else.
func IsStopword(term string) bool {
	if _, ok := stopwordTerms[term]; ok {
		return true
	}
	return isFunctionBigram(term)
}

// chineseFunctionChars are particles and pronouns that almost always sit at a
// word boundary in Chinese, so that a bigram holding one (置我, 我的, 的密 in
// 重置我的密码) straddles two words and is noise rather than a topic.
var chineseFunctionChars = map[rune]bool{
	'的': true, '了': true, '吗': true, '呢': true, '吧': true, '啊': true, '我': true,
	'你': true, '他': true, '她': true, '它': true, '您': true, '们': true, '这': true, '那': true,
}

func isFunctionBigram(term string) bool {
	first, n := utf8.DecodeRuneInString(term)
	second, m := utf8.DecodeRuneInString(term[n:])
	if n+m != len(term) || m == 0 {
		return false
	}
	return chineseFunctionChars[first] || chineseFunctionChars[second]
}

// stopwordTerms holds the stopword lists below passed through the same
// normalization as any text, so that they compare with terms as produced.
var stopwordTerms = buildStopwords(stopwordLists)

func buildStopwords(lists map[string]string) map[string]struct{} {
	set := make(map[string]struct{}, 1024)
	for _, list := range lists {
		for _, word := range strings.Fields(list) {
			forEachTerm(word, func(t []byte) { set[string(t)] = struct{}{} })
		}
	}
	return set
}

// stopwordLists are short function-word lists per language. They hold no
// words that name a topic a visitor could ask about ("us" is left out because
// "use" folds to the same term).
var stopwordLists = map[string]string{
	"en": `a about above after again against all am an and any are as at be because
been before being below between both but by can could did do does doing down during
each few for from further had has have having he her here hers herself him himself his
how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves please tell want need know get got`,
	"de": `aber alle allem allen aller alles als also am an ander andere anderem anderen
anderer anderes auch auf aus bei bin bis bist da damit dann das dass dein deine deinem
deinen deiner dem den denn der des dich die dies diese diesem diesen dieser dieses dir
doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für hab
habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede
jedem jeden jeder jedes jene kann kein keine können könnte machen man manche mein meine
mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
sich sie sind so solche soll sollte sondern um und uns unser unter viel vom von vor
war waren warum was weg weil weiter welche wenn werde werden wie wieder will wir wird
wo wollen wurde würde zu zum zur über`,
	"fr": `au aux avec ce ces comme comment dans de des du elle elles en est et être eux
il ils je la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou
où par pas pour puis qu que quel quelle quels qui sa sans se ses son sont sur ta te tes
toi ton tu un une vos votre vous y ai as avons avez ont était été faire fait peut peux
pourquoi quand cette cet`,
	"es": `a al algo algunas algunos ante antes como con contra cual cuando de del desde
donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estaba
estar este esto estos está están fue ha hay la las le les lo los me mi mis mucho muy más
nada ni no nos nosotros o os otra otro para pero poco por porque puedo puede qué que
quien se sea ser si sin sobre son su sus también te tengo tiene tu tus un una uno
unos y ya yo cómo dónde cuál`,
	"ru": `а без бы был была были было быть в вам вас во вот все всего всех вы
где да для до его ее если есть еще же за здесь и из или им их к как какой когда кто
ли либо мне может мой мы на над надо наш не него нее нет ни них но ну о об однако он она
они оно от очень по под при с со так также такой там те тем то того тоже той только том
ты у уже хотя чего чей чем что чтобы чье эта эти это я`,
	"ar": `في من على إلى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم أن إن كان كانت
قد لا لم لن ما ماذا كيف متى أين هل أو ثم كل بعض عند أي يا و`,
	"ja": `の に は を た が で て と し れ さ も へ や か な だ です ます する から こと この その
には では ない ある いる どう どの どこ なに 何 いつ ください`,
	"zh": `的 了 是 在 和 有 我 你 他 她 它 们 这 那 就 也 都 与 及 或 吗 呢 吧 啊 如何 怎么 怎样 什么
哪里 为什么 可以 我们 你们 他们 这个 那个 一个 没有 因为 所以 但是 如果 请问`,
}
