package knowledge

import (
	"testing"
)

// TestSearchLanguages shows, per language, that a visitor's realistic
// question finds the passage that answers it among passages on other topics
// in the same language, although the question's words are inflected, accented
// or segmented differently from the passage's.
func TestSearchLanguages(t *testing.T) {
	tests := []struct {
		lang        string
		query       string
		answer      string
		others      [2]string
		minCoverage float64
	}{
		{
			lang:   "en",
			query:  "How do I reset my passwords?",
			answer: "To reset your password, open Settings and choose Security. Click Reset password and we will email you a link that expires after 24 hours.",
			others: [2]string{
				"Invoices are emailed on the first day of each month. You can download past invoices from the Billing page.",
				"The widget can be embedded on any page by adding one script tag before the closing body tag.",
			},
			minCoverage: 1,
		},
		{
			lang:   "de",
			query:  "Wo finde ich die Einstellung, um mein Passwort zurückzusetzen?",
			answer: "Um Ihr Passwort zurückzusetzen, öffnen Sie die Einstellungen und wählen Sie Sicherheit. Wir senden Ihnen einen Link per E-Mail.",
			others: [2]string{
				"Rechnungen werden am ersten Tag jedes Monats verschickt. Ältere Rechnungen finden Sie unter Abrechnung.",
				"Das Widget lässt sich mit einem einzigen Skript-Tag in jede Seite einbetten.",
			},
			minCoverage: 0.6,
		},
		{
			lang:   "fr",
			query:  "Comment reinitialiser mon mot de passe ?",
			answer: "Pour réinitialiser votre mot de passe, ouvrez les Paramètres puis choisissez Sécurité. Nous vous enverrons un lien par e-mail.",
			others: [2]string{
				"Les factures sont envoyées le premier jour de chaque mois. Vous pouvez télécharger les anciennes factures depuis la page Facturation.",
				"Le widget s'intègre à n'importe quelle page avec une seule balise script.",
			},
			minCoverage: 1,
		},
		{
			lang:   "es",
			query:  "¿Cómo puedo restablecer la contrasena de mi cuenta?",
			answer: "Para restablecer la contraseña de tu cuenta, abre la Configuración y elige Seguridad. Te enviaremos un enlace por correo electrónico.",
			others: [2]string{
				"Las facturas se envían el primer día de cada mes. Puedes descargar las facturas anteriores desde la página de Facturación.",
				"El widget se puede insertar en cualquier página con una sola etiqueta script.",
			},
			minCoverage: 1,
		},
		{
			lang:   "ru",
			query:  "Как сбросить пароль в настройках?",
			answer: "Чтобы сбросить пароль, откройте настройки и выберите раздел «Безопасность». Мы отправим вам ссылку по электронной почте.",
			others: [2]string{
				"Счета отправляются в первый день каждого месяца. Старые счета можно скачать на странице оплаты.",
				"Виджет можно встроить в любую страницу с помощью одного тега script.",
			},
			minCoverage: 1,
		},
		{
			lang:   "ar",
			query:  "كيف أعيد تعيين كلمة مرور حسابي؟",
			answer: "لإعادة تعيين كلمة المرور، افتح الإعدادات واختر الأمان. سنرسل إليك رابطًا عبر البريد الإلكتروني.",
			others: [2]string{
				"يتم إرسال الفواتير في اليوم الأول من كل شهر. يمكنك تنزيل الفواتير السابقة من صفحة الفوترة.",
				"يمكن تضمين الأداة في أي صفحة باستخدام وسم برنامج نصي واحد.",
			},
			minCoverage: 0.5,
		},
		{
			lang:   "ja",
			query:  "パスワードのリセット方法を教えてください",
			answer: "パスワードをリセットするには、設定画面を開いて「セキュリティ」を選択してください。メールでリンクをお送りします。",
			others: [2]string{
				"請求書は毎月1日に送信されます。過去の請求書は請求ページからダウンロードできます。",
				"ウィジェットは、スクリプトタグを1つ追加するだけで任意のページに埋め込めます。",
			},
			minCoverage: 0.6,
		},
		{
			lang:   "zh",
			query:  "如何重置我的密码？",
			answer: "要重置密码，请打开设置页面并选择安全选项。我们会通过电子邮件向您发送链接。",
			others: [2]string{
				"发票在每月第一天发送。您可以在账单页面下载以前的发票。",
				"只需添加一个脚本标签，即可将小部件嵌入任何页面。",
			},
			minCoverage: 0.6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			ix := NewIndex()
			mustReplace(t, ix, testChunk("col", "answer", 0, tt.answer))
			mustReplace(t, ix, testChunk("col", "other-1", 0, tt.others[0]))
			mustReplace(t, ix, testChunk("col", "other-2", 0, tt.others[1]))
			hits := ix.Search("col", tt.query, 3)
			if len(hits) == 0 {
				t.Fatalf("no hit for %q (query terms %q)", tt.query, Terms(tt.query))
			}
			if hits[0].Chunk.DocumentID != "answer" {
				t.Errorf("first hit is %s, want the answer; hits %v", hits[0].Chunk.DocumentID, describe(hits))
			}
			if hits[0].Coverage < tt.minCoverage {
				t.Errorf("coverage %.2f, want ≥ %.2f (query terms %q, passage terms %q)",
					hits[0].Coverage, tt.minCoverage, queryTerms(tt.query), Terms(tt.answer))
			}
		})
	}
}
