"""Training-time generator of injected spam blocks and site boilerplate.

Real labelled spam is scarce and skewed towards one shape (keyword-stuffed footers),
while spam in the wild is mostly written as ordinary-looking sentences. This module
builds every shape from the project's own data files so training and benchmarks can
inject balanced, reproducible spam into clean pages. The cleaner never imports it.
"""
from __future__ import annotations

import csv
import html
import itertools
import random
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote

FAMILIES = ("escort", "gambling", "pharma", "loans", "essay", "replica", "crypto", "adult", "seo", "scam",
            "promo")
SHAPES = ("sentence", "stuffed", "anchors", "sponsored", "hidden")
# Sentence-shaped spam dominates in the wild, so it dominates training too.
_SHAPE_WEIGHTS = MappingProxyType({"sentence": 45, "stuffed": 15, "anchors": 15, "sponsored": 10,
                                   "hidden": 15})

# Ways injected blocks are hidden from readers but not from naive text dumps.
HIDE_ATTRS = (
    'style="display:none"',
    'style="display: none;"',
    'style="visibility:hidden"',
    'style="font-size:0"',
    'style="font-size:0px;line-height:0"',
    'style="position:absolute;left:-9999px"',
    'style="position: fixed; z-index: -9999; left: -9999px;"',
    'style="height:0;overflow:hidden"',
    'style="opacity:0"',
    "hidden",
)

_SPONSORED = MappingProxyType({
    "en": ("Sponsored links", "Partner sites", "Our partners", "Recommended sites", "Useful links"),
    "tr": ("Sponsorlu bağlantılar", "Reklam", "Partner siteler", "Faydalı linkler"),
    "id": ("Iklan", "Tautan sponsor", "Situs partner", "Link terkait"),
    "vi": ("Quảng cáo", "Liên kết tài trợ", "Đối tác"),
    "ru": ("Реклама", "Партнёры", "Полезные ссылки"),
    "uk": ("Реклама", "Партнери", "Корисні посилання"),
    "zh": ("广告", "友情链接", "合作伙伴"),
    "ja": ("広告", "スポンサーリンク", "相互リンク"),
    "ko": ("광고", "스폰서 링크", "파트너 사이트"),
    "th": ("โฆษณา", "ลิงก์ผู้สนับสนุน", "เว็บพันธมิตร"),
    "es": ("Enlaces patrocinados", "Publicidad", "Sitios amigos"),
    "pt": ("Links patrocinados", "Publicidade", "Parceiros"),
    "de": ("Anzeige", "Gesponserte Links", "Partnerseiten"),
    "fr": ("Liens sponsorisés", "Publicité", "Nos partenaires"),
    "it": ("Link sponsorizzati", "Pubblicità", "Siti amici"),
    "pl": ("Linki sponsorowane", "Reklama", "Partnerzy"),
    "ar": ("روابط ممولة", "إعلان", "مواقع صديقة"),
    "nl": ("Gesponsorde links", "Advertentie", "Partnersites"),
    "cs": ("Sponzorované odkazy", "Reklama", "Partnerské weby"),
    "ro": ("Linkuri sponsorizate", "Publicitate", "Parteneri"),
    "hu": ("Szponzorált linkek", "Hirdetés", "Partnereink"),
    "el": ("Χορηγούμενοι σύνδεσμοι", "Διαφήμιση", "Συνεργάτες"),
    "sv": ("Sponsrade länkar", "Annons", "Våra partner"),
    "hi": ("प्रायोजित लिंक", "विज्ञापन", "उपयोगी लिंक"),
    "fa": ("تبلیغات", "لینک دوستان", "پیوندهای حمایت‌شده"),
    "he": ("קישורים ממומנים", "פרסומת", "אתרים מומלצים"),
    "ms": ("Pautan tajaan", "Iklan", "Laman rakan kongsi", "Pautan berguna"),
    "tl": ("Mga sponsored link", "Patalastas", "Mga partner site", "Mga kapaki-pakinabang na link"),
    "sw": ("Viungo vilivyofadhiliwa", "Tangazo", "Washirika wetu", "Viungo muhimu"),
    "bn": ("স্পনসর করা লিংক", "বিজ্ঞাপন", "সহযোগী সাইট", "দরকারি লিংক"),
})
# Fallback domain words for keywords written in non-Latin scripts.
_FAMILY_TOKENS = MappingProxyType({
    "escort": ("escort", "vipgirls", "dating", "night"), "gambling": ("slot", "bet", "casino", "toto"),
    "pharma": ("pharm", "rxstore", "meds", "pills"), "loans": ("loan", "cash", "credit", "kredit"),
    "essay": ("essay", "thesis", "paper", "diplom"), "replica": ("replica", "copy", "brand", "watch"),
    "crypto": ("coin", "btc", "crypto", "profit"), "adult": ("xxx", "porn", "tube", "cam"),
    "seo": ("seo", "links", "smm", "rank"),
    "scam": ("earn", "income", "winner", "prize", "helpdesk", "support", "payout", "reward"),
    "promo": ("promo", "sub4sub", "follow", "subs", "likes", "mychannel", "deals", "shop"),
})
_TLDS = ("com", "net", "xyz", "top", "site", "online", "club", "info", "biz", "vip", "live", "win",
         "bet", "pro", "shop", "icu", "me", "co", "ru", "in", "cc")
