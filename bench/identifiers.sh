#!/usr/bin/env bash
# Benchmark: identifier extraction (qorgau-identifiers) against bulk_extractor
# on about 1 GiB of mixed text (issue 3, "Speed").
#
#   bench/identifiers.sh [SIZE_BYTES] [AD_SHARE] [RUNS]
#   bench/identifiers.sh 1073741824 0.10 3        # the defaults
#
#  1. A synthetic corpus is written to $BENCH_DIR (default
#     /tmp/qorgau-identifiers) unless it is there already: chat exports
#     (Telegram and WhatsApp text exports) and HTML pages in Russian, Kazakh
#     and English where most lines hold no identifier, and a share of ads
#     from ../shared/data/gen_corpus.py (pool_dev.py). Documents are
#     separated by blank lines. Every identifier the generator inserts is
#     recorded with its byte offset (mix.truth.tsv); the ads' identifiers
#     are located by their `raw` forms. Nothing of it is kept in the
#     repository.
#  2. Both tools run on the same file in one hyperfine run, one thread each,
#     each writing its features: Qorgau's `extract_file` example (reads the
#     file in 8 MiB chunks of whole lines, one document per blank-line
#     block, `Extractor::extract`), and bulk_extractor with only the
#     scanners that report the kinds both find (`email`: e-mail, domain,
#     URL; `accts`: telephone, card numbers), `-j 1`.
#  3. The features of one more run of each are scored against the truth
#     (recall per kind and way of writing; features on no inserted
#     identifier), by the Python code at the end of this script.
#
# bulk_extractor is not built by this script: build bulk_extractor 2.2 from
# its public repository (simsong/bulk_extractor) as its INSTALL describes,
# and point BULK_EXTRACTOR at the binary (default /tmp/be/src/bulk_extractor).
# Without it, only Qorgau is measured and scored.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1073741824}"
ad_share="${2:-0.10}"
runs="${3:-3}"
work="${BENCH_DIR:-/tmp/qorgau-identifiers}"
data="${QORGAU_DATA:-$PWD/../shared/data}"
be="${BULK_EXTRACTOR:-/tmp/be/src/bulk_extractor}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
mkdir -p "$work"
corpus="$work/mix-$size-$ad_share"

cat > "$work/gen_mixed.py" <<'PY'
"""Mixed-text corpus for the identifier benchmark (synthetic; no real data).

Writes OUT.txt (documents separated by blank lines: chat exports, HTML pages,
ads) and OUT.truth.tsv (one line per identifier this script inserted:
byte offset, byte length, kind, value, category). Ads come from
gen_corpus.py (their truth is located in the text by their `raw` forms).

    python3 gen.py --out PREFIX --size BYTES --ads ADS_PREFIX [--ad-share 0.15] [--seed 11]
"""
import argparse
import json
import random

# --- filler text: everyday chat and page sentences (no identifiers) ---------

