### Protocol of inspection of an internet resource («протокол осмотра
### интернет-ресурса», study 2.3.2 and 5.3): what the investigator hands
### over before a resource is blocked.

protocol-doc-title = Протокол осмотра интернет-ресурса
protocol-heading = ПРОТОКОЛ
protocol-subheading = осмотра интернет-ресурса
# $case is the case number, $title its title.
protocol-case-line = по делу (материалу) № { $case } «{ $title }»

## 1. General information

section-general = 1. Общие сведения
field-place = Место составления
field-started = Осмотр начат
field-finished = Осмотр окончен
field-inspector = Лицо, производившее осмотр
field-participants = Участвующие лица
field-grounds = Основание и цель осмотра
field-tool = Программное средство
field-host = Компьютер (имя узла)
field-source-ip = Сетевой адрес, с которого производился осмотр
# $name, $version of the software.
tool-value = { $name }, версия { $version }
# $utc and $local are date-times "YYYY-MM-DD HH:MM:SS", $offset like "+05:00".
time-both = { $utc } UTC ({ $local } по времени Алматы, UTC{ $offset })
# A step's time: Almaty local time first, UTC in brackets.
time-step = { $local } ({ $utc } UTC)
role-specialist = специалист
role-witness = понятой
role-interpreter = переводчик
role-other = участвующее лицо
# $count targets were inspected.
protocol-intro = С использованием указанного программного средства произведён осмотр { $count ->
    [one] { $count } интернет-ресурса
   *[other] { $count } интернет-ресурсов
}, перечисленных ниже. Доступ к ресурсам осуществлялся через сеть Интернет; содержимое зафиксировано в виде снимков экрана, кода страниц (HTML), записи сетевого обмена (WARC) и метаданных. Для каждого полученного файла сразу вычислены хэш-значения MD5 и SHA-256; дальнейшая работа ведётся только с копиями.

## 2. What the inspection found

section-targets = 2. Осмотром установлено
# $n-th of $total targets.
target-heading = Ресурс { $n } из { $total }
field-url = Адрес (URL)
field-final-url = Итоговый адрес после перенаправлений
field-server-ip = IP-адрес сервера
field-title = Заголовок страницы
field-http-status = Код ответа HTTP
field-tls = Сертификат TLS
tls-value = владелец: { $subject }; издатель: { $issuer }; действителен с { $from } по { $to }
field-captured = Время фиксации
target-partial = Фиксация неполная: { $reason }
target-partial-no-reason = Фиксация неполная; причина не указана.
steps-heading = Ход осмотра
steps-col-time = Время (Алматы)
steps-col-action = Действие
step-open = Открыт адрес { $url }
step-redirect = Перенаправление (HTTP { $status }) с { $from } на { $to }
step-loaded = Страница загружена, сетевая активность завершилась
step-scrolled = Страница прокручена до конца для загрузки отложенного содержимого
step-screenshot = Сделан снимок экрана всей страницы: { $file }
step-dom = Сохранён код страницы (HTML): { $file }
step-warc = Сетевой обмен сохранён в формате WARC: { $file }
step-hashed = Вычислены хэш-значения MD5 и SHA-256 { $count ->
    [one] { $count } файла
   *[other] { $count } файлов
}
step-timeout = Страница не загрузилась полностью за { $seconds } с; зафиксировано загруженное содержимое
step-timestamp = Получена метка времени службы { $authority }
screenshots-heading = Снимки экрана
# $width and $height in pixels.
screenshot-caption = Снимок экрана «{ $name }» ({ $width }×{ $height } пикс.)
screenshot-continued = Снимок экрана «{ $name }», продолжение (часть { $part } из { $parts })
hash-sha256 = SHA-256: { $hash }
hash-md5 = MD5: { $hash }
no-targets = Ресурсы не осматривались.

## 3. Files

section-files = 3. Файлы, полученные в ходе осмотра
files-intro = Все файлы помещены в хранилище доказательств без изменений; для каждого вычислены хэш-значения MD5 и SHA-256.
files-col-no = №
files-col-name = Файл
files-col-kind = Вид
files-col-size = Размер, байт
files-col-hashes = Хэш-значения
# $count files, $bytes bytes in total.
files-total = Всего { $count ->
    [one] { $count } файл
    [few] { $count } файла
    [many] { $count } файлов
   *[other] { $count } файла
} общим размером { $bytes ->
    [one] { $bytes } байт
    [few] { $bytes } байта
    [many] { $bytes } байт
   *[other] { $bytes } байта
}.
file-kind-warc = сетевой обмен (WARC)
file-kind-screenshot = снимок экрана
file-kind-dom = код страницы (HTML)
file-kind-title = заголовок страницы
file-kind-text = видимый текст
file-kind-links = список ссылок
file-kind-media = медиафайл
file-kind-capture = сведения о фиксации
file-kind-post = публикация
file-kind-manifest = манифест
file-kind-timestamp = метка времени

## 4. Verification

section-verify = 4. Проверка целостности
field-public-key = Открытый ключ (Ed25519)
field-manifest = Хэш манифеста (SHA-256)
field-signature = Подпись (Ed25519)
field-timestamps = Метки времени (RFC 3161)
timestamp-value = { $authority }, { $time }, серийный номер { $serial }
timestamp-token = SHA-256 метки: { $hash }
verify-intro = Целостность материалов проверяется без доступа к сети:
verify-step-hashes = вычислите хэш-значения каждого файла командами «sha256sum ФАЙЛ» и «md5sum ФАЙЛ» и сравните их со значениями в таблице раздела 3;
verify-step-qorgau = выполните «qorgau verify» для хранилища или экспортированного пакета: программа проверяет цепочку записей журнала хранения, подписи Ed25519 и хэш-значения всех файлов;
verify-step-key = убедитесь, что подписи выполнены ключом, открытая часть которого приведена выше;
verify-step-timestamp = метку времени проверьте командой «openssl ts -verify» с сертификатом службы меток времени.

## 5. Closing

section-closing = 5. Заключительные сведения
closing-text = Протокол составлен с использованием программного средства; сведения о времени, адресах и хэш-значения внесены в него автоматически. Протокол прочитан участвующими лицами.
closing-remarks = Заявления и замечания участвующих лиц:
signatures-heading = Подписи
sig-inspector = Лицо, производившее осмотр
sig-signature = (подпись)
sig-name = (фамилия, инициалы)
# Page footer: page $page of $total.
footer-page = стр. { $page } из { $total }
footer-case = Протокол осмотра интернет-ресурса · дело № { $case }
