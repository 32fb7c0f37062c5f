### Texts shared by every part of Qorgau (Kazakh).

# A number of files; in Kazakh the noun does not change after a numeral.
count-files = { $count ->
    [one] { $count } файл
   *[other] { $count } файл
}
count-bytes = { $count ->
    [one] { $count } байт
   *[other] { $count } байт
}
count-pages = { $count ->
    [one] { $count } бет
   *[other] { $count } бет
}
not-recorded = тіркелмеген
yes = иә
no = жоқ
