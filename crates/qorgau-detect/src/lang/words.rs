//! Frequent words per language, written for this detector.
//!
//! Function words and the vocabulary of job, chat and escort ads, in the
//! standard orthography and, for Kazakh and Kyrgyz, in the "Russian
//! keyboard" spelling people use without a Kazakh layout («жане» for
//! «және»). A word is listed under a language only when it is not also a
//! common word of a competing language that shares its script (Kazakh and
//! Kyrgyz «бар», «керек», «сен» are left out; so is «да»).

/// Russian (Cyrillic).
#[rustfmt::skip]
pub(super) const RU: &[&str] = &[
    "и", "в", "во", "не", "на", "что", "с", "со", "по", "к", "ко", "от", "до", "за", "для",
    "из", "у", "о", "об", "как", "это", "мы", "вы", "ты", "он", "она", "они", "я", "мне",
    "тебе", "тебя", "вас", "нас", "ваш", "наш", "твой", "твои", "твоя", "всё", "все", "есть",
    "был", "была", "будет", "если", "или", "но", "а", "же", "только", "уже", "еще", "ещё",
    "очень", "можно", "нужно", "нет", "так", "там", "тут", "где", "когда", "чтобы", "без",
    "при", "про", "через", "после", "работа", "работу", "работы", "девушки", "девушек",
    "зарплата", "опыт", "опыта", "требуются", "требуется", "пишите", "звоните", "оплата",
    "жильё", "жилье", "день", "месяц", "лет", "года", "тебя", "меня", "мой", "моя", "свои",
    "который", "которые", "также", "более", "всего", "этого", "этом", "себя", "вам", "нам",
    "его", "её", "их", "ли", "бы", "вот", "тоже", "сейчас", "здесь", "всем", "новые",
    "предоставляем", "оплачиваем", "бесплатно", "срочно", "подробности", "город",
];

/// Kazakh (Cyrillic), with common plain-keyboard spellings.
#[rustfmt::skip]
pub(super) const KK: &[&str] = &[
    "және", "үшін", "жоқ", "емес", "бұл", "сіз", "біз", "сізге", "бізге", "жұмыс", "жұмысқа",
    "қыздар", "қыздарға", "ғана", "осы", "тегін", "бойынша", "жаста", "жастағы", "арқылы",
    "туралы", "немесе", "өте", "қазір", "бірге", "саған", "сені", "маған", "менің", "сенің",
    "еді", "болады", "береміз", "төлейміз", "жалақы", "ақша", "керемет", "жақсы", "шетелде",
    "шетелге", "ешкімге", "жігіт", "бір", "екі", "үш", "күн", "ай", "сайын", "жоғары",
    "тәжірибе", "қажет", "хабарласыңыз", "жазыңыз", "біздің", "сіздің", "кейін", "дейін",
    "қалай", "неге", "кім", "мұнда", "сонда", "ол", "олар", "жане", "ушин", "жумыс", "жумыска",
    "кажет", "казир", "жалакы", "акша", "тегин", "бизге", "сизге", "биздин", "сиздин",
    "керемет", "жасы", "жастар",
];

/// Kyrgyz (Cyrillic), with common plain-keyboard spellings.
#[rustfmt::skip]
pub(super) const KY: &[&str] = &[
    "жана", "менен", "үчүн", "жок", "эмес", "бул", "сиз", "биз", "жумуш", "жумушка", "гана",
    "боюнча", "жөнүндө", "же", "өтө", "азыр", "сага", "мага", "менин", "сенин", "болот",
    "беребиз", "айлык", "акча", "жакшы", "абдан", "эч", "кийин", "чейин", "ошол", "бекер",
    "акысыз", "келет", "болуп", "алар", "эмне", "кандай", "ким", "жаштагы", "өлкөдө", "ушул",
    "төлөйбүз", "берилет", "кыздарга", "сүрөт", "сүрөттөр", "кыргыз", "кыргызстан", "бишкек",
    "иштөө", "керекпи", "барбы", "жазыңыз", "чалыңыз", "сиздин", "биздин", "жонундо", "болушу",
    "тажрыйба", "эмгек", "акы", "жогорку", "күнүгө",
];

