### Веб-интерфейс (qorgau-web).

## Frame
nav-label = Бөлімдер
nav-dashboard = Шолу
nav-triage = Сигналдар кезегі
nav-cases = Істер
nav-referrals = Жолдамалар
sign-out = Шығу
language = Тіл
skip-to-content = Мазмұнға өту
time-almaty = (Алматы)
none = жоқ

## Errors
error-unauthenticated = Жүйеге кіру қажет
error-forbidden = Рұқсат жоқ
error-bad-request = Сұрау қабылданбады
error-not-found = Табылмады
error-conflict = Ағымдағы күймен қайшы
error-locked = Тіркелгі уақытша бұғатталған
error-too-many = Сұраулар тым көп
error-internal = Ішкі қате
error-back = Шолуға оралу

## Sign-in
sign-in-title = Qorgau жүйесіне кіру
sign-in-username = Пайдаланушы аты
sign-in-password = Құпиясөз
sign-in-submit = Кіру
sign-in-hint = Тіркелгілерді ведомствоңыздың әкімшісі береді.
sign-in-wrong = Пайдаланушы аты немесе құпиясөз қате.
sign-in-locked = Бірнеше сәтсіз әрекеттен кейін тіркелгі бұғатталды. Кейінірек қайталаңыз.
sign-in-cross-site = Кіру формасы басқа сайттан жіберілді және қабылданбады.

## Dashboard
dashboard-title = Шолу
tile-new-signals = жаңа сигнал
tile-open-cases = ашық іс
tile-referrals-waiting = жауап күткен жолдама
tile-overdue = өткізіп алынған мерзім
dashboard-deadlines = Жолдамалар бойынша мерзімдер
dashboard-flags = Белгіленген материалдар апталар мен сценарийлер бойынша
dashboard-flags-total = { $count ->
    [one] Мониторинг мұрағатында барлығы { $count } белгіленген материал.
   *[other] Мониторинг мұрағатында барлығы { $count } белгіленген материал.
}
dashboard-flags-empty = Соңғы апталарда ештеңе белгіленбеген.
dashboard-platforms = Белгіленген материалдар алаңдар бойынша
dashboard-regions = Белгіленген құжаттар өңірлер бойынша
dashboard-regions-note = Хабарландыруда аталған қалалар мен елді мекендер бойынша; екі өңір аталған хабарландыру екеуінде де есептеледі.
dashboard-suppressed = жасырылған (k-дан аз)
region-unstated = Қазақстандағы орын аталмаған
platform-unknown = алаң көрсетілмеген

## Triage
triage-title = Сигналдар кезегі
triage-status = Сигналдар күйі
triage-count = { $count ->
    [one] { $count } сигнал
   *[other] { $count } сигнал
}
triage-empty = Сигнал жоқ.
signal-source = Дереккөз
signal-resource = Ресурс
signal-reported = Түсті
signal-reports = { $count ->
    [one] { $count } хабарлама
   *[other] { $count } хабарлама
}
document-platform = Алаң
document-deleted = жойылған
document-cluster = Үлгі кластері
cluster-size = { $count ->
    [one] { $count } материал
   *[other] { $count } материал
}
document-network = Желі
document-minor = Кәмелетке толмаған адам қатысуы мүмкін
document-identifiers = Идентификаторлар
dampener = бағаны төмендетеді
accept-title = Жаңа істің атауы
accept-submit = Жаңа іске қабылдау
accept-capture = Хабарландыру бетін іске бірден тіркеу (фондық режимде)
accept-capture-note = сигналдар кезегінен қабылданған кезде тіркелді
dismiss-category = Қабылдамау себебі
dismiss-reason = Түсініктеме (сөздікті тексеру үшін сақталады)
dismiss-submit = Қабылдамау

signal-status-new = Жаңа
signal-status-accepted = Қабылданған
signal-status-dismissed = Қабылданбаған
signal-source-detection = анықтау жүйесі
signal-source-partner = серіктес
signal-source-complaint = азаматтың өтініші
signal-source-manual = қолмен

dismissal-legitimate = заңды ұсыныс (тексерілген)
dismissal-not-trafficking = адам саудасына қатысы жоқ
dismissal-duplicate = қайталама
dismissal-insufficient = мәлімет жеткіліксіз
dismissal-out-of-jurisdiction = құзыретке жатпайды
dismissal-other = басқа

scenario-employment-abroad = шетелде жұмыс
scenario-modeling-webcam = модельдер / вебкам
scenario-romance-grooming = танысу / груминг
scenario-escort-services = эскорт қызметтері
scenario-sextortion = жыныстық бопсалау
scenario-minor-involved = кәмелетке толмағандар
scenario-none = сценарийсіз

identifier-phone = телефон
identifier-email = эл. пошта
identifier-url = сілтеме
identifier-domain = домен
identifier-handle = аккаунт
identifier-telegram = Telegram
identifier-whatsapp = WhatsApp
identifier-instagram = Instagram
identifier-tiktok = TikTok
identifier-card = карта
identifier-iban = IBAN
identifier-wallet = әмиян
identifier-iin = ЖСН
identifier-resource = ресурс

