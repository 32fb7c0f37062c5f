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
capture-final-url = Итоговый адрес
capture-items = Файлов
capture-manifest = SHA-256 манифеста
capture-partial = ЧАСТИЧНАЯ фиксация

## Money
case-money = Деньги: переводы и красные флаги
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
network-intro = Отмеченные материалы, связанные общими телефонами, аккаунтами, картами и доменами, как их связала система обнаружения. Узлы-«хабы» (общие сервисы) связями не считаются.
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