_SITES = ("The Daily Ledger", "Northern Review", "Harbor Post", "Metro Digest", "Kapital Haber",
          "Kabar Nusantara", "Vestnik Online", "El Faro Digital", "Rheinblatt", "Le Courrier du Sud")
_NAMES = ("Anna Kovalenko", "Mehmet Yılmaz", "Dewi Lestari", "James Porter", "María López",
          "Lukas Becker", "Claire Martin", "Wang Lei", "Sato Yuki", "Olga Petrova")
_NO_SPACE_LANGS = frozenset({"zh", "ja"})
# Real self-promotion comments (UCI YouTube Spam Collection). The fifth file,
# Youtube05-Shakira.csv, is never read, so it can show how far training on the others carries.
_REAL_COMMENT_FILES = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv",
                       "Youtube04-Eminem.csv")
# Share of sampled spam drawn from real comments, where the requested families and languages allow.
_REAL_COMMENT_SHARE = 0.05
_MARKUP_IN_COMMENT = re.compile(r"<br\s*/?>|\ufeff")
_URL_IN_COMMENT = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class SpamSnippet:
    """One generated spam block in both renderings a page can have."""

    family: str
    lang: str
    shape: str
    text_blocks: tuple[str, ...]
    html: str


def _read_tsv(path: Path, header: tuple[str, ...]) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if tuple(rows[0]) != header:
        raise ValueError(f"{path}: expected header {header}, got {rows[0]}")
    return [tuple(r) for r in rows[1:] if r]