CHAT = {
    "ru": [
        "привет, ты где?", "я уже подъезжаю, буду минут через {n}", "ок, понял",
        "скинь фотки с выходных", "завтра в {t} у входа", "мама просила купить хлеб и молоко",
        "кто идёт на день рождения в субботу?", "сколько стоит? я видел за {p} тг",
        "автобус {n} опять опаздывает 😡", "спасибо большое!", "а что задали по алгебре?",
        "давай созвонимся вечером", "я на работе до {t}", "посмотри, какая погода в Астане",
        "у нас дома отключили свет", "ну ты даёшь 😂😂", "встречаемся у ТРЦ в {t}",
        "не забудь зарядку", "он сказал, что перезвонит", "заказ №{o} пришёл, забери",
        "цена снизилась до {p} ₸, берём?", "всех с праздником! 🎉", "в {t} пара в 305 аудитории",
        "я заболела, завтра не приду", "кинь ссылку на фильм, который ты говорил",
        "скидка {n}% до конца недели", "квартира на {n} этаже, без лифта", "сдачу оставь себе",
        "рейс задерживают на {n} минут", "поздравляю с днём рождения, будь счастлива!",
        "кто-нибудь знает хорошего стоматолога?", "собрание жильцов {d} в {t}",
    ],
    "kk": [
        "сәлем, қалайсың?", "қазір келемін, {n} минут күт", "рахмет, жақсы",
        "ертең сағат {t}-де кездесеміз", "анам нан мен сүт алып кел деді", "бағасы қанша? {p} теңге ме?",
        "автобус {n} тағы кешікті", "үй тапсырмасы не?", "кешке хабарласайық",
        "жұмыста {t}-ге дейін боламын", "туған күніңмен құттықтаймын! 🎉", "бүгін ауа райы суық",
        "тапсырыс №{o} келді", "жеңілдік {n}% апта соңына дейін", "кім сенбіде тойға барады?",
        "сабақ {t}-де басталады", "мен ауырып қалдым, ертең келмеймін", "Алматыда қар жауып тұр",
        "жиналыс {d} күні сағат {t}-де", "көлік жөндеуге {p} теңге кетті",
    ],
    "en": [
        "hey, where are you?", "running late, see you in {n} min", "ok sounds good",
        "send me the photos from the weekend", "meeting at {t} tomorrow", "how much was it? I saw it for ${n}",
        "thanks a lot!", "did you finish the report?", "call me tonight", "I'm at work until {t}",
        "happy birthday!! 🎉", "order #{o} has shipped", "flight delayed by {n} minutes",
        "the lecture moved to room 305 at {t}", "lol 😂", "anyone know a good dentist?",
    ],
}
NAMES = ["Айгерим", "Дамир", "Асель", "Нурлан", "Мадина", "Ержан", "Дана", "Арман", "Алия",
         "Тимур", "Жанна", "Ислам", "Kate", "Max", "Сауле", "Бекзат", "Гульнара", "Олег",
         "Марина", "Асхат", "Данияр", "Камила"]

PAGE = {
    "ru": [
        "В Алматы открылся новый центр обслуживания населения.",
        "По данным департамента, за {n} месяцев построено {n} школ.",
        "Стоимость проезда в общественном транспорте составит {p} тенге.",
        "Синоптики обещают похолодание до минус {n} градусов.",
        "Матч состоится {d} на Центральном стадионе, начало в {t}.",
        "Акимат города сообщает о ремонте дорог на проспекте Абая.",
        "Участники форума обсудили развитие малого бизнеса в регионах.",
        "Приём документов продлится до {d}.",
        "Новая линия метро обойдётся бюджету в {p} млн тенге.",
        "В продаже появились билеты на концерт симфонического оркестра.",
        "Цена товара: {p} ₸, доставка по городу бесплатно.",
        "Отзывы покупателей помогают нам становиться лучше.",
        "Статья обновлена {d} в {t}.",
        "Адрес: г. Астана, ул. Кенесары, {n}, офис {n}.",
        "Режим работы: пн–пт с {t} до 18:00.",
        "Мы используем файлы cookie, чтобы сайт работал лучше.",
    ],
    "kk": [
        "Алматыда халыққа қызмет көрсету орталығы ашылды.",
        "Деректер бойынша {n} айда {n} мектеп салынды.",
        "Қоғамдық көліктегі жол ақысы {p} теңге болады.",
        "Синоптиктер аяз {n} градусқа дейін күшейеді дейді.",
        "Ойын {d} күні орталық стадионда, сағат {t}-де басталады.",
        "Құжаттарды қабылдау {d} дейін созылады.",
        "Форумға қатысушылар шағын бизнесті дамыту мәселесін талқылады.",
        "Тауардың бағасы: {p} ₸, қала ішінде жеткізу тегін.",
        "Мекенжай: Астана қ., Кенесары к-сі, {n}.",
    ],
    "en": [
        "The city council approved the new transport plan on {d}.",
        "Tickets go on sale at {t} and cost ${n}.",
        "According to the ministry, {n} new schools were built this year.",
        "Free shipping on orders over ${n}.",
        "This article was last updated on {d}.",
        "We use cookies to improve your experience.",
        "Customer reviews help us get better every day.",
        "Opening hours: Mon-Fri {t} to 6 pm.",
    ],
}
TITLES = {"ru": ["Новости", "Каталог", "О компании", "Объявления", "Форум"],
          "kk": ["Жаңалықтар", "Каталог", "Біз туралы", "Хабарландырулар"],
          "en": ["News", "Catalog", "About us", "Classifieds", "Forum"]}

