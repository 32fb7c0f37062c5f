### The web interface (qorgau-web). Russian is the primary language.

## Frame
nav-label = Разделы
nav-dashboard = Обзор
nav-triage = Очередь сигналов
nav-cases = Дела
nav-referrals = Направления
sign-out = Выйти
language = Язык
skip-to-content = Перейти к содержанию
time-almaty = (Алматы)
none = нет

## Errors
error-unauthenticated = Нужно войти
error-forbidden = Нет доступа
error-bad-request = Запрос не принят
error-not-found = Не найдено
error-conflict = Конфликт с текущим состоянием
error-locked = Учётная запись временно заблокирована
error-too-many = Слишком много запросов
error-internal = Внутренняя ошибка
error-back = Вернуться к обзору

## Sign-in
sign-in-title = Вход в Qorgau
sign-in-username = Имя пользователя
sign-in-password = Пароль
sign-in-submit = Войти
sign-in-hint = Учётные записи выдаёт администратор вашего ведомства.
sign-in-wrong = Неверное имя пользователя или пароль.
sign-in-locked = Учётная запись заблокирована после нескольких неудачных попыток. Попробуйте позже.
sign-in-cross-site = Форма входа отправлена с другого сайта и отклонена.

## Dashboard
dashboard-title = Обзор
tile-new-signals = новых сигналов
tile-open-cases = открытых дел
tile-referrals-waiting = направлений ждут ответа
tile-overdue = сроков пропущено
dashboard-deadlines = Сроки по направлениям
dashboard-flags = Отмеченные материалы по неделям и сценариям
dashboard-flags-total = { $count ->
    [one] Всего { $count } отмеченный материал в архиве мониторинга.
    [few] Всего { $count } отмеченных материала в архиве мониторинга.
    [many] Всего { $count } отмеченных материалов в архиве мониторинга.
   *[other] Всего { $count } отмеченного материала в архиве мониторинга.
}
dashboard-flags-empty = За последние недели ничего не отмечено.
dashboard-platforms = Отмеченные материалы по площадкам
dashboard-regions = Отмеченные документы по регионам
dashboard-regions-note = По названным в объявлении городам и населённым пунктам; объявление с двумя регионами учитывается в обоих.
dashboard-suppressed = скрыто (меньше k)
region-unstated = место в Казахстане не названо
platform-unknown = площадка не указана

## Triage
triage-title = Очередь сигналов
triage-status = Состояние сигналов
triage-count = { $count ->
    [one] { $count } сигнал
    [few] { $count } сигнала
    [many] { $count } сигналов
   *[other] { $count } сигнала
}
triage-empty = Сигналов нет.
signal-source = Источник
signal-resource = Ресурс
signal-reported = Поступил
signal-reports = { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
    [many] { $count } сообщений
   *[other] { $count } сообщения
}
document-platform = Площадка
document-deleted = удалён
document-cluster = Кластер шаблона
cluster-size = { $count ->
    [one] { $count } материал
    [few] { $count } материала
    [many] { $count } материалов
   *[other] { $count } материала
}
document-network = Сеть
document-minor = Возможно участие несовершеннолетнего
document-identifiers = Идентификаторы
dampener = снижает оценку
accept-title = Название нового дела
accept-submit = Принять в новое дело
accept-capture = Сразу зафиксировать страницу объявления в деле (в фоне)
accept-capture-note = зафиксировано при принятии из очереди сигналов
dismiss-category = Причина отклонения
dismiss-reason = Пояснение (сохраняется для проверки словаря)
dismiss-submit = Отклонить

signal-status-new = Новые
signal-status-accepted = Принятые
signal-status-dismissed = Отклонённые
signal-source-detection = система обнаружения
signal-source-partner = партнёр
signal-source-complaint = обращение гражданина
signal-source-manual = вручную

dismissal-legitimate = законное предложение (проверено)
dismissal-not-trafficking = не относится к торговле людьми
dismissal-duplicate = дубликат
dismissal-insufficient = недостаточно сведений
dismissal-out-of-jurisdiction = вне компетенции
dismissal-other = другое

scenario-employment-abroad = работа за рубежом
scenario-modeling-webcam = модели / вебкам
scenario-romance-grooming = знакомства / груминг
scenario-escort-services = эскорт-услуги
scenario-sextortion = сексуальное вымогательство
scenario-minor-involved = несовершеннолетние
scenario-none = без сценария