## Cases
cases-title = Істер
cases-empty = Әзірге іс жоқ.
case-name = Нөмірі
case-title = Атауы
case-kind = Түрі
case-status = Күйі
case-access = Қолжетімділік
case-updated = Өзгертілді
case-owner = жетекші ведомство
case-articles = Саралау
case-persons = Тұлғалар
case-keys = Ресурстар мен идентификаторлар
case-documents = Мониторинг материалдары
case-notes = Жазбалар
case-evidence = Дәлелдемелер
case-timeline = Хронология
case-checklist = Тексеру парағы (зерттеудің 5.3-бөлімі)
checklist-progress = { $total } ішінен { $done } орындалды
case-referrals = Жолдамалар
evidence-file = Файл
evidence-type = Түрі
evidence-size = Көлемі, байт
evidence-acquired = Алынды

case-kind-criminal = қылмыстық
case-kind-support = жәбірленушілерге көмек
case-status-open = ашық
case-status-closed = жабық
scope-operational = жедел мәліметтер
scope-evidence = дәлелдемелер
scope-identifiers = идентификаторлар
scope-victim-support = жәбірленушілерге көмек
scope-statistics = статистика
person-role-suspect = күдікті
person-role-victim = жәбірленуші
person-role-witness = куә
task-status-open = ашық
task-status-done = орындалды
task-status-not-applicable = қолданылмайды
event-case-opened = іс ашылды
event-acquired = қоймаға алынды
event-viewed = қарау
event-exported = экспорт
event-verified = тексеру
event-transferred = беру
event-note = жазба
event-investigative-step = тергеу әрекеті
event-read = оқу
event-restricted = қолжетімділікті шектеу
event-examined = сарапшы қорытындысы
event-changed = өзгеріс

## Referrals
referrals-title = Жолдамалар
referrals-incoming = Кіріс
referrals-outgoing = Шығыс
referral-case = Іс
referral-open-case = істі ашу
referral-agency = Ведомство
referral-state = Күйі
referral-sent = Жолданды
referral-acknowledge-by = Растау мерзімі
referral-act-by = Орындау мерзімі
referral-overdue = мерзімі өтті
referral-step = Әрекет
referral-outcome = Нәтиже (жабу кезінде)
referral-note = Ескертпе
referral-step-submit = Орындау
referral-state-sent = жолданды
referral-state-acknowledged = расталды
referral-state-rejected = қабылданбады
referral-state-acted = орындалуда
referral-state-closed = жабылды
referral-action-acknowledge = алғанын растау
referral-action-reject = қабылдамау
referral-action-act = шаралар туралы хабарлау
referral-action-close = жабу
outcome-services-given = көмек көрсетілді
outcome-refused-by-person = тұлға бас тартты
outcome-unreachable = байланысу мүмкін болмады
outcome-referred-elsewhere = басқа ұйымға берілді
outcome-no-action-needed = шара қажет емес
outcome-other = басқа

agency-mvd-cyber = ІІМ киберполициясы
agency-mvd-investigation = ІІМ тергеу бөліністері
agency-prosecutor = Прокуратура органдары
agency-child-rights-committee = Балалардың құқықтарын қорғау комитеті
agency-social-services = Әлеуметтік қорғау органдары
agency-ngo = Құрбандарға қызмет көрсететін ҮЕҰ
agency-fiu = Қаржылық мониторинг агенттігі
agency-interpol-ncb = Интерполдың ұлттық орталық бюросы

## Qualification and routing
case-qualify = Саралау және жолдау
qualify-title = саралау және жолдау
qualify-questions = Саралау көмекшісінің сұрақтары
qualify-assess = Баптарды көрсету
qualify-candidates = Үміткер баптар
qualify-no-candidates = Әзірге ешбір бапқа жауаптар жеткіліксіз.
qualify-routing-facts = Жолдауға арналған мән-жайлар
qualify-routing-hint = Сақтағанда жолдау ережелері бірден іске қосылады: ведомстволар мерзімдері бар жолдамалар алады.
qualify-save = Саралауды сақтау және жолдау
answer-yes = иә
answer-no = жоқ
answer-unknown = белгісіз
candidate-answered = барлық элементтер расталды
candidate-to-prove = дәлелдеу қажет
candidate-established = Анықталды
candidate-features = Саралаушы белгілер
candidate-open = Анықтау керек
candidate-penalty = Санкция
fact-region = Өңір (ISO 3166-2:KZ коды)
law-group-act = Әрекет
law-group-purpose = Мақсат
law-group-victim = Жәбірленуші
law-group-offender = Кінәлі
law-group-method = Тәсіл
law-group-consequence = Салдары
law-group-conduct = Ерекше әрекеттер
fact-minor-involved = Кәмелетке толмаған адам қатысады
fact-victim-identified = Жәбірленуші анықталды
fact-victim-consent = Жәбірленушінің жолдауға келісімі алынды
fact-crypto-involved = Криптоактивтер пайдаланылады
fact-foreign-hosting = Ресурс шетелде орналасқан
fact-foreign-suspects = Күдіктілер шетелде немесе шетел азаматтары