/// Uzbek in Cyrillic script.
#[rustfmt::skip]
pub(super) const UZ_CYRL: &[&str] = &[
    "ва", "билан", "бор", "йўқ", "эмас", "бу", "керак", "қизлар", "фақат", "бепул", "ҳам",
    "ёки", "жуда", "кўп", "ҳозир", "бирга", "сенга", "менинг", "сенинг", "бўлади", "берамиз",
    "маош", "ойлик", "пул", "яхши", "ишлаш", "хорижда", "ёш", "ёшдаги", "қилиш", "қилинг",
    "ҳақида", "орқали", "лекин", "аммо", "сизга", "бизга", "ишга", "учун", "ёзинг", "мурожаат",
    "қўнғироқ", "тажриба", "шарт", "беради", "олади", "керакми", "нима", "қандай", "бўлса",
    "эртага", "кечқурун", "албатта", "кутаман", "бугун", "ҳозироқ", "ҳеч", "кимга", "сенга",
    "менга", "ёзинг", "телефон қилинг",
];

/// Uzbek in Latin script.
#[rustfmt::skip]
pub(super) const UZ_LATN: &[&str] = &[
    "va", "bilan", "uchun", "bor", "yo'q", "emas", "bu", "siz", "biz", "kerak", "ish", "qizlar",
    "faqat", "bepul", "ham", "yoki", "juda", "ko'p", "hozir", "birga", "senga", "meni",
    "mening", "sening", "bo'ladi", "beramiz", "maosh", "oylik", "pul", "yaxshi", "ishlash",
    "chet", "xorijda", "yosh", "yoshdagi", "qilish", "qiling", "haqida", "orqali", "lekin",
    "ammo", "sizga", "bizga", "kerakmi", "ishga", "oyiga", "kuniga", "shartnoma", "qo'ng'iroq",
    "yozing", "murojaat", "tajriba", "shart", "beriladi", "nima", "qanday", "kim", "bo'lsa",
    "bizning", "sizning", "hech", "kimga", "men", "sen", "ota", "ona", "rasm", "rasmlar", "tez",
    "ishlar", "qiz", "daromad",
];

/// English.
#[rustfmt::skip]
pub(super) const EN: &[&str] = &[
    "the", "and", "to", "of", "for", "in", "you", "your", "is", "are", "with", "we", "our",
    "on", "will", "me", "my", "i", "an", "be", "this", "that", "it", "or", "if", "not", "no",
    "can", "just", "from", "at", "by", "all", "have", "has", "girls", "work", "job", "jobs",
    "salary", "free", "apply", "call", "now", "only", "per", "hour", "send", "don't", "i'm",
    "it's", "pay", "money", "photos", "who", "what", "when", "how", "they", "their", "was",
    "were", "been", "do", "does", "get", "got", "want", "need", "here", "there", "would",
    "should", "please", "contact", "write", "message", "new", "us", "am", "so", "yours",
    "abroad", "visa", "experience", "required", "provided", "women", "young",
];

/// Russian written in Latin letters (translit), common in spam that
/// avoids Cyrillic filters.
#[rustfmt::skip]
pub(super) const RU_LATN: &[&str] = &[
    "v", "na", "dlya", "ot", "rabota", "raboty", "rabotu", "devushki", "devushek", "zarplata",
    "zvonite", "pishite", "bez", "opyta", "ili", "eto", "tolko", "ochen", "privet", "tebe",
    "tebya", "menya", "davai", "davay", "kak", "chto", "nuzhny", "trebuyutsya", "oplata",
    "zhilye", "zhile",
];