# --- identifiers --------------------------------------------------------------

STEMS = ["aigerim", "damir", "asel", "nurlan", "madina", "erzhan", "dana", "arman", "aliya",
         "timur", "zhanna", "saule", "bekzat", "kamila", "daniyar", "ruslan", "info", "office",
         "hr", "manager", "sales", "admin"]
MAILHOSTS = ["mail.ru", "gmail.com", "mail.kz", "inbox.ru", "yandex.kz", "bk.ru", "list.ru"]
SITES = ["dala-news", "qala-info", "tulpar-media", "shanyraq-market", "alatau-shop", "steppe-job",
         "nomad-travel", "qyzmet-online", "baspana-plus", "jana-qala", "sapa-service", "orken-edu"]
TLDS = ["kz", "kz", "kz", "com", "net", "org", "ru", "com.kz", "org.kz"]
KZ_MOBILE = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]
RU_WORDS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
KK_WORDS = ["нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
KEYCAP = "\ufe0f\u20e3"


class Piece:
    """An identifier as written plus what it is (possibly several kinds)."""
    __slots__ = ("raw", "items")

    def __init__(self, raw, items):
        self.raw = raw
        self.items = items  # [(kind, value, category)]


def digits(r, n):
    return "".join(r.choice("0123456789") for _ in range(n))


def kz_mobile(r):
    return "7" + r.choice(KZ_MOBILE) + digits(r, 7)  # international digits, no '+'


def phone_piece(r):
    """A phone number in one of the ways people write them."""
    x = r.random()
    if x < 0.70:
        d = kz_mobile(r)
        op, a, b, c, e = d[1:4], d[4:7], d[7:9], d[9:11], d[4:11]
        forms = [
            ("+" + d, "kz_mobile_compact"), ("8" + d[1:], "kz_mobile_compact"),
            (f"8 {op} {a} {b} {c}", "kz_mobile_written"), (f"+7 {op} {a} {b} {c}", "kz_mobile_written"),
            (f"8 ({op}) {a}-{b}-{c}", "kz_mobile_written"), (f"+7 ({op}) {e}", "kz_mobile_written"),
            (f"8-{op}-{a}-{b}-{c}", "kz_mobile_written"), (f"8({op}){e}", "kz_mobile_written"),
            (f"+7 {op} {a} {b}{c}", "kz_mobile_written"), (f"8 {op} {e}", "kz_mobile_written"),
        ]
        y = r.random()
        if y < 0.75:
            raw, cat = r.choice(forms)
        else:
            cat = "kz_mobile_obfuscated"
            z = r.randrange(6)
            nat = "8" + d[1:]
            if z == 0:
                raw = " ".join(nat)
            elif z == 1:
                words = RU_WORDS if r.random() < 0.6 else KK_WORDS
                raw = " ".join(words[int(c)] for c in nat[:4]) + f" {a} {b} {c}"
            elif z == 2:
                raw = "".join(c + KEYCAP for c in nat)
            elif z == 3:
                raw = f"8 {op} {a} {b} {c}".replace("0", "О", 1) if "0" in op + a else f"8.{op}.{a}.{b}.{c}"
            elif z == 4:
                raw = f"8{op}\u200b{a}\u200b{b}{c}"
            else:
                raw = f"8.{op}.{a}.{b}.{c}"
        return Piece(raw, [("phone", "+" + d, cat)])
    if x < 0.82:
        if r.random() < 0.5:
            d = "7727" + r.choice("23") + digits(r, 6)
            raw = f"+7 (727) {d[4:7]}-{d[7:9]}-{d[9:11]}"
        else:
            d = "77172" + r.choice("2345") + digits(r, 5)
            raw = f"8 (7172) {d[5:7]}-{d[7:9]}-{d[9:11]}"
        return Piece(raw, [("phone", "+" + d, "kz_landline")])
    z = r.randrange(6)
    if z == 0:
        d = "9715" + r.choice("024568") + digits(r, 7)
        raw = f"+971 {d[3:5]} {d[5:8]} {d[8:]}"
    elif z == 1:
        d = "905" + r.choice("345") + digits(r, 8)
        raw = f"+90 {d[2:5]} {d[5:8]} {d[8:10]} {d[10:]}"
    elif z == 2:
        d = "8210" + digits(r, 8)
        raw = f"+82 10-{d[4:8]}-{d[8:]}"
    elif z == 3:
        d = "996" + r.choice(["555", "700", "770", "550"]) + digits(r, 6)
        raw = f"+996 {d[3:6]} {d[6:9]} {d[9:]}"
    elif z == 4:
        d = "998" + r.choice(["90", "91", "93", "94", "97", "99"]) + digits(r, 7)
        raw = f"+998 {d[3:5]} {d[5:8]} {d[8:10]} {d[10:]}"
    else:
        d = "79" + r.choice(["16", "26", "03", "85"]) + digits(r, 7)
        raw = f"+7 {d[1:4]} {d[4:7]}-{d[7:9]}-{d[9:]}"
    return Piece(raw, [("phone", "+" + d, "foreign")])


def email_piece(r, cyrillic, obf=True):
    local = r.choice(STEMS) + r.choice(["", ".", "_"]) + (r.choice(STEMS) if r.random() < 0.4 else "") + (
        str(r.randrange(1, 999)) if r.random() < 0.5 else "")
    local = local.strip("._") or "info"
    host = r.choice(MAILHOSTS) if r.random() < 0.7 else r.choice(SITES) + "." + r.choice(TLDS)
    value = f"{local}@{host}"
    x = r.random()
    if obf and x < 0.2:
        hl, ht = host.split(".", 1)
        if cyrillic and r.random() < 0.7:
            raw = f"{local} собака {hl} точка {ht}"
        else:
            raw = r.choice([f"{local}(at){host}", f"{local} [at] {hl} [dot] {ht}", f"{local} (at) {hl} (dot) {ht}"])
        cat = "email_obfuscated"
    else:
        raw = value if r.random() < 0.8 else local.capitalize() + "@" + host
        cat = "email_cyrillic_text" if cyrillic else "email_latin_text"
    return Piece(raw, [("email", value, cat)])


def site(r):
    return r.choice(SITES) + ("" if r.random() < 0.7 else str(r.randrange(2, 9))) + "." + r.choice(TLDS)


def url_piece(r):
    dom = site(r)
    x = r.random()
    path = "/" + r.choice(["news", "vacancy", "catalog", "page", "d/obyavlenie"]) + "/" + str(r.randrange(100, 99999))
    if x < 0.4:
        raw = f"https://{dom}{path}"
    elif x < 0.6:
        raw = f"https://www.{dom}{path}"
    elif x < 0.75:
        raw = f"www.{dom}"
    elif x < 0.85:
        raw = f"http://{dom}/"
    else:
        return Piece(dom, [("domain", dom, "domain_bare")])
    return Piece(raw, [("url", raw, "url"), ("domain", dom, "domain_in_link")])


def luhn_complete(p):
    s = 0
    for i, c in enumerate(reversed(p)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return p + str((10 - s % 10) % 10)


def card_piece(r):
    d = luhn_complete(r.choice(["4400", "4405", "5169", "4263", "5522"]) + digits(r, 11))
    raw = d if r.random() < 0.4 else " ".join(d[i:i + 4] for i in range(0, 16, 4))
    return Piece(raw, [("card", d, "card")])


LEADS = {
    "phone": {"ru": ["мой номер {}", "звони {}", "тел.: {}", "вот мой телефон {}, пиши в любое время"],
              "kk": ["менің нөмірім {}", "хабарлас: {}", "телефон: {}"],
              "en": ["my number is {}", "call me at {}", "phone: {}"]},
    "email": {"ru": ["пиши на почту {}", "почта — {}, жду", "резюме на {}"],
              "kk": ["поштаға жаз {}", "түйіндемені {} жіберіңіз"],
              "en": ["email me at {}", "send it to {} please"]},
    "url": {"ru": ["вот ссылка: {}", "смотри тут {}", "сайт {}"],
            "kk": ["сілтеме: {}", "сайт: {}"],
            "en": ["link: {}", "check {} out"]},
    "card": {"ru": ["переведи на карту {}", "карта {}"],
             "kk": ["картаға аудар {}", "карта: {}"],
             "en": ["card {}", "pay to card {}"]},
}


def ident(r, lang):
    x = r.random()
    cyr = lang != "en"
    if x < 0.45:
        p, k = phone_piece(r), "phone"
    elif x < 0.70:
        p, k = email_piece(r, cyr), "email"
    elif x < 0.92:
        p, k = url_piece(r), "url"
    else:
        p, k = card_piece(r), "card"
    return p, r.choice(LEADS[k][lang]).split("{}")


def fill(r, s):
    return s.format(n=r.randrange(1, 60), t=f"{r.randrange(8, 23)}:{r.choice(['00', '15', '30', '45'])}",
                    p=f"{r.randrange(1, 99)} {r.randrange(0, 999):03d}", d=f"{r.randrange(1, 29):02d}.{r.randrange(1, 13):02d}.2024",
                    o=r.randrange(100000, 9999999))


class Writer:
    def __init__(self, out, truth):
        self.out, self.truth, self.pos = out, truth, 0
        self.buf, self.tbuf = [], []

    def text(self, s):
        self.buf.append(s)
        self.pos += len(s.encode())

    def piece(self, p):
        n = len(p.raw.encode())
        for kind, value, cat in p.items:
            self.tbuf.append(f"{self.pos}\t{n}\t{kind}\t{value}\t{cat}\n")
        self.buf.append(p.raw)
        self.pos += n

    def flush(self):
        self.out.write("".join(self.buf))
        self.truth.write("".join(self.tbuf))
        self.buf, self.tbuf = [], []


def chat(r, w):
    lang = r.choices(["ru", "kk", "en"], [0.55, 0.3, 0.15])[0]
    people = r.sample(NAMES, 2)
    style = r.random() < 0.5
    day = f"{r.randrange(1, 29):02d}.{r.randrange(1, 13):02d}.2024"
    for _ in range(r.randrange(8, 60)):
        h, m = r.randrange(7, 24), r.randrange(60)
        who = r.choice(people)
        w.text(f"[{day} {h:02d}:{m:02d}:{r.randrange(60):02d}] {who}: " if style else f"{day}, {h:02d}:{m:02d} - {who}: ")
        if r.random() < 0.025:
            p, lead = ident(r, lang)
            w.text(lead[0])
            w.piece(p)
            w.text(lead[1])
        else:
            w.text(fill(r, r.choice(CHAT[lang])))
            if r.random() < 0.3:
                w.text(" " + fill(r, r.choice(CHAT[lang])))
        w.text("\n")
    w.text("\n")


def page(r, w):
    lang = r.choices(["ru", "kk", "en"], [0.5, 0.3, 0.2])[0]
    title = r.choice(TITLES[lang])
    w.text(f"<html><head><title>{title}</title></head><body>\n<div class=\"menu\"><a href=\"/\">{title}</a> | <a href=\"/about\">{r.choice(TITLES[lang])}</a></div>\n")
    for _ in range(r.randrange(3, 14)):
        w.text("<p>")
        for k in range(r.randrange(1, 6)):
            w.text(fill(r, r.choice(PAGE[lang])) + " ")
        if r.random() < 0.06:
            w.text("<a href=\"")
            p = url_piece(r)
            w.piece(p)
            w.text(f"\">{r.choice(TITLES[lang])}</a>")
        w.text("</p>\n")
    if r.random() < 0.4:
        w.text("<footer>© 2024 ")
        w.text({"ru": "Тел.: ", "kk": "Тел.: ", "en": "Phone: "}[lang])
        w.piece(phone_piece(r))
        w.text(", e-mail: ")
        w.piece(email_piece(r, lang != "en", obf=False))
        w.text("</footer>\n")
    w.text("</body></html>\n\n")


def ads(prefix):
    with open(prefix + ".jsonl", encoding="utf-8") as d, open(prefix + ".truth.jsonl", encoding="utf-8") as t:
        for dl, tl in zip(d, t):
            yield json.loads(dl)["text"], json.loads(tl)["identifiers"]


def ad(w, text, ids):
    text = text.replace("\n\n", "\n")
    base = w.pos
    enc = None
    for i in ids:
        for raw in i["raw"]:
            k = text.find(raw)
            while k >= 0:
                if enc is None:
                    enc = [0]
                    for c in text:
                        enc.append(enc[-1] + len(c.encode()))
                s, e = enc[k], enc[k + len(raw)]
                w.tbuf.append(f"{base + s}\t{e - s}\t{i['kind']}\t{i['value']}\tad\n")
                k = text.find(raw, k + 1)
    w.text(text + "\n\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--ads", required=True)
    ap.add_argument("--ad-share", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    r = random.Random(a.seed)
    ad_iter = ads(a.ads)
    ad_bytes = 0
    with open(a.out + ".txt", "w", encoding="utf-8") as out, open(a.out + ".truth.tsv", "w", encoding="utf-8") as truth:
        w = Writer(out, truth)
        while w.pos < a.size:
            if ad_bytes < a.ad_share * w.pos:
                nxt = next(ad_iter, None)
                if nxt is None:
                    ad_iter = ads(a.ads)
                    continue
                before = w.pos
                ad(w, *nxt)
                ad_bytes += w.pos - before
            elif r.random() < 0.6:
                chat(r, w)
            else:
                page(r, w)
            if len(w.buf) > 20000:
                w.flush()
        w.flush()


if __name__ == "__main__":
    main()
PY

cat > "$work/score.py" <<'PY'
"""Recall and false alarms of Qorgau and bulk_extractor against the truth.

    python3 score.py TEXT TRUTH.tsv QORGAU.tsv [BE_OUTDIR]

Each inserted identifier counts once per document (the file is cut into
documents at blank lines, as the scan contract reports each identifier once
per document); it is found by a tool when the tool reported a feature of the
same kind in the same document whose value means the same identifier (see
`same`). Only the kinds both
tools report are compared: phone, email, url, domain, card. A feature that
overlaps no inserted identifier of any kind is a false alarm.
"""
import bisect
import os
import re
import sys
from collections import defaultdict

KINDS = ["phone", "email", "url", "domain", "card"]
BE_FILES = {"telephone.txt": "phone", "email.txt": "email", "url.txt": "url",
            "domain.txt": "domain", "ccn.txt": "card"}


def digits(s):
    return re.sub(r"[^0-9]", "", s)


def bare_url(s):
    s = s.lower()
    s = re.sub(r"^[a-z]+://", "", s)
    return s.rstrip("/")


def same(kind, truth, got, tool):
    if tool == "qorgau":
        return truth == got
    if kind == "phone":
        # Generous to bulk_extractor: the same national significant number.
        t, g = digits(truth), digits(got)
        return len(g) >= 9 and t[-9:] == g[-9:]
    if kind == "email":
        return truth.lower() == got.lower()
    if kind == "domain":
        g = got.lower()
        return g == truth or g.endswith("." + truth)
    if kind == "url":
        return bare_url(truth) == bare_url(got)
    if kind == "card":
        return digits(got) == truth
    return False


def read_truth(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            off, n, kind, value, cat = line.rstrip("\n").split("\t")
            out.append((int(off), int(n), kind, value, cat))
    return out


def read_qorgau(path):
    feats = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            off, n, kind, value = line.rstrip("\n").split("\t", 3)
            feats[kind].append((int(off), int(n), value))
    return feats


def unescape_be(s):
    # bulk_extractor writes non-printable and non-ASCII bytes as \xHH.
    return re.sub(r"\\x([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), s)


def read_be(outdir):
    feats = defaultdict(list)
    for name, kind in BE_FILES.items():
        p = os.path.join(outdir, name)
        if not os.path.exists(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2 or not parts[0].isdigit():
                    continue  # decoded data (e.g. "123-GZIP-0") has no file offset
                value = unescape_be(parts[1])
                feats[kind].append((int(parts[0]), len(value.encode("latin-1", "replace")), value))
    return feats


def index(feats):
    for k in feats:
        feats[k].sort()
    return {k: ([x[0] for x in v], v) for k, v in feats.items()}


def overlapping(idx, kind, off, n, maxlen=512):
    if kind not in idx:
        return []
    starts, v = idx[kind]
    lo = bisect.bisect_left(starts, off - maxlen)
    hi = bisect.bisect_left(starts, off + max(n, 1))
    return [x for x in v[lo:hi] if x[0] < off + max(n, 1) and x[0] + max(x[1], 1) > off]


def doc_starts(path):
    """Start offsets of the documents (the file is cut at blank lines)."""
    import mmap
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        starts = [0]
        k = m.find(b"\n\n")
        while k >= 0:
            starts.append(k + 2)
            k = m.find(b"\n\n", k + 2)
    return starts


def score(truth, feats, tool, docs):
    doc = lambda off: bisect.bisect_right(docs, off) - 1
    by_doc = defaultdict(list)
    for kind in KINDS:
        for off, n, value in feats.get(kind, []):
            by_doc[(doc(off), kind)].append(value)
    found = defaultdict(lambda: [0, 0])
    seen = set()
    for off, n, kind, value, cat in truth:
        if kind not in KINDS:
            continue
        d = doc(off)
        # Each identifier once per document, as the scan contract reports it.
        if (d, kind, value) in seen:
            continue
        seen.add((d, kind, value))
        key = (kind, cat)
        found[key][1] += 1
        if any(same(kind, value, g, tool) for g in by_doc.get((d, kind), [])):
            found[key][0] += 1
    # False alarms: features overlapping no truth identifier at all.
    spans = sorted((off, off + max(n, 1)) for off, n, *_ in truth)
    starts = [s for s, _ in spans]
    alarms = defaultdict(lambda: [0, 0])
    for kind in KINDS:
        for off, n, _ in feats.get(kind, []):
            alarms[kind][1] += 1
            k = bisect.bisect_right(starts, off + max(n, 1)) - 1
            hit = False
            while k >= 0 and starts[k] > off - 512:
                if spans[k][1] > off and spans[k][0] < off + max(n, 1):
                    hit = True
                    break
                k -= 1
            if not hit:
                alarms[kind][0] += 1
    return found, alarms


def main():
    text, truth = sys.argv[1], read_truth(sys.argv[2])
    docs = doc_starts(text)
    results = {"qorgau": score(truth, read_qorgau(sys.argv[3]), "qorgau", docs)}
    if len(sys.argv) > 4 and os.path.isdir(sys.argv[4]):
        results["bulk_extractor"] = score(truth, read_be(sys.argv[4]), "bulk_extractor", docs)
    tools = list(results)
    keys = sorted(set(k for r in results.values() for k in r[0]), key=lambda k: (KINDS.index(k[0]), k[1]))
    print("| kind | written as | inserted | " + " | ".join(f"{t} recall" for t in tools) + " |")
    print("|---|---|---:|" + "---:|" * len(tools))
    tot = {t: [0, 0] for t in tools}
    for k in keys:
        n = results[tools[0]][0][k][1]
        cells = []
        for t in tools:
            f, m = results[t][0][k]
            tot[t][0] += f
            tot[t][1] += m
            cells.append(f"{f / m:.3f}" if m else "-")
        print(f"| {k[0]} | {k[1]} | {n} | " + " | ".join(cells) + " |")
    print("| all | | {} | ".format(tot[tools[0]][1]) + " | ".join(f"{tot[t][0] / max(tot[t][1], 1):.3f}" for t in tools) + " |")
    print()
    print("| kind | " + " | ".join(f"{t} features (not on an inserted identifier)" for t in tools) + " |")
    print("|---|" + "---:|" * len(tools))
    for kind in KINDS:
        cells = []
        for t in tools:
            a, m = results[t][1][kind]
            cells.append(f"{m} ({a})")
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
PY

if [ ! -f "$corpus.truth.tsv" ]; then
    n_ads=$(python3 -c "print(max(1000, int($size * $ad_share / 500)))")
    python3 "$data/gen_corpus.py" --pool "$data/pool_dev.py" --n "$n_ads" --seed 7 --out "$work/ads-$n_ads" --quiet
    python3 "$work/gen_mixed.py" --out "$corpus" --size "$size" --ads "$work/ads-$n_ads" --ad-share "$ad_share" --seed 11
fi
cargo build --release -q -p qorgau-identifiers --example extract_file
qorgau="$CARGO_TARGET_DIR/release/examples/extract_file"

echo "== machine"
nproc
grep -m1 'model name' /proc/cpuinfo || true
free -g | head -2
uptime
echo "== corpus"
ls -l "$corpus.txt"
wc -l < "$corpus.truth.tsv"

cmds=("$qorgau $corpus.txt --out $work/qorgau.tsv")
names=(qorgau)
if [ -x "$be" ]; then
    "$be" -V
    cmds+=("$be -0 -q -x all -e email -e accts -j 1 -o $work/be-out $corpus.txt")
    names+=(bulk_extractor)
else
    echo "bulk_extractor not found at $be (set BULK_EXTRACTOR); measuring Qorgau only"
fi

echo "== speed ($runs runs each)"
if command -v hyperfine > /dev/null; then
    args=()
    for k in "${!cmds[@]}"; do
        args+=(-n "${names[$k]}" "${cmds[$k]}")
    done
    hyperfine -N -w 1 -r "$runs" --prepare "rm -rf $work/be-out" \
        --export-json "$work/hyperfine.json" --export-markdown "$work/hyperfine.md" "${args[@]}"
    python3 - "$work/hyperfine.json" "$corpus.txt" <<'PY'
import json, os, sys
res = json.load(open(sys.argv[1]))["results"]
mb = os.path.getsize(sys.argv[2]) / 1e6
for r in res:
    cpu = r["user"] + r["system"]
    print(f'{r["command"].split()[0].split("/")[-1]}: median {r["median"]:.2f} s wall = {mb / r["median"]:.1f} MB/s; '
          f'mean user+sys {cpu:.2f} s = {mb / cpu:.1f} MB/s of CPU time')
if len(res) == 2:
    print(f'speed ratio (median wall, bulk_extractor / qorgau): {res[1]["median"] / res[0]["median"]:.2f}')
PY
else
    for k in "${!cmds[@]}"; do
        for _ in $(seq "$runs"); do
            rm -rf "$work/be-out"
            /usr/bin/time -f "${names[$k]}: wall %e s, user %U s, sys %S s, max RSS %M KB" ${cmds[$k]}
        done
    done
fi

echo "== recall on the inserted identifiers"
rm -rf "$work/be-out"
"$qorgau" "$corpus.txt" --out "$work/qorgau.tsv"
if [ -x "$be" ]; then
    "$be" -0 -q -x all -e email -e accts -j 1 -o "$work/be-out" "$corpus.txt" > /dev/null
    python3 "$work/score.py" "$corpus.txt" "$corpus.truth.tsv" "$work/qorgau.tsv" "$work/be-out"
else
    python3 "$work/score.py" "$corpus.txt" "$corpus.truth.tsv" "$work/qorgau.tsv"
fi