identifier-phone = телефон
identifier-email = эл. почта
identifier-url = ссылка
identifier-domain = домен
identifier-handle = аккаунт
identifier-telegram = Telegram
identifier-whatsapp = WhatsApp
identifier-instagram = Instagram
identifier-tiktok = TikTok
identifier-card = карта
identifier-iban = IBAN
identifier-wallet = кошелёк
identifier-iin = ИИН
identifier-resource = ресурс

## Cases
cases-title = Дела
cases-empty = Дел пока нет.
case-name = Номер
case-title = Название
case-kind = Вид
case-status = Состояние
case-access = Доступ
case-updated = Изменено
case-owner = ведущее ведомство
case-articles = Квалификация
case-persons = Лица
case-keys = Ресурсы и идентификаторы
case-documents = Материалы мониторинга
case-notes = Заметки
case-evidence = Доказательства
case-timeline = Хронология
case-checklist = Чек-лист (раздел 5.3 исследования)
checklist-progress = Выполнено { $done } из { $total }
case-referrals = Направления
evidence-file = Файл
evidence-type = Тип
evidence-size = Размер, байт
evidence-acquired = Получено

case-kind-criminal = уголовное
case-kind-support = поддержка пострадавших
case-status-open = открыто
case-status-closed = закрыто
scope-operational = оперативные сведения
scope-evidence = доказательства
scope-identifiers = идентификаторы
scope-victim-support = помощь пострадавшим
scope-statistics = статистика
person-role-suspect = подозреваемый
person-role-victim = пострадавший
person-role-witness = свидетель
task-status-open = открыто
task-status-done = выполнено
task-status-not-applicable = не применимо
event-case-opened = дело открыто
event-acquired = получено в хранилище
event-viewed = просмотр
event-exported = экспорт
event-verified = проверка
event-transferred = передача
event-note = заметка
event-investigative-step = следственное действие
event-read = чтение
event-restricted = ограничение доступа
event-examined = заключение эксперта
event-changed = изменение

## Referrals
referrals-title = Направления
referrals-incoming = Входящие
referrals-outgoing = Исходящие
referral-case = Дело
referral-open-case = открыть дело
referral-agency = Ведомство
referral-state = Состояние
referral-sent = Направлено
referral-acknowledge-by = Подтвердить до
referral-act-by = Исполнить до
referral-overdue = срок пропущен
referral-step = Действие
referral-outcome = Итог (при закрытии)
referral-note = Примечание
referral-step-submit = Выполнить
referral-state-sent = направлено
referral-state-acknowledged = подтверждено
referral-state-rejected = отклонено
referral-state-acted = исполняется
referral-state-closed = закрыто
referral-action-acknowledge = подтвердить получение
referral-action-reject = отклонить
referral-action-act = сообщить о мерах
referral-action-close = закрыть
outcome-services-given = помощь оказана
outcome-refused-by-person = лицо отказалось
outcome-unreachable = не удалось связаться
outcome-referred-elsewhere = передано в другую организацию
outcome-no-action-needed = меры не требуются
outcome-other = другое

agency-mvd-cyber = Киберполиция МВД
agency-mvd-investigation = Следственные подразделения МВД
agency-prosecutor = Органы прокуратуры
agency-child-rights-committee = Комитет по охране прав детей
agency-social-services = Органы социальной защиты
agency-ngo = НПО, оказывающие услуги жертвам
agency-fiu = Агентство по финансовому мониторингу
agency-interpol-ncb = НЦБ Интерпола

## Qualification and routing
case-qualify = Квалифицировать и направить
qualify-title = квалификация и направление
qualify-questions = Вопросы помощника квалификации
qualify-assess = Показать статьи
qualify-candidates = Статьи-кандидаты
qualify-no-candidates = Ответов пока недостаточно ни для одной статьи.
qualify-routing-facts = Обстоятельства для направления
qualify-routing-hint = При сохранении правила направления сработают сразу: ведомства получат направления со сроками.
qualify-save = Сохранить квалификацию и направить
answer-yes = да
answer-no = нет
answer-unknown = не известно
candidate-answered = все элементы подтверждены
candidate-to-prove = остаётся доказать
candidate-established = Установлено
candidate-features = Квалифицирующие признаки
candidate-open = Выяснить
candidate-penalty = Санкция
fact-region = Регион (код ISO 3166-2:KZ)
law-group-act = Действие
law-group-purpose = Цель
law-group-victim = Пострадавший
law-group-offender = Виновный
law-group-method = Способ
law-group-consequence = Последствия
law-group-conduct = Особые действия
fact-minor-involved = Участвует несовершеннолетний
fact-victim-identified = Пострадавший установлен
fact-victim-consent = Согласие пострадавшего на направление получено
fact-crypto-involved = Используются криптоактивы
fact-foreign-hosting = Ресурс размещён за рубежом
fact-foreign-suspects = Подозреваемые за рубежом или иностранцы

