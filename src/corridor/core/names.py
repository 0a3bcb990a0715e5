"""Resolving a crossing name as a person types it to the crossing's slug.

People type crossing names in Latin or Arabic script, with or without accents, in Turkish or
in one of several English transliterations of the Arabic. `name_key` folds those spellings into
one key; `resolve` matches keys against every name and alias of every crossing. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from corridor.core.errors import AmbiguousError, NotFoundError

_FOLD = {
    # Turkish dotless ı has no decomposition and casefold keeps it (İ is handled by NFKD).
    "ı": "i",
    # Arabic has no v; Turkish spellings write its w as v: "Bab-el Hava", "Cilvegözü".
    "v": "w",
    # Hamza carriers (أ إ آ ؤ ئ) lose the hamza with the other marks; wasla alef doesn't decompose.
    "ٱ": "ا",
    # Tāʾ marbūṭa and alif maqṣūra are routinely typed as hāʾ and yāʾ.
    "ة": "ه",
    "ى": "ي",
    # Persian and Urdu keyboards give their own yeh and kaf for the Arabic letters.
    "ی": "ي",
    "ک": "ك",
    # Tatweel only stretches a word for layout.
    "ـ": None,
}
# Apostrophes stand for ʿayn or hamza ("al-Ra'i") and writers drop them at will, so they are
# deleted rather than made separators: "Ra'i" stays one word, "rai", and "Ba'as" never yields
# a spurious article "as".
_FOLD.update(dict.fromkeys("'’‘`ʼʻʽʾʿ"))
_FOLD_TABLE = str.maketrans(_FOLD)

# Filler words in front of a name: "The ...", "معبر ..." ("crossing ...").
_LEADING = {"the", "معبر"}
# Before a "sun letter" the article's l assimilates: as-Salamah, ar-Ramtha, ash-Sham, ad-Dana.
_SUN = {"t", "th", "d", "dh", "r", "z", "s", "sh", "n"}
_STATUS_HINT = 'run "corridor status" to list the crossings'
_CONSONANT_END = re.compile(r"(?<=[b-df-hj-np-tv-z])[ae]h$")


def _strip_marks(text: str) -> str:
    # NFKD splits accents and Arabic tashkeel off their letters; dropping the marks leaves
    # the base letter. Compatibility forms (ligatures, full width, presentation forms) unfold.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _spelling(word: str) -> str:
    # Long vowels are written doubled, English-style, or not at all: Yaarubiyah = Yarubiyah,
    # Ra'ee = Ra'i. Consonant doubling (shadda) is kept: it is written consistently and
    # distinguishes words (Hawa / Hawwa).
    word = re.sub(r"([aiu])\1+", r"\1", word.replace("ee", "i").replace("oo", "u"))
    # Word-final tāʾ marbūṭa is romanised -a, -ah or -eh: Salama, Salamah, Salameh. (Not -e as
    # in "Selame": a partly typed word so often ends in consonant + e that completion breaks.)
    return _CONSONANT_END.sub("a", word)


def _is_article(words: list[str], i: int) -> bool:
    word, following = words[i], "".join(words[i + 1 : i + 2])
    # A name of one word has no article: that keeps name_key idempotent ("e l" -> "el" -> "el").
    # A final "el" counts, so "Bab el" typed so far is still a prefix of "Bab el-Hawa".
    if word in ("al", "el"):
        return len(words) > 1
    # An assimilated article is only one if the next word starts with the same consonant, so
    # English "as"/"an"/"at" in a name are left alone.
    return word[:1] in ("a", "e") and word[1:] in _SUN and following.startswith(word[1:])


def _words(text: str) -> list[str]:
    # Strip marks before casefold too: casefold turns some marks into letters (U+0345 -> ι).
    text = _strip_marks(_strip_marks(text).casefold()).translate(_FOLD_TABLE)
    # Hyphens, dots, spaces and any other punctuation separate words: "bab-el hawa".
    words = [w for w in re.split(r"[\W_]+", text) if w]
    if len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    # The article spelled el-, al-, as-, ar-... is one word: unify it to "al".
    words = ["al" if _is_article(words, i) else w for i, w in enumerate(words)]
    return [_spelling(w) for w in words]


def _join(words: list[str]) -> str:
    # Once more on the joined key, so that name_key(name_key(x)) == name_key(x): joining can
    # bring vowels together ("ba"+"a") or make a new ending ("sala"+"h").
    return _spelling("".join(words))


def _bare(words: list[str]) -> list[str]:
    # Articles are often left out when typing ("Bab Salama", "Ramtha", "Yarubiyah"): the second
    # tier compares keys without them. Arabic writes the article attached: ال.
    words = [w for w in words if w != "al"] or words
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]


def name_key(text: str) -> str:
    """Normalise a name for matching."""
    return _join(_words(text))


def index_key(text: str) -> str:
    """The key under which the database keeps a name unique across crossings: `name_key`, or
    for the rare key too long to index, its SHA-256 ("#" + hex). Empty for a name that folds
    to nothing (it can match nothing either)."""
    key = name_key(text)
    if len(key.encode()) > 512:
        import hashlib  # lazy: OpenSSL's ~2 ms, on the read paths, for a rare long name only

        return "#" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _keys(name: str) -> tuple[str, str]:
    words = _words(name)
    return _join(words), _join(_bare(words))


def resolve(query: str, names: Mapping[str, Iterable[str]]) -> str:
    """Return the slug whose names match `query`. `names` maps slug -> all its names
    (display name, slug, aliases). Raises NotFoundError when nothing matches, or when
    the query is ambiguous (matches more than one slug)."""
    table = {slug: list(ns) or [slug] for slug, ns in names.items()}
    key, bare = _keys(query)
    shown = query.strip()
    if not key:
        what = f'no crossing matches "{shown}"' if shown else "no crossing name given"
        raise NotFoundError(what, hint=_STATUS_HINT)
    index = {slug: [_keys(n) for n in ns] for slug, ns in table.items()}
    tiers = (
        lambda full, b: full == key,
        lambda full, b: b == bare,
        lambda full, b: full.startswith(key) or b.startswith(bare),
    )
    for tier, matches in enumerate(tiers):
        hits = [slug for slug, keys in index.items() if any(matches(*k) for k in keys)]
        if len(hits) > 1:
            raise ambiguous(shown, "crossings", [table[s][0] for s in hits])
        # A prefix must be long enough to mean something; shorter ones only reach the hint.
        if hits and (tier < 2 or len(key) >= 4):
            return hits[0]
    close = suggestions(query, table)
    hint = f"did you mean: {', '.join(close)}?" if close else _STATUS_HINT
    raise NotFoundError(f'no crossing matches "{shown}"', hint=hint)


def suggestions(query: str, names: Mapping[str, Iterable[str]], n: int = 3) -> list[str]:
    """Display names (the first name of each slug's list) closest to the query."""
    key = name_key(query)
    if not key:
        return []
    display: dict[str, str] = {}
    for slug, ns in names.items():
        ns = list(ns) or [slug]
        for name in ns:
            for k in _keys(name):
                display.setdefault(k, ns[0])
    starts = [k for k in display if k.startswith(key)]
    if not display:
        return []
    import difflib  # lazy: only a name that matched nothing needs it; off the read paths

    close = difflib.get_close_matches(key, display, n=len(display), cutoff=0.6)
    return list(dict.fromkeys(display[k] for k in starts + close))[:n]


def ambiguous(query: str, what: str, candidates: Iterable[str]) -> AmbiguousError:
    """The one error for a name that matches several records (`what`: "crossings",
    "instruments"), listing them: the same exit code and wording for every kind."""
    found = sorted(candidates)
    shown = "; ".join(found[:8]) + ("; ..." if len(found) > 8 else "")
    return AmbiguousError(
        f'"{query.strip()}" matches {len(found)} {what}: {shown}',
        "give more of the name, in quotes",
    )


def _symbol_key(symbol: str) -> str:
    # The store's rule (corridor.core.derive.symbol_key): spacing and case do not count.
    return re.sub(r"\s+", "", symbol).casefold()


def symbol_candidates(query: str, symbols: Iterable[str]) -> list[str]:
    """The symbols `query` could name, from the first tier that has any: the symbol with other
    spacing or case; a part of it; a part once accents, case, punctuation and spelling are
    folded. Shell completion offers these when no symbol starts with what was typed."""
    every = list(dict.fromkeys(symbols))
    key, folded = _symbol_key(query), name_key(query)
    if not key:
        return []
    tiers = (
        lambda s: _symbol_key(s) == key,
        lambda s: key in _symbol_key(s),
        lambda s: bool(folded) and folded in name_key(s),
    )
    for matches in tiers:
        hits = [s for s in every if matches(s)]
        if hits:
            return hits
    return []


def resolve_symbol(query: str, symbols: Iterable[str]) -> str:
    """The instrument symbol `query` names, matched as crossing names are: the exact symbol;
    the symbol with other spacing or case; a unique part of it ("2585"); a unique part once
    accents, case, punctuation and spelling are folded ("adre" finds "...: Adré"). Several
    matches: AmbiguousError listing them; none: NotFoundError with "did you mean"."""
    every = list(dict.fromkeys(symbols))
    wanted = query.strip()
    if not wanted:
        raise NotFoundError(
            "no instrument symbol given", 'see them all: "corridor instrument list"'
        )
    if wanted in every:
        return wanted
    hits = symbol_candidates(wanted, every)
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ambiguous(wanted, "instruments", hits)
    import difflib  # lazy: as in suggestions()

    close = difflib.get_close_matches(wanted, every, n=3, cutoff=0.5)
    raise NotFoundError(
        f'no instrument "{wanted}"',
        f"did you mean: {'; '.join(close)}?"
        if close
        else 'see them all: "corridor instrument list"',
    )