## Public complaint form
sign-in-report = Кірмей-ақ күдікті хабарландыру туралы хабарлау
report-title = Күдікті хабарландыру туралы хабарлау
report-emergency = Егер сізге немесе біреуге дәл қазір қауіп төніп тұрса, 102 немесе 112 нөміріне қоңырау шалыңыз.
report-intro = Не көргеніңізді сипаттаңыз: шетелдегі жұмыс туралы хабарландыру, «оңай табыс» ұсынысы, фото жіберу немесе алдын ала төлем аудару туралы өтініш. Хабарламаны құқық қорғау органдарының мамандары алады.
report-text = Не болды
report-link = Хабарландыруға, арнаға немесе сайтқа сілтеме
report-contact = Жалдаушы пайдаланған телефон немесе аккаунт (сілтеме немесе байланыс — кемінде біреуі қажет)
report-privacy = Біз сіздің атыңыз бен байланыс деректеріңізді сұрамаймыз және мекенжайыңызды сақтамаймыз. Жәбірленушілердің жеке деректерін көрсетпеңіз.
report-submit = Жіберу
report-status-link = Хабарламаның күйін код арқылы білу
report-received = Хабарлама қабылданды
report-keep-receipt = Бұл кодты сақтаңыз: хабарламаның тағдырын тек сол арқылы білуге болады. Біз оны бір рет қана көрсетеміз.
report-status-title = Хабарлама күйі
report-receipt = Хабарлама коды
report-status-submit = Тексеру
report-status = Күйі
report-received-at = Қабылданды
report-changed-at = Өзгертілді
report-no-such-receipt = Мұндай кодпен хабарлама табылмады. Кодты тексеріңіз.
complaint-status-received = қабылданды
complaint-status-in-review = қаралуда
complaint-status-passed-to-agency = уәкілетті органға берілді
complaint-status-closed = қарау аяқталды

## Evidence item
evidence-back = іске оралу
evidence-item = Сақтау нысаны
evidence-note = Ескертпе
evidence-download = Жүктеп алу (хэш тексеріледі, журналға жазылады)
evidence-verification = Тұтастықты тексеру
evidence-never-checked = Нысан әлі жеке тексерілмеген (жалпы тексеру: qorgau verify).
evidence-verify-now = Қазір тексеру (хэштерді қайта есептеу)
evidence-intact = Тұтастық расталды: мазмұны MD5 және SHA-256 мәндеріне сәйкес, жазба журналмен куәландырылған
evidence-altered = Тұтастық РАСТАЛМАДЫ: мазмұны немесе жазба сәйкес келмейді
evidence-preview = Қарау
evidence-preview-logged = Әр қарау сақтау журналына жазылады.
evidence-custody = Сақтау тізбегі
evidence-entry-hash = журнал жазбасының хэші
evidence-metadata = Файл метадеректері