## Public complaint form
sign-in-report = Сообщить о подозрительном объявлении без входа
report-title = Сообщить о подозрительном объявлении
report-emergency = Если вам или кому-то угрожает опасность прямо сейчас, звоните 102 или 112.
report-intro = Опишите, что вы видели: объявление о работе за рубежом, предложение «лёгкого заработка», просьбу прислать фото или перевести предоплату. Сообщение получат специалисты правоохранительных органов.
report-text = Что произошло
report-link = Ссылка на объявление, канал или сайт
report-contact = Телефон или аккаунт, который использовал вербовщик (нужна ссылка или контакт — хотя бы одно)
report-privacy = Мы не спрашиваем ваше имя и контакты и не храним ваш адрес. Не указывайте личные данные пострадавших.
report-submit = Отправить
report-status-link = Узнать состояние сообщения по коду
report-received = Сообщение получено
report-keep-receipt = Сохраните этот код: только по нему можно узнать, что стало с сообщением. Мы показываем его один раз.
report-status-title = Состояние сообщения
report-receipt = Код сообщения
report-status-submit = Проверить
report-status = Состояние
report-received-at = Получено
report-changed-at = Изменено
report-no-such-receipt = Сообщение с таким кодом не найдено. Проверьте код.
complaint-status-received = получено
complaint-status-in-review = на рассмотрении
complaint-status-passed-to-agency = передано в уполномоченный орган
complaint-status-closed = рассмотрение завершено

## Evidence item
evidence-back = к делу
evidence-item = Объект хранения
evidence-note = Примечание
evidence-download = Скачать (с проверкой хэша, записывается в журнал)
evidence-verification = Проверка целостности
evidence-never-checked = Объект ещё не проверялся отдельно (общая проверка: qorgau verify).
evidence-verify-now = Проверить сейчас (пересчитать хэши)
evidence-intact = Целостность подтверждена: содержимое совпадает с MD5 и SHA-256, запись заверена журналом
evidence-altered = Целостность НЕ подтверждена: содержимое или запись не совпадают
evidence-preview = Просмотр
evidence-preview-logged = Каждый просмотр записывается в журнал хранения.
evidence-custody = Цепочка хранения
evidence-entry-hash = хэш записи журнала
evidence-metadata = Метаданные файла

