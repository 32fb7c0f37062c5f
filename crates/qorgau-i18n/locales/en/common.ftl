### Texts shared by every part of Qorgau (English).

count-files = { $count ->
    [one] { $count } file
   *[other] { $count } files
}
count-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
count-pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
not-recorded = not recorded
yes = yes
no = no