def _group(pairs: list[tuple[tuple[str, ...], str]]) -> Mapping[tuple[str, ...], tuple[str, ...]]:
    out: dict[tuple[str, ...], list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return MappingProxyType({k: tuple(v) for k, v in sorted(out.items())})


def _read_domains(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        host = line.split()[-1].lower()
        if "." in host and host not in ("localhost", "0.0.0.0"):
            out.append(host)
    return tuple(sorted(set(out)))


def read_comments(path: Path) -> list[tuple[str, bool]]:
    """(text, is spam) of every comment of 20+ characters in a TubeSpam CSV file, as plain text."""
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = [(" ".join(_MARKUP_IN_COMMENT.sub(" ", html.unescape(row["CONTENT"])).split()), row["CLASS"] == "1")
                for row in csv.DictReader(f)]
    return [(text, spam) for text, spam in rows if len(text) >= 20]


def _real_spam_comments(directory: Path) -> tuple[str, ...]:
    paths = [directory / name for name in _REAL_COMMENT_FILES if (directory / name).is_file()]
    return tuple(sorted({text for path in paths for text, spam in read_comments(path) if spam}))


def _ascii_slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")


@dataclass(frozen=True)
class SpamBank:
    """Keywords, templates, places, domains and boilerplate, loaded once, sampled many times."""

    keywords: Mapping[tuple[str, ...], tuple[str, ...]]   # (family, lang) -> keywords
    templates: Mapping[tuple[str, ...], tuple[str, ...]]  # (family|"generic", lang) -> templates
    places: Mapping[tuple[str, ...], tuple[str, ...]]     # (lang,) -> places
    domains: Mapping[str, tuple[str, ...]]                # family|"any" -> real spam domains
    boilerplate: tuple[tuple[str, str, str], ...]         # (kind, lang, text)
    comments: Mapping[tuple[str, ...], tuple[str, ...]] = field(  # (family, lang) -> real spam comments
        default_factory=lambda: MappingProxyType({}))

    @classmethod
    def load(cls, data_dir: Path, sources_dir: Path | None = None) -> SpamBank:
        """Read data/spam and data/boilerplate; optionally real spam domains and comments from sources_dir."""
        data_dir = Path(data_dir)
        kw = _read_tsv(data_dir / "spam" / "keywords.tsv", ("family", "lang", "keyword"))
        tp = _read_tsv(data_dir / "spam" / "sentences.tsv", ("family", "lang", "template"))
        pl = _read_tsv(data_dir / "spam" / "places.tsv", ("lang", "place"))
        bp = _read_tsv(data_dir / "boilerplate" / "snippets.tsv", ("kind", "lang", "text"))
        domains: dict[str, tuple[str, ...]] = {}
        comments: dict[tuple[str, ...], tuple[str, ...]] = {}
        if sources_dir is not None:
            s = Path(sources_dir)
            domains["pharma"] = _read_domains(s / "blocklistproject" / "drugs-domains.txt")
            domains["crypto"] = _read_domains(s / "blocklistproject" / "crypto-domains.txt")
            domains["gambling"] = _read_domains(s / "sinfonietta-hosts" / "gambling-hosts")
            domains["any"] = tuple(sorted(set(
                _read_domains(s / "blocklistproject" / "scam-domains.txt")
                + _read_domains(s / "referrer-spam" / "spammers.txt")
                + _read_domains(s / "spamdexing-sites" / "blocklist.txt"))))
            comments[("promo", "en")] = _real_spam_comments(s / "tubespam-uci")
        return cls(
            keywords=_group([((f, l), k) for f, l, k in kw]),
            templates=_group([((f, l), t) for f, l, t in tp]),
            places=_group([((l,), p) for l, p in pl]),
            domains=MappingProxyType({k: v for k, v in domains.items() if v}),
            boilerplate=tuple(sorted(bp)),
            comments=MappingProxyType({k: v for k, v in comments.items() if v}),
        )

    def families(self) -> list[str]:
        return sorted({f for f, _ in self.keywords})

    def langs(self) -> list[str]:
        return sorted({l for _, l in self.keywords})

    # -- choosing what to generate -------------------------------------------------
    def _combos(self, shape: str, families: Collection[str] | None,
                langs: Collection[str] | None) -> list[tuple[str, str]]:
        out = []
        for fam, lang in self.keywords:
            if families is not None and fam not in families:
                continue
            if langs is not None and lang not in langs:
                continue
            if shape == "sentence" and not ((fam, lang) in self.templates
                                            or ("generic", lang) in self.templates):
                continue
            out.append((fam, lang))
        return out

    def sample(self, rng: random.Random, *, families: Collection[str] | None = None,
               langs: Collection[str] | None = None,
               shapes: Collection[str] | None = None) -> SpamSnippet:
        """One spam block: now and then a real spam comment, else generated, its shape weighted
        towards sentences, family and language uniform."""
        real = [key for key in self.comments if (families is None or key[0] in families)
                and (langs is None or key[1] in langs) and (shapes is None or "sentence" in shapes)]
        if real and rng.random() < _REAL_COMMENT_SHARE:
            fam, lang = rng.choice(real)
            blocks, markup = self._real_comment(rng, fam, lang, self.comments[(fam, lang)])
            return SpamSnippet(fam, lang, "sentence", tuple(blocks), markup)
        options = [(s, self._combos(s, families, langs)) for s in SHAPES
                   if shapes is None or s in shapes]
        options = [(s, c) for s, c in options if c]
        if not options:
            raise ValueError("no spam data matches the requested families/langs/shapes")
        shape, combos = rng.choices(options, weights=[_SHAPE_WEIGHTS[s] for s, _ in options])[0]
        fam = rng.choice(sorted({f for f, _ in combos}))
        lang = rng.choice(sorted(l for f, l in combos if f == fam))
        build = {"sentence": self._sentence, "stuffed": self._stuffed, "anchors": self._anchors,
                 "sponsored": self._sponsored, "hidden": self._hidden}[shape]
        blocks, markup = build(rng, fam, lang)
        return SpamSnippet(fam, lang, shape, tuple(blocks), markup)

    # -- links -----------------------------------------------------------------------
    def _domain(self, rng: random.Random, fam: str, lang: str, keyword: str) -> str:
        pool = self.domains.get(fam) or self.domains.get("any")
        if pool and rng.random() < 0.5:
            return rng.choice(pool)
        slug = _ascii_slug(keyword) or rng.choice(_FAMILY_TOKENS[fam])
        parts = slug.split("-")[: rng.randint(1, 3)]
        name = rng.choice(("", "-")).join(parts)[:24].strip("-") or rng.choice(_FAMILY_TOKENS[fam])
        if rng.random() < 0.5:
            name += str(rng.choice((1, 4, 7, 77, 88, 99, 123, 303, 365, 777, 888)))
        if lang == "id" and rng.random() < 0.15:  # parasite page on a hijacked campus host
            return f"{rng.choice(('lppm', 'sim', 'elearning', 'jurnal'))}.univ{rng.randint(2, 99)}.ac.id"
        return f"{name}.{rng.choice(_TLDS)}"

    def _url(self, rng: random.Random, fam: str, lang: str, keyword: str) -> str:
        slug = _ascii_slug(keyword) or quote(keyword.replace(" ", "-"))
        path = rng.choice((f"/{slug}", f"/{slug}/", f"/{slug}.html", f"/{lang}/{slug}",
                           f"/go/{slug}", f"/wp-content/uploads/{slug}/", f"/?p={rng.randint(10, 99999)}",
                           f"/{slug}-{rng.randint(1, 999)}", "/"))
        scheme = "http" if rng.random() < 0.2 else "https"
        return f"{scheme}://{self._domain(rng, fam, lang, keyword)}{path}"

    def _link(self, rng: random.Random, fam: str, lang: str, anchor: str) -> tuple[str, str, str]:
        """(anchor text, url, <a> tag) for one spam link."""
        url = self._url(rng, fam, lang, anchor)
        rel = rng.choice(("", "", ' rel="nofollow"', ' rel="dofollow"', ' target="_blank"',
                          ' rel="noopener" target="_blank"'))
        tag = f'<a href="{html.escape(url)}"{rel}>{html.escape(anchor, quote=False)}</a>'
        return anchor, url, tag

    def _anchor_texts(self, rng: random.Random, fam: str, lang: str, n: int) -> list[str]:
        kws = self.keywords[(fam, lang)]
        places = self.places.get((lang,), ())
        out = []
        for _ in range(n):
            kw = rng.choice(kws)
            if places and len(kw.split()) <= 2 and rng.random() < 0.5:
                place = rng.choice(places)
                kw = f"{place} {kw}" if rng.random() < 0.7 else f"{kw} {place}"
            style = rng.random()
            if style < 0.15:
                kw = kw.title()
            elif style < 0.3:
                kw = kw[:1].upper() + kw[1:]
            out.append(kw)
        return out

    # -- shapes ----------------------------------------------------------------------
    def _sentence(self, rng: random.Random, fam: str, lang: str) -> tuple[list[str], str]:
        pool = self.templates.get((fam, lang), ()) + self.templates.get(("generic", lang), ())
        kws = self.keywords[(fam, lang)]
        texts, markups = [], []
        for tpl in rng.sample(pool, min(len(pool), rng.choice((1, 1, 1, 2, 2, 3)))):
            kw = rng.choice(kws)
            anchor, url, tag = self._link(rng, fam, lang, rng.choice(kws))
            shown = rng.choices((anchor, url, f"{anchor} ({url})"), weights=(6, 3, 1))[0]
            texts.append(tpl.replace("{kw}", kw).replace("{link}", shown))
            markups.append(html.escape(tpl, quote=False).replace("{kw}", html.escape(kw, quote=False))
                           .replace("{link}", tag))
        sep = "" if lang in _NO_SPACE_LANGS else " "
        if len(texts) > 1 and rng.random() < 0.3:
            return texts, "\n".join(f"<p>{m}</p>" for m in markups)
        return [sep.join(texts)], f"<p>{sep.join(markups)}</p>"

    def _real_comment(self, rng: random.Random, fam: str, lang: str,
                      comments: tuple[str, ...]) -> tuple[list[str], str]:
        """A real spam comment; its URLs become links, or one is added as such comments often carry."""
        text = rng.choice(comments)
        pieces = _URL_IN_COMMENT.split(text)
        urls = _URL_IN_COMMENT.findall(text)
        if not urls and rng.random() < 0.3:
            _, url, _ = self._link(rng, fam, lang, text[:40])
            pieces, urls = [text + " ", ""], [url]
            text += " " + url
        markup = "".join(
            html.escape(piece, quote=False) + (f'<a href="{html.escape(url)}">{html.escape(url)}</a>' if url else "")
            for piece, url in itertools.zip_longest(pieces, urls, fillvalue="")
        )
        return [text], f"<p>{markup}</p>"

    def _stuffed(self, rng: random.Random, fam: str, lang: str) -> tuple[list[str], str]:
        links = [self._link(rng, fam, lang, a)
                 for a in self._anchor_texts(rng, fam, lang, rng.randint(10, 40))]
        sep = rng.choice((" ", " ", " ", " | ", ", ", " - "))
        tag = rng.choice(("p", "div"))
        return ([sep.join(a for a, _, _ in links)],
                f"<{tag}>{html.escape(sep, quote=False).join(t for _, _, t in links)}</{tag}>")

    def _anchors(self, rng: random.Random, fam: str, lang: str) -> tuple[list[str], str]:
        links = [self._link(rng, fam, lang, a)
                 for a in self._anchor_texts(rng, fam, lang, rng.randint(3, 15))]
        form = rng.randrange(3)
        if form == 0:
            markup = "<ul>" + "".join(f"<li>{t}</li>" for _, _, t in links) + "</ul>"
        else:
            markup = f"<{'p' if form == 1 else 'div'}>" + "<br>\n".join(t for _, _, t in links) \
                + f"</{'p' if form == 1 else 'div'}>"
        return [a for a, _, _ in links], markup

    def _sponsored(self, rng: random.Random, fam: str, lang: str) -> tuple[list[str], str]:
        header = rng.choice(_SPONSORED.get(lang, _SPONSORED["en"]))
        blocks, inner = (self._anchors if rng.random() < 0.7 else self._stuffed)(rng, fam, lang)
        htag = rng.choice(("h3", "h4", "strong", "p"))
        head = f"<{htag}>{html.escape(header, quote=False)}</{htag}>"
        if htag == "strong":
            head = f"<p>{head}</p>"
        cls = rng.choice(("sponsored", "partners", "widget links", "footer-links", "ads"))
        return [header, *blocks], f'<div class="{cls}">{head}{inner}</div>'

    def _hidden(self, rng: random.Random, fam: str, lang: str) -> tuple[list[str], str]:
        blocks, inner = (self._anchors if rng.random() < 0.5 else self._stuffed)(rng, fam, lang)
        return blocks, f"<div {rng.choice(HIDE_ATTRS)}>{inner}</div>"

    # -- boilerplate -----------------------------------------------------------------
    def sample_boilerplate(self, rng: random.Random, kind: str | None = None,
                           lang: str | None = None) -> str:
        """A filled site-chrome line (counter, banner, share bar, nav, cookie, ...)."""
        rows = [r for r in self.boilerplate
                if (kind is None or r[0] == kind) and (lang is None or r[1] == lang)]
        if not rows:
            raise ValueError(f"no boilerplate snippet for kind={kind!r} lang={lang!r}")
        text = rng.choice(rows)[2]
        n = rng.choice((rng.randint(1, 30), rng.randint(31, 999), rng.randint(1000, 99999)))
        return (text.replace("{n}", str(n)).replace("{site}", rng.choice(_SITES))
                .replace("{year}", str(rng.randint(2005, 2025))).replace("{name}", rng.choice(_NAMES)))