## Capture from the case
capture-title = Зафиксировать страницу
capture-url = Адрес страницы или канала (https://t.me/s/…)
capture-note = Зачем фиксируется (сохраняется с доказательством)
capture-submit = Зафиксировать
job-queued = Ожидает исполнителя…
job-retrying = Последняя попытка не удалась, будет повтор
job-no-worker = Ни один исполнитель не запущен: задача ждёт, пока он появится (`qorgau worker` или обратитесь к администратору).
job-running = Идёт фиксация…
job-done = Зафиксировано и сохранено в хранилище
job-failed = Фиксация не удалась
job-working = Выполняется…
job-finished = Готово
job-failed-other = Не выполнено
capture-final-url = Итоговый адрес
capture-items = Файлов
capture-manifest = SHA-256 манифеста
capture-partial = ЧАСТИЧНАЯ фиксация

## Money
case-money = Деньги: переводы и красные флаги
case-identities = Задействованные виртуальные личности
case-identity-handles = Личность
case-identity-authorisation = Санкция суда
case-identity-valid-until = Действует до
case-identity-opened = Операция открыта
case-identity-actions = Действий записано
case-identity-expired = срок санкции истёк: дальнейшее использование запрещено
case-identity-register = Реестр виртуальных личностей
money-title = Движение денег по делу
money-flags = Красные флаги
money-graph = Граф движения денег
money-hops = Шагов от центра
money-graph-hint = Центр — красный; каждый счёт — ссылка: граф перестроится вокруг него. Наведите на линию, чтобы увидеть сумму и число переводов.
money-accounts = Счета, карты и кошельки
money-account = Счёт
money-label = Метка из списков
money-seen = Где встречался
money-privacy-coin = монета-анонимайзер (запрещена в РК)
money-transfers = Переводы
money-time = Время
money-from = Откуда
money-to = Куда
money-amount = Сумма
money-source = Источник
money-flag = Флаг
money-score = Сила
money-window = Период
money-explanation = Что видно
flag-fan-in = сбор на дроппера
flag-pass-through = транзит
flag-structuring = дробление сумм
flag-peel-chain = цепочка отслаивания
flag-coinjoin = CoinJoin / миксер
flag-label-exposure = связь с помеченным адресом
flag-privacy-coin = монета-анонимайзер

## Victim screening
nav-screening = Скрининг
screening-title = Скрининг пострадавшего
screening-intro = Индикаторы по группам, включая цифровой блок (раздел 4.3 исследования). Человек вправе не отвечать: отметьте «отказ». Идентификация возможна и без уголовного дела.
screening-label = Как дело называет человека (псевдоним)
screening-label-example = Лицо К.
screening-minor = Возраст
screening-case = Дело
screening-new-support-case = без дела: открыть дело поддержки
screening-personal = Личные данные (шифруются при получении)
screening-personal-hint = Заполняйте только то, что нужно для помощи; данные открываются лишь ролям, которым это разрешено, и по согласию человека.
screening-family = Фамилия
screening-given = Имя
screening-birth = Дата рождения
screening-phone = Телефон (безопасен ли звонок — уточните у человека)
screening-strong = сильный индикатор
screening-submit = Оценить
screening-open-case = Открыть дело
screening-sent = Направлено
screening-nothing-stored = Отрицательный результат: ничего не сохранено.
answer-not-sure = не уверен
answer-declined = отказ отвечать
minor-unknown = не известен
minor-minor = несовершеннолетний
minor-presumed-minor = предположительно несовершеннолетний
minor-adult = совершеннолетний
screening-group-physical = Физические
screening-group-psychological = Психологические
screening-group-economic = Экономические
screening-group-digital = Цифровые

## Network view
nav-network = Сети
network-title = Сети: материалы и общие идентификаторы
network-intro = Отмеченные материалы, связанные общими телефонами, аккаунтами, картами, доменами и изображениями, как их связала система обнаружения. Узлы-«хабы» (общие сервисы, изображение в очень многих объявлениях) связями не считаются.
network-documents = Материалы
network-shared = Общие идентификаторы
network-platforms = Площадки
network-span = Период
network-deleted = { $count ->
    [one] { $count } удалён
    [few] { $count } удалены
    [many] { $count } удалены
   *[other] { $count } удалены
}
network-all = все сети
network-graph-hint = Квадраты — материалы (красные — удалённые), круги — идентификаторы; каждый узел — ссылка: граф перестроится вокруг него. Число шагов расширяет граф.
network-seen = Виден
network-picture = Изображение
network-picture-hint = Материалы, показывающие это изображение или почти такое же (пересжатое, уменьшенное, обрезанное, с надписью), по перцептивным хешам. Это связь для проверки следователем, а не доказательство того, что изображения совпадают.
network-picture-where = Где копия
network-picture-distance = Бит pHash от изображения группы

## Administration
nav-admin = Администрирование
admin-title = Администрирование
admin-users = Учётные записи
admin-display-name = Отображаемое имя
admin-roles = Роли
admin-state = Состояние
admin-disabled = отключена
admin-locked = заблокирована до
admin-active = активна
admin-new-user = Новая учётная запись
admin-initial-password = Начальный пароль (не менее 12 символов)
admin-create-user = Создать
admin-agencies = Ведомства
admin-code = Код
admin-kind = Вид
admin-name = Название
admin-routing = Правила направления: предпросмотр
admin-routing-rules = Действующие правила
admin-routing-preview = Показать направления
admin-why = По правилам
role-administrator = администратор
role-analyst = аналитик
role-investigator = следователь
role-supervisor = руководитель
role-prosecutor = прокурор
role-social-worker = социальный работник
role-ngo-worker = сотрудник НПО
role-partner-system = система-партнёр

## Statistics
article-short = ст. { $article }
dashboard-statistics = Дела по статьям и годам
dashboard-study-figures = Данные МВД, приведённые в исследовании (раздел 4.1)
dashboard-study-figures-note = Показаны только цифры, которые исследование приводит точно; национальные данные, без регионов.
dashboard-own-figures = Уголовные дела в Qorgau
dashboard-own-figures-empty = Квалифицированных уголовных дел пока нет.
dashboard-own-figures-note = Значения меньше { $k } скрыты вместе с ячейками, по которым их можно вычислить: таблицу можно публиковать.
dashboard-year = Год
dashboard-cases = Дел
dashboard-article = Статья

## Exports
exports-title = Протокол и пакет для передачи
exports-protocol-lang = Язык протокола
exports-protocol = Протокол осмотра (PDF)
exports-wacz = Пакет WACZ (воспроизведение страниц)
exports-bagit = Пакет BagIt со всеми доказательствами (ZIP)
exports-hint = Файл готовится в фоне; его хэш записывается в журнал хранения дела.
job-title = Фоновая задача
job-download = Скачать файл

## Victim record
victim-title = Пострадавший
victim-logged = Каждое открытие записи фиксируется в журнале хранения дела: кто, когда, какие категории данных.
victim-personal = Личные данные (открыты по вашей роли и согласию человека)
victim-sealed = Сведения без личных данных (личные данные зашифрованы)
victim-consents = Согласия человека
victim-withdraw-note = Слова человека или обстоятельства
victim-withdraw = Отозвать согласие
victim-new-consent = Записать новое согласие
victim-recipient = Кому можно передать
victim-purpose = Для чего
victim-method = Как дано согласие
victim-reference = Номер формы, свидетель или законный представитель
victim-relation = Кем приходится ребёнку (для законного представителя)
victim-categories = Какие данные
victim-record-consent = Записать согласие
purpose-special-social-services = специальные социальные услуги
purpose-shelter = приют
purpose-legal-aid = юридическая помощь
purpose-medical-care = медицинская помощь
purpose-child-protection = защита ребёнка
purpose-criminal-proceedings = уголовное преследование
purpose-repatriation = возвращение на родину
consent-method-signed-form = подписанная форма
consent-method-oral-with-witness = устно при свидетеле
consent-method-legal-representative = законный представитель
victim-field-identity = ФИО и дата рождения
victim-field-contacts = контакты
victim-field-address = адрес
victim-field-documents = документы
victim-field-notes = заметки
victim-field-screening = скрининг
victim-field-health = здоровье
victim-field-images = изображения

## Takedowns
takedowns-title = Запросы на блокировку и удаление
takedowns-reply-by = Ответ платформы до
takedowns-new = Новый запрос
takedowns-url = Адрес ресурса
takedowns-recipient = Адресат (контакт платформы для правоохранительных органов, «Кибернадзор»)
takedowns-basis = Правовое основание
takedowns-send-now = Отметить как отправленный сейчас
takedowns-hint = Запрос принимается, только если в деле есть фиксация этого ресурса и её файлы проходят проверку хэшей.
takedowns-open = Создать запрос
takedown-state-draft = черновик
takedown-state-sent = отправлен
takedown-state-acknowledged = получен платформой
takedown-state-removed = удалено
takedown-state-partially-removed = удалено частично
takedown-state-refused = отказ
takedown-state-no-reply = без ответа
takedown-state-withdrawn = отозван
takedown-action-send = отправить
takedown-action-reply = записать ответ
takedown-action-withdraw = отозвать
takedown-outcome-acknowledged = получен
takedown-outcome-removed = удалено
takedown-outcome-refused = отказ
takedown-outcome-partially = частично
takedown-outcome-no-reply = без ответа
platform-telegram = Telegram
platform-instagram = Instagram
platform-tiktok = TikTok
platform-vk = ВКонтакте
platform-whatsapp = WhatsApp
platform-youtube = YouTube
platform-website = сайт
platform-kibernadzor = «Кибернадзор»

## Cluster template
cluster-template = Шаблон объявлений
cluster-intro = { $count ->
    [one] { $count } отмеченный материал в этом кластере почти одинаковых текстов.
    [few] { $count } отмеченных материала в этом кластере почти одинаковых текстов.
    [many] { $count } отмеченных материалов в этом кластере почти одинаковых текстов.
   *[other] { $count } отмеченного материала в этом кластере почти одинаковых текстов.
}
cluster-slot = { $count ->
    [one] { $count } вариант
    [few] { $count } варианта
    [many] { $count } вариантов
   *[other] { $count } варианта
}

## Virtual identities
nav-identities = Виртуальные личности
identities-title = Контролируемые виртуальные личности
identities-intro = Оперативные аккаунты ведомства: работа с ними возможна только по действующему судебному разрешению для платформы и после подтверждения каждой гарантии против провокации (раздел 4.2 исследования). Каждое действие записывается.
identities-officer = Ответственный сотрудник
identities-authorisations = Судебные разрешения
identities-no-authorisation = Разрешений нет: операции невозможны.
identities-open-operation = Открыть операцию
identities-safeguards = Гарантии против провокации (подтвердите каждую)
identities-open = Открыть операцию

## Routing rule editor
rules-title = Правила маршрутизации
rules-open = Изменить правила
rules-text = Правила (TOML, format = 1)
rules-note = Причина изменения (сохраняется в истории)
rules-check = Проверить и показать затронутые дела
rules-save = Сохранить для всех серверов и обработчиков
rules-invalid = Правила содержат ошибки; ничего не сохранено:
rules-valid = Правила корректны:
rules-saved = Сохранены и действуют:
rules-refused = Не сохранено:
rules-sweep = Направления, которых требуют новые правила, отправляет задание
rules-no-impact = Ни одно открытое дело не будет направлено иначе.
rules-would-send = Будет направлено в
rules-would-hold = Требуется, но задержано
rules-no-longer = Больше не требуется (направление остаётся)
rules-history = История
rules-never-saved = Правила ещё не изменялись на сервере.
rules-version = Версия
rules-saved-at = Сохранено
rules-saved-by = Кем
lexicon-title = Словарь индикаторов
lexicon-open = Открыть словарь: файлы, предложения, как каждый индикатор проявляет себя при разборе
lexicon-in-force = Действует:
lexicon-entries = индикаторов и понижающих признаков
lexicon-approved-by = Утвердил(а)
lexicon-proposed-by = Предложил(а)
lexicon-builtin = Действует встроенный словарь Qorgau; изменения в этом сервере ещё не утверждались.
lexicon-applies = Утверждённый словарь применяется каждым запуском мониторинга и заданием сканирования со следующего старта; уже оценённые документы сохраняют указанную в них версию.
lexicon-files = Файлы
lexicon-file = Файл
lexicon-edit = Изменить
lexicon-new-file = Добавить файл
lexicon-proposals = Предложения
lexicon-no-proposals = Изменения ещё не предлагались.
lexicon-version = Версия
lexicon-state = Состояние
lexicon-in-force-tag = действует
lexicon-indicators = Индикаторы при разборе
lexicon-indicators-hint = По каждому индикатору: в скольких отмеченных документах он сработал и что аналитики решили по их сигналам. Высокая доля отклонённых с одними и теми же причинами показывает, где словарь ошибается.
lexicon-no-decisions = По отмеченным документам ещё нет решений.
lexicon-indicator = Индикатор
lexicon-fired = Сработал в
lexicon-accepted = Принято
lexicon-dismissed = Отклонено
lexicon-waiting = Ожидает
lexicon-reasons = Категории отклонения и последние причины
lexicon-edit-hint = Файл в формате TOML, описанном в README словаря. Проверка покажет ошибки или различия и архивные объявления, которые изменение отметит иначе; предложение вступает в силу только после утверждения другим человеком.
lexicon-invalid = Словарь не загружается; ничего не сохранено:
lexicon-valid = Изменённый словарь загружается:
lexicon-refused = Не сохранено:
lexicon-text = Содержимое (TOML)
lexicon-remove-file = Удалить этот файл из словаря
lexicon-note = Что меняется и почему (сохраняется с предложением)
lexicon-check = Проверить и показать эффект
lexicon-propose = Предложить на утверждение
lexicon-no-change = Ни один файл не отличается от действующего словаря.
lexicon-file-added = добавлен
lexicon-file-removed = удалён
lexicon-file-changed = изменён
lexicon-document = Документ
lexicon-risk = Риск (до → после)
lexicon-scenario = Сценарий (до → после)
lexicon-indicators-after = Индикаторы после изменения
lexicon-impact-checked = Архивных документов оценено обоими словарями:
lexicon-no-impact = Ни один архивный документ не будет отмечен иначе.
lexicon-newly-flagged = Будут отмечены впервые
lexicon-no-longer-flagged = Больше не будут отмечены
lexicon-scenario-changed = Отмечены по другому сценарию
lexicon-proposal = Предложение по словарю
lexicon-based-on = Изменено из версии
lexicon-reviewed-by = Рассмотрел(а)
lexicon-review-note = Обоснование решения
lexicon-stale-hint = После этого предложения было утверждено другое изменение: утверждение этого отменило бы его. Измените действующий словарь и предложите заново.
lexicon-approve = Утвердить и ввести в действие
lexicon-reject = Отклонить
lexicon-four-eyes = Предложение рассматривает руководитель, не являющийся его автором.
lexicon-diff = Изменения
lexicon-impact = Влияние на архив
lexicon-status-pending = ожидает рассмотрения
lexicon-status-stale = устарело
lexicon-status-approved = утверждено
lexicon-status-rejected = отклонено
import-open = Загрузить файл: транзакции или выгрузку для проверки
import-title = Загрузка файла в дело
import-money-title = Импорт транзакций
import-money-hint = Выгрузка обозревателя TRON или Ethereum, транзакции Bitcoin в JSON или банковская выписка с указанием столбцов. Ошибочные строки сообщаются с номером; остальное импортируется, хеши файла заносятся в журнал дела.
import-scan-title = Проверка выгрузки
import-scan-hint = Экспорт Telegram, собранные объявления или страницы: каждый документ оценивается утверждённым словарём; результат — файл для скачивания, по строке на документ.
import-format = Формат
import-map = Соответствие столбцов (банковские выписки)
import-text-column = CSV: столбец с текстом
import-file = Файл
import-start = Загрузить и начать
job-documents = документов
job-flagged = отмечено для проверки
job-rows = Прочитано строк
job-rows-new = Новых переводов
job-row-errors = Ошибочных строк (сообщены, не импортированы)
job-line = строка

## Зафиксированная страница на странице вещественного доказательства; хронология доменов-зеркал в сетях
captured-page = Зафиксированная страница
captured-no-links = Этот файл — часть фиксации страницы. Адреса показаны текстом, а не ссылками, чтобы никто не попал на сайт случайным щелчком: один щелчок выделяет адрес целиком, его можно скопировать в изолированный браузер. DOM и веб-архив — собственный код сайта: их можно только скачать, здесь они не показываются.
captured-url = Запрошенный адрес
captured-page-title = Заголовок страницы
captured-started = Начало фиксации
captured-finished = Окончание фиксации
captured-status = HTTP-статус
captured-no-status = нет ответа
captured-engine = Чем зафиксировано
captured-engine-browser = браузер без интерфейса (Chromium)
captured-engine-http = простой HTTP, без браузера
captured-kind-page = страница
captured-kind-channel = публичный канал
captured-time-stamp = Метка времени (RFC 3161)
captured-time-stamped = есть
captured-no-time-stamp = нет
captured-by = Кто зафиксировал
captured-screenshot = Снимок экрана
captured-text = Видимый текст
captured-text-logged = Прочитан через выдачу содержимого после повторного хеширования: каждый показ записывается в журнал хранения файла text.txt.
captured-text-too-large = Текст слишком длинный, чтобы показать его здесь.
captured-text-open = Открыть текстовый файл
captured-text-unreadable = Текст не удалось прочитать (проверка не пройдена или файла нет).
captured-files = Файлы этой фиксации
captured-role = Что это
captured-this-item = этот файл
captured-hostile = только скачивание: собственный код сайта
captured-role-warc = веб-архив (WARC)
captured-role-screenshot = снимок экрана
captured-role-dom = разметка страницы (DOM)
captured-role-title = заголовок
captured-role-text = видимый текст
captured-role-links = исходящие ссылки
captured-role-media = встроенные медиафайлы
captured-role-capture = сведения о фиксации
captured-role-manifest = манифест хешей
captured-role-time-stamp = токен метки времени
captured-role-post = публикация канала
captured-role-other = другой файл
mirror-title = Домены-зеркала
mirror-intro = Сайты, которые переезжают на новый домен, когда старый блокируют, сгруппированные механизмом выявления: строка на домен, полоса от первого до последнего обнаружения объявления на нём, крестик — объявление найдено удалённым; домены идут в порядке появления.
mirror-none = Среди отмеченных материалов доменов-зеркал нет.
mirror-more = Другие группы
mirror-group = Домены-зеркала
mirror-caption = { $count ->
    [one] { $name }: { $count } домен
    [few] { $name }: { $count } домена
    [many] { $name }: { $count } доменов
   *[other] { $name }: { $count } домена
}
mirror-why = Почему сгруппированы
mirror-timeline-hint = Полосы — от первого до последнего обнаружения объявления на домене; крестики — объявления найдены удалёнными; пунктир — переезд на следующий домен. Даты
mirror-domain = Домен
mirror-first-seen = Впервые обнаружен
mirror-last-seen = Последний раз обнаружен
mirror-deleted = Объявления найдены удалёнными
mirror-of = зеркало { $name }
mirror-reason-same-label = то же имя «{ $name }» в другой доменной зоне
mirror-reason-same-base = то же имя «{ $name }» с другими цифрами или словами версии
mirror-reason-look-alike = похожее написание «{ $name }» (омоглифы, leetspeak или IDN)
mirror-reason-same-content = почти одинаковое содержимое страниц ({ $count ->
    [one] отпечатки различаются на { $count } бит
    [few] отпечатки различаются на { $count } бита
    [many] отпечатки различаются на { $count } бит
   *[other] отпечатки различаются на { $count } бита
})
mirror-reason-shared-owner = то же имя «{ $name }», и объявления связаны общими идентификаторами
mirror-reason-near-name = { $count ->
    [one] имя отличается на { $count } символ
    [few] имя отличается на { $count } символа
    [many] имя отличается на { $count } символов
   *[other] имя отличается на { $count } символа
}

# Материалы, предположительно содержащие сексуальное насилие над детьми (issue 8)
restricted-banner = Отмечено как предполагаемые материалы сексуального насилия над детьми
restricted-short = материал ограниченного доступа
restricted-not-for-your-role = Этот объект отмечен как предполагаемые материалы сексуального насилия над детьми. Ваша роль не допускает просмотр.
restricted-reveal = Показать оригинал (с записью в журнал)
restricted-blur-again = Снова размыть
restricted-basis = Кем отмечено
restricted-basis-person = сотрудником, видевшим материал
restricted-basis-hash-list = по списку хешей компетентного органа
restricted-reason = Основание
restricted-matched-on = Совпавший хеш
restricted-marked = Отмечено
restricted-rules = По умолчанию показывается размытым и только следователям, руководителям и прокурорам; каждый показ записывается; никогда не передаётся как индикатор; для выгрузки нужна записанная санкция.
restricted-release-reason = Почему отметка ошибочна
restricted-release = Снять отметку
restricted-mark-title = Отметить как предполагаемые материалы сексуального насилия над детьми
restricted-mark-reason = Основание
restricted-mark = Отметить
restricted-history = Отметки и их снятие
restricted-action-mark = отмечено
restricted-action-clear = снято
exports-restricted = В деле есть объекты, отмеченные как предполагаемые материалы сексуального насилия над детьми: для выгрузки укажите реквизиты разрешающего решения, они будут записаны в журнал
exports-restricted-not-yours = В деле есть объекты, отмеченные как предполагаемые материалы сексуального насилия над детьми: выгружать его могут только следователи, руководители и прокуроры.
exports-authorisation = Разрешение (решение, номер, дата, кем выдано)

# Признаки подлинности (issue 8)
authenticity-title = Признаки подлинности
authenticity-open = Признаки подлинности
authenticity-back = К объекту
authenticity-not-a-verdict = Это наблюдения для эксперта, а не вывод: для каждого сказано, что оно может означать и чего не доказывает. Вывод делает только человек, и он записывается в журнал хранения.
authenticity-signals = Что обнаружили проверки
authenticity-no-signals = Проверки не обнаружили ничего особенного; о проверках, которые не удалось выполнить, см. примечания.
authenticity-level-note = примечание
authenticity-level-worth-examining = стоит изучить
authenticity-observed = Обнаружено
authenticity-may-mean = Может означать
authenticity-cannot-show = Не доказывает
authenticity-notes = Проверки, которые не удалось выполнить
authenticity-method = Методика
authenticity-quantisation = Таблицы квантования JPEG
authenticity-nearest-quality = Ближайшее стандартное качество (IJG):
authenticity-no-quality = Близкого стандартного качества нет
authenticity-standard-tables = стандартные таблицы IJG (программные кодировщики, мессенджеры, редакторы)
authenticity-custom-tables = нестандартные таблицы (прошивка камеры, некоторые редакторы)
authenticity-table = Таблица
authenticity-error-level = Анализ уровня ошибок (ELA)
authenticity-error-level-hint = Наглядное пособие: края и текстуры светятся сами по себе, а многократно пересохранённое изображение темно целиком. Каждый показ записывается.
authenticity-first-source = Первоисточник в хранилище
authenticity-first-is-this = Этот объект — самая ранняя копия изображения в хранилище
authenticity-first-acquired = Самая ранняя копия получена
authenticity-first-kind = Копия
authenticity-same-bytes = те же байты
authenticity-near-copy = то же изображение, перекодированное (расстояние pHash)
authenticity-first-item = Объект
authenticity-first-hidden = в деле, недоступном вам
authenticity-captured-from = Зафиксировано с адреса
authenticity-copies = Копий в хранилище
authenticity-conclusions = Выводы экспертов
authenticity-conclusion = Ваш вывод (что исследовано, что установлено и насколько уверенно)
authenticity-record = Записать в журнал
authenticity-record-hint = Записывается в журнал хранения объекта как «заключение эксперта» под вашим именем; изменить его потом нельзя.
identifier-image = изображение