## Capture from the case
capture-title = Бетті тіркеу
capture-url = Беттің немесе арнаның мекенжайы (https://t.me/s/…)
capture-note = Не үшін тіркеледі (дәлелдемемен бірге сақталады)
capture-submit = Тіркеу
job-queued = Орындаушыны күтуде…
job-retrying = Соңғы әрекет сәтсіз аяқталды, қайталанады
job-no-worker = Бірде-бір орындаушы іске қосылмаған: тапсырма ол пайда болғанша күтеді (`qorgau worker` немесе әкімшіге хабарласыңыз).
job-running = Тіркеу жүріп жатыр…
job-done = Тіркелді және қоймаға сақталды
job-failed = Тіркеу сәтсіз аяқталды
job-working = Орындалуда…
job-finished = Дайын
job-failed-other = Орындалмады
capture-final-url = Соңғы мекенжай
capture-items = Файлдар
capture-manifest = Манифесттің SHA-256 мәні
capture-partial = ІШІНАРА тіркеу

## Money
case-money = Ақша: аударымдар мен қызыл жалаулар
case-identities = Қолданылатын виртуалды тұлғалар
case-identity-handles = Тұлға
case-identity-authorisation = Сот санкциясы
case-identity-valid-until = Мерзімі
case-identity-opened = Операция ашылды
case-identity-actions = Жазылған әрекеттер
case-identity-expired = санкция мерзімі өтті: одан әрі қолдануға тыйым салынады
case-identity-register = Виртуалды тұлғалар тізілімі
money-title = Іс бойынша ақша қозғалысы
money-flags = Қызыл жалаулар
money-graph = Ақша қозғалысының графы
money-hops = Орталықтан қадамдар
money-graph-hint = Орталық — қызыл; әр шот — сілтеме: граф соның айналасында қайта құрылады. Сома мен аударымдар санын көру үшін сызыққа меңзерді апарыңыз.
money-accounts = Шоттар, карталар және әмияндар
money-account = Шот
money-label = Тізімдегі белгі
money-seen = Қайда кездесті
money-privacy-coin = анонимдік монета (ҚР-да тыйым салынған)
money-transfers = Аударымдар
money-time = Уақыты
money-from = Қайдан
money-to = Қайда
money-amount = Сомасы
money-source = Дереккөз
money-flag = Жалау
money-score = Күші
money-window = Кезең
money-explanation = Не көрінеді
flag-fan-in = дропперге жинау
flag-pass-through = транзит
flag-structuring = сомаларды бөлшектеу
flag-peel-chain = «қабықтау» тізбегі
flag-coinjoin = CoinJoin / миксер
flag-label-exposure = белгіленген мекенжаймен байланыс
flag-privacy-coin = анонимдік монета

## Victim screening
nav-screening = Скрининг
screening-title = Жәбірленушіні скринингтен өткізу
screening-intro = Топтар бойынша индикаторлар, соның ішінде цифрлық блок (зерттеудің 4.3-бөлімі). Адам жауап бермеуге құқылы: «жауаптан бас тарту» деп белгілеңіз. Сәйкестендіру қылмыстық іссіз де мүмкін.
screening-label = Іс адамды қалай атайды (бүркеншік ат)
screening-label-example = К. тұлға
screening-minor = Жасы
screening-case = Іс
screening-new-support-case = іссіз: қолдау ісін ашу
screening-personal = Жеке деректер (алынған кезде шифрланады)
screening-personal-hint = Тек көмекке қажеттісін толтырыңыз; деректер тек рұқсаты бар рөлдерге және адамның келісімімен ашылады.
screening-family = Тегі
screening-given = Аты
screening-birth = Туған күні
screening-phone = Телефон (қоңырау шалу қауіпсіз бе — адамнан нақтылаңыз)
screening-strong = күшті индикатор
screening-submit = Бағалау
screening-open-case = Істі ашу
screening-sent = Жолданды
screening-nothing-stored = Теріс нәтиже: ештеңе сақталмады.
answer-not-sure = сенімді емес
answer-declined = жауаптан бас тарту
minor-unknown = белгісіз
minor-minor = кәмелетке толмаған
minor-presumed-minor = кәмелетке толмаған болуы мүмкін
minor-adult = кәмелетке толған
screening-group-physical = Физикалық
screening-group-psychological = Психологиялық
screening-group-economic = Экономикалық
screening-group-digital = Цифрлық

## Network view
nav-network = Желілер
network-title = Желілер: материалдар және ортақ идентификаторлар
network-intro = Ортақ телефондармен, аккаунттармен, карталармен, домендермен және суреттермен байланысқан белгіленген материалдар, анықтау жүйесі байланыстырғандай. «Хаб» түйіндер (ортақ сервистер, өте көп хабарландырудағы сурет) байланыс саналмайды.
network-documents = Материалдар
network-shared = Ортақ идентификаторлар
network-platforms = Алаңдар
network-span = Кезең
network-deleted = { $count ->
    [one] { $count } жойылған
   *[other] { $count } жойылған
}
network-all = барлық желілер
network-graph-hint = Шаршылар — материалдар (қызылы — жойылғандар), шеңберлер — идентификаторлар; әр түйін — сілтеме: граф соның айналасында қайта құрылады. Қадам саны графты кеңейтеді.
network-seen = Көрінді
network-picture = Сурет
network-picture-hint = Осы суретті немесе оның дерлік көшірмесін (қайта сығылған, кішірейтілген, кесілген, жазуы бар) көрсететін материалдар, перцептивті хештер бойынша. Бұл тергеушінің тексеруіне арналған байланыс, суреттердің бірдей екенінің дәлелі емес.
network-picture-where = Көшірме қайда
network-picture-distance = Топ суретінен pHash биттері

## Administration
nav-admin = Әкімшілік
admin-title = Әкімшілік
admin-users = Тіркелгілер
admin-display-name = Көрсетілетін аты
admin-roles = Рөлдер
admin-state = Күйі
admin-disabled = өшірілген
admin-locked = бұғатталған, мерзімі
admin-active = белсенді
admin-new-user = Жаңа тіркелгі
admin-initial-password = Бастапқы құпиясөз (кемінде 12 таңба)
admin-create-user = Құру
admin-agencies = Ведомстволар
admin-code = Коды
admin-kind = Түрі
admin-name = Атауы
admin-routing = Жолдау ережелері: алдын ала қарау
admin-routing-rules = Қолданыстағы ережелер
admin-routing-preview = Жолдамаларды көрсету
admin-why = Ережелер бойынша
role-administrator = әкімші
role-analyst = талдаушы
role-investigator = тергеуші
role-supervisor = басшы
role-prosecutor = прокурор
role-social-worker = әлеуметтік қызметкер
role-ngo-worker = ҮЕҰ қызметкері
role-partner-system = серіктес жүйе

## Statistics
article-short = { $article }-бап
dashboard-statistics = Баптар мен жылдар бойынша істер
dashboard-study-figures = Зерттеуде келтірілген ІІМ деректері (4.1-бөлім)
dashboard-study-figures-note = Зерттеу нақты келтірген сандар ғана көрсетілген; өңірлерсіз, ұлттық деректер.
dashboard-own-figures = Qorgau жүйесіндегі қылмыстық істер
dashboard-own-figures-empty = Әзірге сараланған қылмыстық іс жоқ.
dashboard-own-figures-note = { $k }-ден кіші мәндер оларды есептеп шығаруға болатын ұяшықтармен бірге жасырылған: кестені жариялауға болады.
dashboard-year = Жыл
dashboard-cases = Істер
dashboard-article = Бап

## Exports
exports-title = Хаттама және беруге арналған пакет
exports-protocol-lang = Хаттама тілі
exports-protocol = Қарау хаттамасы (PDF)
exports-wacz = WACZ пакеті (беттерді қайта ойнату)
exports-bagit = Барлық дәлелдемелердің BagIt пакеті (ZIP)
exports-hint = Файл фондық режимде дайындалады; оның хэші істің сақтау журналына жазылады.
job-title = Фондық тапсырма
job-download = Файлды жүктеп алу

## Victim record
victim-title = Жәбірленуші
victim-logged = Жазбаның әр ашылуы іс журналына тіркеледі: кім, қашан, деректердің қандай санаттары.
victim-personal = Жеке деректер (рөліңіз бен адамның келісімі бойынша ашылған)
victim-sealed = Жеке деректерсіз мәліметтер (жеке деректер шифрланған)
victim-consents = Адамның келісімдері
victim-withdraw-note = Адамның сөзі немесе мән-жайлар
victim-withdraw = Келісімді кері қайтару
victim-new-consent = Жаңа келісімді жазу
victim-recipient = Кімге беруге болады
victim-purpose = Не үшін
victim-method = Келісім қалай берілді
victim-reference = Форма нөмірі, куә немесе заңды өкіл
victim-relation = Балаға кім болып келеді (заңды өкіл үшін)
victim-categories = Қандай деректер
victim-record-consent = Келісімді жазу
purpose-special-social-services = арнаулы әлеуметтік қызметтер
purpose-shelter = баспана
purpose-legal-aid = заң көмегі
purpose-medical-care = медициналық көмек
purpose-child-protection = баланы қорғау
purpose-criminal-proceedings = қылмыстық қудалау
purpose-repatriation = отанына оралу
consent-method-signed-form = қол қойылған форма
consent-method-oral-with-witness = куәнің қатысуымен ауызша
consent-method-legal-representative = заңды өкіл
victim-field-identity = аты-жөні және туған күні
victim-field-contacts = байланыстар
victim-field-address = мекенжай
victim-field-documents = құжаттар
victim-field-notes = жазбалар
victim-field-screening = скрининг
victim-field-health = денсаулық
victim-field-images = суреттер

## Takedowns
takedowns-title = Бұғаттау және жою сұраулары
takedowns-reply-by = Платформаның жауап беру мерзімі
takedowns-new = Жаңа сұрау
takedowns-url = Ресурс мекенжайы
takedowns-recipient = Алушы (платформаның құқық қорғау органдарына арналған байланысы, «Кибернадзор»)
takedowns-basis = Құқықтық негіз
takedowns-send-now = Қазір жіберілді деп белгілеу
takedowns-hint = Сұрау істе осы ресурстың тіркеуі болса және оның файлдары хэш тексеруінен өтсе ғана қабылданады.
takedowns-open = Сұрау құру
takedown-state-draft = жоба
takedown-state-sent = жіберілді
takedown-state-acknowledged = платформа алды
takedown-state-removed = жойылды
takedown-state-partially-removed = ішінара жойылды
takedown-state-refused = бас тартты
takedown-state-no-reply = жауапсыз
takedown-state-withdrawn = кері қайтарылды
takedown-action-send = жіберу
takedown-action-reply = жауапты жазу
takedown-action-withdraw = кері қайтару
takedown-outcome-acknowledged = алынды
takedown-outcome-removed = жойылды
takedown-outcome-refused = бас тарту
takedown-outcome-partially = ішінара
takedown-outcome-no-reply = жауапсыз
platform-telegram = Telegram
platform-instagram = Instagram
platform-tiktok = TikTok
platform-vk = ВКонтакте
platform-whatsapp = WhatsApp
platform-youtube = YouTube
platform-website = сайт
platform-kibernadzor = «Кибернадзор»

## Cluster template
cluster-template = Хабарландырулар үлгісі
cluster-intro = { $count ->
    [one] Бір-біріне ұқсас мәтіндердің осы кластерінде { $count } белгіленген материал.
   *[other] Бір-біріне ұқсас мәтіндердің осы кластерінде { $count } белгіленген материал.
}
cluster-slot = { $count ->
    [one] { $count } нұсқа
   *[other] { $count } нұсқа
}

## Virtual identities
nav-identities = Виртуалды тұлғалар
identities-title = Бақыланатын виртуалды тұлғалар
identities-intro = Ведомствоның жедел аккаунттары: олармен жұмыс платформаға арналған қолданыстағы сот рұқсаты болғанда және арандатуға қарсы әр кепілдік расталғаннан кейін ғана мүмкін (зерттеудің 4.2-бөлімі). Әр әрекет жазылады.
identities-officer = Жауапты қызметкер
identities-authorisations = Сот рұқсаттары
identities-no-authorisation = Рұқсат жоқ: операциялар мүмкін емес.
identities-open-operation = Операция ашу
identities-safeguards = Арандатуға қарсы кепілдіктер (әрқайсысын растаңыз)
identities-open = Операция ашу

## Routing rule editor
rules-title = Бағыттау ережелері
rules-open = Ережелерді өзгерту
rules-text = Ережелер (TOML, format = 1)
rules-note = Өзгерту себебі (тарихта сақталады)
rules-check = Тексеру және қозғалатын істерді көрсету
rules-save = Барлық серверлер мен өңдеушілер үшін сақтау
rules-invalid = Ережелерде қателер бар; ештеңе сақталмады:
rules-valid = Ережелер дұрыс:
rules-saved = Сақталды және күшінде:
rules-refused = Сақталмады:
rules-sweep = Жаңа ережелер талап ететін жолдамаларды тапсырма жіберуде
rules-no-impact = Бірде-бір ашық іс басқаша бағытталмайды.
rules-would-send = Жіберіледі
rules-would-hold = Қажет, бірақ кідіртілді
rules-no-longer = Енді қажет емес (жолдама қалады)
rules-history = Тарих
rules-never-saved = Ережелер серверде әлі өзгертілмеген.
rules-version = Нұсқа
rules-saved-at = Сақталған уақыты
rules-saved-by = Кім
lexicon-title = Индикаторлар сөздігі
lexicon-open = Сөздікті ашу: файлдар, ұсыныстар, әр индикатордың талдаудағы нәтижесі
lexicon-in-force = Қолданыста:
lexicon-entries = индикатор мен төмендететін белгі
lexicon-approved-by = Бекіткен
lexicon-proposed-by = Ұсынған
lexicon-builtin = Qorgau-дың кіріктірілген сөздігі қолданыста; бұл серверде әлі ешбір өзгеріс бекітілмеген.
lexicon-applies = Бекітілген сөздікті әр мониторинг іске қосылуы мен сканерлеу тапсырмасы келесі басталуынан бастап қолданады; бағаланып қойған құжаттар өздерінде көрсетілген нұсқаны сақтайды.
lexicon-files = Файлдар
lexicon-file = Файл
lexicon-edit = Өзгерту
lexicon-new-file = Файл қосу
lexicon-proposals = Ұсыныстар
lexicon-no-proposals = Әлі ешбір өзгеріс ұсынылмаған.
lexicon-version = Нұсқа
lexicon-state = Күйі
lexicon-in-force-tag = қолданыста
lexicon-indicators = Талдаудағы индикаторлар
lexicon-indicators-hint = Әр индикатор бойынша: ол белгіленген қанша құжатта іске қосылды және талдаушылар олардың сигналдары бойынша не шешті. Бірдей себептермен қабылданбағандардың үлесі жоғары болса, сөздік сол жерде қателеседі.
lexicon-no-decisions = Белгіленген құжаттар бойынша әлі шешім жоқ.
lexicon-indicator = Индикатор
lexicon-fired = Іске қосылған
lexicon-accepted = Қабылданды
lexicon-dismissed = Қабылданбады
lexicon-waiting = Күтуде
lexicon-reasons = Қабылдамау санаттары мен соңғы себептер
lexicon-edit-hint = Файл сөздіктің README құжатында сипатталған TOML пішімінде. Тексеру қателерді немесе айырмашылықтарды және өзгеріс басқаша белгілейтін мұрағаттағы хабарландыруларды көрсетеді; ұсыныс басқа адам бекіткеннен кейін ғана күшіне енеді.
lexicon-invalid = Сөздік жүктелмейді; ештеңе сақталмады:
lexicon-valid = Өзгертілген сөздік жүктеледі:
lexicon-refused = Сақталмады:
lexicon-text = Мазмұны (TOML)
lexicon-remove-file = Бұл файлды сөздіктен алып тастау
lexicon-note = Не өзгереді және неге (ұсыныспен бірге сақталады)
lexicon-check = Тексеру және әсерін көрсету
lexicon-propose = Бекітуге ұсыну
lexicon-no-change = Бірде-бір файл қолданыстағы сөздіктен өзгеше емес.
lexicon-file-added = қосылды
lexicon-file-removed = алып тасталды
lexicon-file-changed = өзгертілді
lexicon-document = Құжат
lexicon-risk = Тәуекел (бұрын → кейін)
lexicon-scenario = Сценарий (бұрын → кейін)
lexicon-indicators-after = Өзгерістен кейінгі индикаторлар
lexicon-impact-checked = Екі сөздікпен бағаланған мұрағат құжаттары:
lexicon-no-impact = Бірде-бір мұрағат құжаты басқаша белгіленбейді.
lexicon-newly-flagged = Алғаш рет белгіленеді
lexicon-no-longer-flagged = Енді белгіленбейді
lexicon-scenario-changed = Басқа сценарий бойынша белгіленеді
lexicon-proposal = Сөздік бойынша ұсыныс
lexicon-based-on = Өзгертілген нұсқа
lexicon-reviewed-by = Қараған
lexicon-review-note = Шешімнің негіздемесі
lexicon-stale-hint = Бұл ұсыныстан кейін басқа өзгеріс бекітілді: мұны бекіту сол өзгерісті жояды. Қолданыстағы сөздікті өзгертіп, қайта ұсыныңыз.
lexicon-approve = Бекіту және күшіне енгізу
lexicon-reject = Қабылдамау
lexicon-four-eyes = Ұсынысты оның авторы емес басшы қарайды.
lexicon-diff = Өзгерістер
lexicon-impact = Мұрағатқа әсері
lexicon-status-pending = қарауды күтуде
lexicon-status-stale = ескірген
lexicon-status-approved = бекітілді
lexicon-status-rejected = қабылданбады
import-open = Файл жүктеу: транзакциялар немесе тексеруге арналған экспорт
import-title = Іске файл жүктеу
import-money-title = Транзакцияларды импорттау
import-money-hint = TRON немесе Ethereum шолушысының экспорты, JSON пішіміндегі Bitcoin транзакциялары немесе бағандары көрсетілген банк үзінді көшірмесі. Қате жолдар нөмірімен хабарланады; қалғаны импортталады, файлдың хештері іс журналына енгізіледі.
import-scan-title = Экспортты тексеру
import-scan-hint = Telegram экспорты, жиналған хабарландырулар немесе беттер: әр құжат бекітілген сөздікпен бағаланады; нәтиже — әр құжатқа бір жолдан тұратын жүктеп алынатын файл.
import-format = Пішімі
import-map = Бағандардың сәйкестігі (банк үзінді көшірмелері)
import-text-column = CSV: мәтін бағаны
import-file = Файл
import-start = Жүктеу және бастау
job-documents = құжат
job-flagged = тексеруге белгіленді
job-rows = Оқылған жолдар
job-rows-new = Жаңа аударымдар
job-row-errors = Қате жолдар (хабарланды, импортталмады)
job-line = жол

## Айғақ бетіндегі тіркелген бет; желілердегі айна домендердің уақыт сызығы
captured-page = Тіркелген бет
captured-no-links = Бұл файл — бетті тіркеудің бір бөлігі. Сайтқа абайсызда басып кіріп кетпес үшін мекенжайлар сілтеме емес, мәтін ретінде көрсетілген: бір басу мекенжайды толық белгілейді, оны оқшауланған браузерге көшіруге болады. DOM мен веб-мұрағат — сайттың өз коды: оларды тек жүктеп алуға болады, мұнда көрсетілмейді.
captured-url = Сұралған мекенжай
captured-page-title = Бет тақырыбы
captured-started = Тіркеудің басталуы
captured-finished = Тіркеудің аяқталуы
captured-status = HTTP мәртебесі
captured-no-status = жауап жоқ
captured-engine = Немен тіркелді
captured-engine-browser = интерфейссіз браузер (Chromium)
captured-engine-http = қарапайым HTTP, браузерсіз
captured-kind-page = бет
captured-kind-channel = ашық арна
captured-time-stamp = Уақыт белгісі (RFC 3161)
captured-time-stamped = бар
captured-no-time-stamp = жоқ
captured-by = Кім тіркеді
captured-screenshot = Экран суреті
captured-text = Көрінетін мәтін
captured-text-logged = Қайта хэштелгеннен кейін мазмұн беру арқылы оқылды: әр көрсету text.txt файлының сақтау журналына жазылады.
captured-text-too-large = Мәтін мұнда көрсету үшін тым ұзын.
captured-text-open = Мәтін файлын ашу
captured-text-unreadable = Мәтінді оқу мүмкін болмады (тексеруден өтпеді немесе файл жоқ).
captured-files = Осы тіркеудің файлдары
captured-role = Бұл не
captured-this-item = осы файл
captured-hostile = тек жүктеп алу: сайттың өз коды
captured-role-warc = веб-мұрағат (WARC)
captured-role-screenshot = экран суреті
captured-role-dom = бет белгіленімі (DOM)
captured-role-title = тақырып
captured-role-text = көрінетін мәтін
captured-role-links = шығыс сілтемелер
captured-role-media = ендірілген медиафайлдар
captured-role-capture = тіркеу туралы мәліметтер
captured-role-manifest = хэштер манифесі
captured-role-time-stamp = уақыт белгісінің токені
captured-role-post = арна жарияланымы
captured-role-other = басқа файл
mirror-title = Айна домендер
mirror-intro = Ескісі бұғатталғанда жаңа доменге көшетін сайттар, анықтау механизмі топтастырған: әр доменге бір жол, онда хабарландыру алғаш және соңғы рет табылған уақыт аралығы жолақпен, айқыш — хабарландыру жойылған деп табылған сәт; домендер пайда болу ретімен берілген.
mirror-none = Белгіленген материалдар арасында айна домендер жоқ.
mirror-more = Басқа топтар
mirror-group = Айна домендер
mirror-caption = { $count ->
    [one] { $name }: { $count } домен
   *[other] { $name }: { $count } домен
}
mirror-why = Неге топтастырылды
mirror-timeline-hint = Жолақтар — доменде хабарландыру алғаш және соңғы рет табылған аралық; айқыштар — жойылған деп табылған хабарландырулар; үзік сызық — келесі доменге көшу. Күндер
mirror-domain = Домен
mirror-first-seen = Алғаш табылды
mirror-last-seen = Соңғы рет табылды
mirror-deleted = Жойылған деп табылған хабарландырулар
mirror-of = { $name } айнасы
mirror-reason-same-label = басқа домендік аймақтағы сол «{ $name }» атауы
mirror-reason-same-base = цифрлары немесе нұсқа сөздері өзгерген сол «{ $name }» атауы
mirror-reason-look-alike = «{ $name }» атауының ұқсас жазылуы (гомоглифтер, leetspeak немесе IDN)
mirror-reason-same-content = беттердің мазмұны дерлік бірдей ({ $count ->
    [one] іздері { $count } битке ерекшеленеді
   *[other] іздері { $count } битке ерекшеленеді
})
mirror-reason-shared-owner = сол «{ $name }» атауы, әрі хабарландырулар ортақ идентификаторлармен байланысқан
mirror-reason-near-name = { $count ->
    [one] атауы { $count } таңбаға ерекшеленеді
   *[other] атауы { $count } таңбаға ерекшеленеді
}

# Балаларға қатысты жыныстық зорлық-зомбылық материалдары деген күдік (issue 8)
restricted-banner = Балаларға қатысты жыныстық зорлық-зомбылық материалы деген күдікпен белгіленген
restricted-short = қолжетімділігі шектелген материал
restricted-not-for-your-role = Бұл нысан балаларға қатысты жыныстық зорлық-зомбылық материалы деген күдікпен белгіленген. Сіздің рөліңізге оны көруге рұқсат жоқ.
restricted-reveal = Түпнұсқаны көрсету (журналға жазылады)
restricted-blur-again = Қайта бұлыңғырлау
restricted-basis = Кім белгіледі
restricted-basis-person = материалды көрген қызметкер
restricted-basis-hash-list = құзыретті органның хэштер тізімі
restricted-reason = Негіз
restricted-matched-on = Сәйкес келген хэш
restricted-marked = Белгіленді
restricted-rules = Әдепкіде бұлыңғыр күйде және тек тергеушілерге, басшыларға және прокурорларға көрсетіледі; әр көрсету жазылады; индикатор ретінде ешқашан берілмейді; экспорттауға жазылған рұқсат қажет.
restricted-release-reason = Белгі неге қате
restricted-release = Белгіні алып тастау
restricted-mark-title = Балаларға қатысты жыныстық зорлық-зомбылық материалы деп белгілеу
restricted-mark-reason = Негіз
restricted-mark = Белгілеу
restricted-history = Белгілер және оларды алып тастау
restricted-action-mark = белгіленді
restricted-action-clear = алынды
exports-restricted = Істе балаларға қатысты жыныстық зорлық-зомбылық материалы деген күдікпен белгіленген нысандар бар: экспорттау үшін рұқсат беретін шешімнің деректемелерін көрсетіңіз, олар журналға жазылады
exports-restricted-not-yours = Істе балаларға қатысты жыныстық зорлық-зомбылық материалы деген күдікпен белгіленген нысандар бар: оны тек тергеушілер, басшылар және прокурорлар экспорттай алады.
exports-authorisation = Рұқсат (шешім, нөмірі, күні, кім берді)

# Түпнұсқалық белгілері (issue 8)
authenticity-title = Түпнұсқалық белгілері
authenticity-open = Түпнұсқалық белгілері
authenticity-back = Нысанға оралу
authenticity-not-a-verdict = Бұл сарапшыға арналған бақылаулар, қорытынды емес: әрқайсысы нені білдіруі мүмкін екенін және нені дәлелдемейтінін айтады. Қорытындыны тек адам жасайды, ол сақтау журналына жазылады.
authenticity-signals = Тексерулер не анықтады
authenticity-no-signals = Тексерулер ерекше ештеңе анықтамады; орындалмаған тексерулер туралы ескертпелерді қараңыз.
authenticity-level-note = ескертпе
authenticity-level-worth-examining = зерттеуге тұрарлық
authenticity-observed = Анықталды
authenticity-may-mean = Білдіруі мүмкін
authenticity-cannot-show = Дәлелдемейді
authenticity-notes = Орындалмаған тексерулер
authenticity-method = Әдістеме
authenticity-quantisation = JPEG кванттау кестелері
authenticity-nearest-quality = Ең жақын стандартты сапа (IJG):
authenticity-no-quality = Жақын стандартты сапа жоқ
authenticity-standard-tables = стандартты IJG кестелері (бағдарламалық кодтаушылар, мессенджерлер, редакторлар)
authenticity-custom-tables = стандартты емес кестелер (камера микробағдарламасы, кейбір редакторлар)
authenticity-table = Кесте
authenticity-error-level = Қате деңгейін талдау (ELA)
authenticity-error-level-hint = Көрнекі құрал: жиектер мен текстуралар өздігінен жарқырайды, ал бірнеше рет қайта сақталған сурет толығымен қараңғы болады. Әр көрсету жазылады.
authenticity-first-source = Қоймадағы алғашқы дереккөз
authenticity-first-is-this = Бұл нысан — суреттің қоймадағы ең ерте көшірмесі
authenticity-first-acquired = Ең ерте көшірме алынды
authenticity-first-kind = Көшірме
authenticity-same-bytes = сол байттар
authenticity-near-copy = қайта кодталған сол сурет (pHash қашықтығы)
authenticity-first-item = Нысан
authenticity-first-hidden = сізге қолжетімсіз істе
authenticity-captured-from = Мекенжайдан тіркелді
authenticity-copies = Қоймадағы көшірмелер
authenticity-conclusions = Сарапшылардың қорытындылары
authenticity-conclusion = Сіздің қорытындыңыз (не зерттелді, не анықталды және қаншалықты сенімді)
authenticity-record = Журналға жазу
authenticity-record-hint = Нысанның сақтау журналына сіздің атыңызбен «сарапшы қорытындысы» ретінде жазылады; кейін өзгертуге болмайды.
identifier-image = сурет
