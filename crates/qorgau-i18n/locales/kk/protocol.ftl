### Интернет-ресурсты қарап-тексеру хаттамасы (Kazakh version of the
### protocol of inspection; same content as the Russian one).

protocol-doc-title = Интернет-ресурсты қарап-тексеру хаттамасы
protocol-heading = ХАТТАМА
protocol-subheading = интернет-ресурсты қарап-тексеру
protocol-case-line = № { $case } «{ $title }» іс (материал) бойынша

## 1. General information

section-general = 1. Жалпы мәліметтер
field-place = Жасалған орны
field-started = Қарап-тексеру басталды
field-finished = Қарап-тексеру аяқталды
field-inspector = Қарап-тексеруді жүргізген тұлға
field-participants = Қатысушы тұлғалар
field-grounds = Қарап-тексерудің негізі мен мақсаты
field-tool = Бағдарламалық құрал
field-host = Компьютер (түйін атауы)
field-source-ip = Қарап-тексеру жүргізілген желілік мекенжай
tool-value = { $name }, { $version } нұсқасы
time-both = { $utc } UTC (Алматы уақытымен { $local }, UTC{ $offset })
# A step's time: Almaty local time first, UTC in brackets.
time-step = { $local } ({ $utc } UTC)
role-specialist = маман
role-witness = куәгер
role-interpreter = аудармашы
role-other = қатысушы тұлға
protocol-intro = Көрсетілген бағдарламалық құралдың көмегімен төменде аталған { $count ->
    [one] { $count } интернет-ресурс
   *[other] { $count } интернет-ресурс
} қарап-тексерілді. Ресурстарға Интернет желісі арқылы қол жеткізілді; олардың мазмұны экран суреттері, беттердің коды (HTML), желілік алмасу жазбасы (WARC) және метадеректер түрінде тіркелді. Алынған әрбір файлдың MD5 және SHA-256 хэш-мәндері бірден есептелді; әрі қарай тек көшірмелермен жұмыс істеледі.

## 2. What the inspection found

section-targets = 2. Қарап-тексеру нәтижесінде анықталды
target-heading = Ресурс { $n } (барлығы { $total })
field-url = Мекенжай (URL)
field-final-url = Қайта бағыттаулардан кейінгі соңғы мекенжай
field-server-ip = Сервердің IP-мекенжайы
field-title = Беттің тақырыбы
field-http-status = HTTP жауап коды
field-tls = TLS сертификаты
tls-value = иесі: { $subject }; берген: { $issuer }; { $from } бастап { $to } дейін жарамды
field-captured = Тіркеу уақыты
target-partial = Тіркеу толық емес: { $reason }
target-partial-no-reason = Тіркеу толық емес; себебі көрсетілмеген.
steps-heading = Қарап-тексеру барысы
steps-col-time = Уақыты (Алматы)
steps-col-action = Әрекет
step-open = { $url } мекенжайы ашылды
step-redirect = { $from } мекенжайынан { $to } мекенжайына қайта бағыттау (HTTP { $status })
step-loaded = Бет жүктелді, желілік белсенділік аяқталды
step-scrolled = Кейінге қалдырылған мазмұнды жүктеу үшін бет соңына дейін айналдырылды
step-screenshot = Беттің толық экран суреті түсірілді: { $file }
step-dom = Беттің коды (HTML) сақталды: { $file }
step-warc = Желілік алмасу WARC форматында сақталды: { $file }
step-hashed = { $count ->
    [one] { $count } файлдың
   *[other] { $count } файлдың
} MD5 және SHA-256 хэш-мәндері есептелді
step-timeout = Бет { $seconds } с ішінде толық жүктелмеді; жүктелген мазмұн тіркелді
step-timestamp = { $authority } қызметінен уақыт белгісі алынды
screenshots-heading = Экран суреттері
screenshot-caption = «{ $name }» экран суреті ({ $width }×{ $height } пиксель)
screenshot-continued = «{ $name }» экран суреті, жалғасы ({ $part }/{ $parts } бөлік)
hash-sha256 = SHA-256: { $hash }
hash-md5 = MD5: { $hash }
no-targets = Ресурстар қарап-тексерілмеді.

## 3. Files

section-files = 3. Қарап-тексеру барысында алынған файлдар
files-intro = Барлық файлдар дәлелдемелер қоймасына өзгертусіз орналастырылды; әрқайсысының MD5 және SHA-256 хэш-мәндері есептелді.
files-col-no = №
files-col-name = Файл
files-col-kind = Түрі
files-col-size = Көлемі, байт
files-col-hashes = Хэш-мәндер
files-total = Барлығы { $count ->
    [one] { $count } файл
   *[other] { $count } файл
}, жалпы көлемі { $bytes ->
    [one] { $bytes } байт
   *[other] { $bytes } байт
}.
file-kind-warc = желілік алмасу (WARC)
file-kind-screenshot = экран суреті
file-kind-dom = беттің коды (HTML)
file-kind-title = беттің тақырыбы
file-kind-text = көрінетін мәтін
file-kind-links = сілтемелер тізімі
file-kind-media = медиафайл
file-kind-capture = тіркеу туралы мәліметтер
file-kind-post = жарияланым
file-kind-manifest = манифест
file-kind-timestamp = уақыт белгісі

## 4. Verification

section-verify = 4. Тұтастығын тексеру
field-public-key = Ашық кілт (Ed25519)
field-manifest = Манифест хэші (SHA-256)
field-signature = Қолтаңба (Ed25519)
field-timestamps = Уақыт белгілері (RFC 3161)
timestamp-value = { $authority }, { $time }, сериялық нөмірі { $serial }
timestamp-token = Белгінің SHA-256 мәні: { $hash }
verify-intro = Материалдардың тұтастығы желіге қосылусыз тексеріледі:
verify-step-hashes = әрбір файлдың хэш-мәндерін «sha256sum ФАЙЛ» және «md5sum ФАЙЛ» командаларымен есептеп, 3-бөлімдегі кестедегі мәндермен салыстырыңыз;
verify-step-qorgau = қойма немесе экспортталған пакет үшін «qorgau verify» орындаңыз: бағдарлама сақтау журналы жазбаларының тізбегін, Ed25519 қолтаңбаларын және барлық файлдардың хэш-мәндерін тексереді;
verify-step-key = қолтаңбалардың жоғарыда ашық бөлігі келтірілген кілтпен қойылғанына көз жеткізіңіз;
verify-step-timestamp = уақыт белгісін уақыт белгілері қызметінің сертификатымен «openssl ts -verify» командасы арқылы тексеріңіз.

## 5. Closing

section-closing = 5. Қорытынды мәліметтер
closing-text = Хаттама бағдарламалық құралдың көмегімен жасалды; уақыт, мекенжайлар және хэш-мәндер туралы мәліметтер оған автоматты түрде енгізілді. Хаттаманы қатысушы тұлғалар оқып шықты.
closing-remarks = Қатысушы тұлғалардың өтініштері мен ескертулері:
signatures-heading = Қолдар
sig-inspector = Қарап-тексеруді жүргізген тұлға
sig-signature = (қолы)
sig-name = (тегі, аты-жөнінің бас әріптері)
footer-page = { $page }-бет, барлығы { $total }
footer-case = Интернет-ресурсты қарап-тексеру хаттамасы · № { $case } іс
