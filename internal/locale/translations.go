package locale

// texts holds every server-side string, by shipped language and key. Each
// language is written for native readers: the polite register usual for
// support (Sie, vous, Вы), the language's own punctuation (French spaces
// before ! ? ; :, Arabic ، and ؟, full-width marks in Japanese and Chinese),
// and sentences that work on their own in a chat bubble.
var texts = map[string]map[Key]string{
	"en": {
		Greeting:         "Hi! I'm the documentation assistant. Ask me anything about the documentation.",
		GreetingForTitle: "Hi! I'm the documentation assistant. Ask me anything about {title}.",
		PartialCaveat:    "I found only part of the answer in the documentation, so this may be incomplete.",
		NotFound:         "Sorry, I couldn't find this in the documentation. Could you rephrase your question or add a few details?",
		Failure:          "Sorry, something went wrong while preparing the answer. Please try again in a moment.",
		Interrupted:      "The answer was interrupted before it was complete.",
	},
	"es": {
		Greeting:         "¡Hola! Soy el asistente de documentación. Pregúntame lo que quieras sobre la documentación.",
		GreetingForTitle: "¡Hola! Soy el asistente de documentación. Pregúntame lo que quieras sobre {title}.",
		PartialCaveat:    "Solo he encontrado parte de la respuesta en la documentación, así que podría estar incompleta.",
		NotFound:         "Lo siento, no he encontrado esto en la documentación. ¿Podrías reformular la pregunta o añadir algún detalle más?",
		Failure:          "Lo siento, algo ha fallado al preparar la respuesta. Vuelve a intentarlo en un momento.",
		Interrupted:      "La respuesta se interrumpió antes de completarse.",
	},
	"fr": {
		Greeting:         "Bonjour\u00a0! Je suis l’assistant de documentation. Posez-moi toutes vos questions sur la documentation.",
		GreetingForTitle: "Bonjour\u00a0! Je suis l’assistant de documentation. Posez-moi toutes vos questions sur {title}.",
		PartialCaveat:    "Je n’ai trouvé qu’une partie de la réponse dans la documentation\u00a0; elle est donc peut-être incomplète.",
		NotFound:         "Désolé, je n’ai pas trouvé cette information dans la documentation. Pourriez-vous reformuler votre question ou ajouter quelques précisions\u00a0?",
		Failure:          "Désolé, une erreur s’est produite pendant la préparation de la réponse. Veuillez réessayer dans un instant.",
		Interrupted:      "La réponse a été interrompue avant d’être terminée.",
	},
	"de": {
		Greeting:         "Hallo! Ich bin der Dokumentationsassistent. Fragen Sie mich alles rund um die Dokumentation.",
		GreetingForTitle: "Hallo! Ich bin der Dokumentationsassistent. Fragen Sie mich alles rund um {title}.",
		PartialCaveat:    "Ich habe in der Dokumentation nur einen Teil der Antwort gefunden; sie ist daher möglicherweise unvollständig.",
		NotFound:         "Das konnte ich in der Dokumentation leider nicht finden. Könnten Sie Ihre Frage anders formulieren oder ein paar Details ergänzen?",
		Failure:          "Leider ist beim Erstellen der Antwort ein Fehler aufgetreten. Bitte versuchen Sie es gleich noch einmal.",
		Interrupted:      "Die Antwort wurde unterbrochen, bevor sie vollständig war.",
	},
	"ru": {
		Greeting:         "Здравствуйте! Я ассистент по документации. Задайте мне любой вопрос о документации.",
		GreetingForTitle: "Здравствуйте! Я ассистент по документации. Задайте мне любой вопрос по теме «{title}».",
		PartialCaveat:    "В документации нашлась только часть ответа, поэтому он может быть неполным.",
		NotFound:         "К сожалению, в документации не удалось найти ответ на этот вопрос. Попробуйте переформулировать его или добавить подробностей.",
		Failure:          "К сожалению, при подготовке ответа произошла ошибка. Пожалуйста, повторите попытку чуть позже.",
		Interrupted:      "Ответ был прерван до завершения.",
	},
	"ar": {
		Greeting:         "مرحبًا! أنا مساعد الوثائق. اسألني عن أي شيء يخص الوثائق.",
		GreetingForTitle: "مرحبًا! أنا مساعد الوثائق. اسألني عن أي شيء يخص {title}.",
		PartialCaveat:    "لم أجد في الوثائق سوى جزء من الإجابة، لذا قد تكون غير مكتملة.",
		NotFound:         "عذرًا، لم أتمكن من العثور على ذلك في الوثائق. هل يمكنك إعادة صياغة سؤالك أو إضافة بعض التفاصيل؟",
		Failure:          "عذرًا، حدث خطأ أثناء إعداد الإجابة. يُرجى المحاولة مرة أخرى بعد قليل.",
		Interrupted:      "توقفت الإجابة قبل اكتمالها.",
	},
	"ja": {
		Greeting:         "こんにちは！ドキュメントアシスタントです。ドキュメントについて何でも質問してください。",
		GreetingForTitle: "こんにちは！ドキュメントアシスタントです。{title}について何でも質問してください。",
		PartialCaveat:    "ドキュメントには回答の一部しか見つからなかったため、内容が不完全な可能性があります。",
		NotFound:         "申し訳ありません。ドキュメント内にこの内容は見つかりませんでした。質問を言い換えるか、もう少し詳しく教えていただけますか？",
		Failure:          "申し訳ありません。回答の作成中にエラーが発生しました。しばらくしてからもう一度お試しください。",
		Interrupted:      "回答は途中で中断されました。",
	},
	"zh-TW": {
		Greeting:         "您好！我是文件助理。關於文件的任何問題都可以問我。",
		GreetingForTitle: "您好！我是文件助理。關於{title}的任何問題都可以問我。",
		PartialCaveat:    "我在文件中只找到部分答案，因此內容可能不完整。",
		NotFound:         "抱歉，我在文件中找不到相關內容。請試著換個方式描述您的問題，或補充更多細節。",
		Failure:          "抱歉，準備回答時發生錯誤。請稍後再試一次。",
		Interrupted:      "回答在完成前中斷了。",
	},
}
