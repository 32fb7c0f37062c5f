### Texts shared by every part of Qorgau. Russian is the primary language.

# A number of files; $count is a number (plural forms: 1 файл, 2 файла, 5 файлов).
count-files = { $count ->
    [one] { $count } файл
    [few] { $count } файла
    [many] { $count } файлов
   *[other] { $count } файла
}
# A size in bytes; $count is a number.
count-bytes = { $count ->
    [one] { $count } байт
    [few] { $count } байта
    [many] { $count } байт
   *[other] { $count } байта
}
# A number of pages; $count is a number.
count-pages = { $count ->
    [one] { $count } страница
    [few] { $count } страницы
    [many] { $count } страниц
   *[other] { $count } страницы
}
# Shown where a value was not recorded at capture time.
not-recorded = не зафиксировано
yes = да
no = нет
