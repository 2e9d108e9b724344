"""Text statistics and readability formulas: sentences, words, syllables (English and Spanish), scores.

Implemented here rather than taken from textstat: textstat 0.7.3 imports `pkg_resources`, which fresh
Python 3.12 environments do not have and setuptools is removing, and its syllables come from hyphenation
dictionaries, which never split off a single letter (Spanish "aé-reo" is four syllables: a-é-re-o).
"""

from __future__ import annotations

import re
import unicodedata

# Words: letters and digits, with apostrophes or hyphens inside (don't, psilocybin-assisted).
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# After 。！？ (and any closing quote or bracket that follows them); the split keeps them with their sentence.
_CJK_END = re.compile(r"(?:(?<=[。！？])(?![”’」』）)])|(?<=[。！？][”’」』）)]))")
# A sentence ends at . ! ? … (or Arabic ؟) followed by space, unless the next word starts in lower case
# or the period ends a known abbreviation.
_LATIN_END = re.compile(r"(?<=[.!?…؟])[\"”»’)\]]*\s+")
ABBREVIATIONS = {
    "en": {"dr.", "e.g.", "i.e.", "mr.", "mrs.", "ms.", "vs.", "u.s.", "no.", "approx."},
    "es": {"ee.", "uu.", "dr.", "dra.", "sr.", "sra.", "p.", "ej.", "ud.", "uds.", "núm.", "aprox."},
    "ru": {"т.", "е.", "д.", "п.", "г.", "гг.", "др.", "см.", "напр.", "св."},
    "vi": {"tp.", "ts.", "bs."},
}


def _fold(text: str) -> str:
    """NFC without combining marks: Arabic vowel marks must not split a word in two."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Mn")


def is_cjk(lang: str) -> bool:
    return lang.split("-")[0] in ("zh", "ja")


def sentences(text: str, lang: str) -> list[str]:
    """Split one unit's text into sentences (the end of a unit always ends a sentence)."""
    text = text.strip()
    if not text:
        return []
    if is_cjk(lang):
        return [p.strip() for p in _CJK_END.split(text) if p.strip()]
    abbreviations = ABBREVIATIONS.get(lang.split("-")[0], set())
    result, start = [], 0
    for match in _LATIN_END.finditer(text):
        before = text[start:match.start()].split()
        after = text[match.end():match.end() + 1]
        if (before and before[-1].lower().lstrip("(¿¡\"“«") in abbreviations) or (after and after.islower()):
            continue
        result.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        result.append(text[start:].strip())
    return result


def words(sentence: str) -> list[str]:
    """The words of a sentence (numbers count as words)."""
    return _WORD.findall(_fold(sentence))


def characters(sentence: str) -> int:
    """Characters that carry meaning (Chinese characters, letters, digits): no spaces, no punctuation."""
    return sum(1 for ch in sentence if ch.isalnum())  # Chinese characters are letters (Lo); punctuation is not


def length(sentence: str, lang: str) -> int:
    """A sentence's length: characters for Chinese (no spaces between words), words otherwise."""
    return characters(sentence) if is_cjk(lang) else len(words(sentence))


def _digits(word: str) -> int | None:
    """Syllables of a number, roughly one per digit (988 is 'nine eight eight'); None for words."""
    digits = sum(ch.isdigit() for ch in word)
    return min(max(digits, 1), 4) if digits and not any(ch.isalpha() for ch in word) else None


def syllables_en(word: str) -> int:
    """English syllables by rule: vowel groups, less silent endings (-e, -es, -ed), plus split vowel pairs."""
    if (n := _digits(word)) is not None:
        return n
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    count = len(re.findall(r"[aeiouy]+", w))
    if re.search(r"[^aeiouy]e$", w) and not re.search(r"[^aeiouy]le$", w):
        count -= 1  # make, whole (but table, people keep theirs)
    elif re.search(r"[^aeiouysxzgc]es$", w) and not re.search(r"(ch|sh)es$", w):
        count -= 1  # takes, times (but boxes, changes, wishes keep theirs)
    elif re.search(r"[^aeiouytd]ed$", w):
        count -= 1  # liked, used (but wanted, needed keep theirs)
    # Vowel pairs read as two syllables: media, trial, serious, actual, video, idea, being, anxiety, client,
    # science, create (but not patient, efficient, friend).
    count += len(re.findall(r"(?<![cts])ia|(?<![tsc])io(?!n)|iu|ua|uo|eo(?!p)|[^aeiou]ea$|[aeiouy]ing"
                         r"|(?<![aeiou])ie(?=t)|(?<![tc])ie(?=nt|nc)|(?<=sc)ie(?=nc)|(?<=cr)ea(?=t(?!ur))", w))
    count += len(re.findall(r"[^aeiou]ism$|[^aeiouy]le[sd]$", w))
    # A silent e inside a compound or before a suffix: something, sometimes, careful, likely.
    count -= len(re.findall(r"[^aeiouy]e(?=(?:ful|ly|ment|ness|less|thing|times?|one|where|body)$)", w))
    return max(count, 1)


_ES_STRONG = set("aeoáéóíú")  # an accented i or u breaks a diphthong (pa-ís, dí-a)
_ES_VOWELS = set("aeiouáéíóúü")


def syllables_es(word: str) -> int:
    """Spanish syllables: vowel nuclei, with diphthongs (weak i, u with any vowel) and hiatus (two strong)."""
    if (n := _digits(word)) is not None:
        return n
    w = re.sub(r"[^a-záéíóúüñ]", "", word.lower())
    if not w:
        return 0
    if w == "y":
        return 1
    w = re.sub(r"(?<=[qg])u(?=[eiéí])", "", w)  # que, guía: the u is silent (but pingüino keeps its ü)
    w = re.sub(r"(?<=[aeiouáéíóú])y$", "i", w)  # hoy, muy, rey: final y is a vowel
    count = 0
    previous = ""
    for ch in w:
        if ch in _ES_VOWELS:
            if not previous or (previous in _ES_STRONG and ch in _ES_STRONG):
                count += 1
            previous = ch
        else:
            previous = ""
    return max(count, 1)


def flesch_kincaid_grade(word_count: int, sentence_count: int, syllable_count: int) -> float:
    """Flesch–Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word − 15.59."""
    if not word_count or not sentence_count:
        return 0.0
    return 0.39 * word_count / sentence_count + 11.8 * syllable_count / word_count - 15.59


def szigriszt_pazos(word_count: int, sentence_count: int, syllable_count: int) -> float:
    """Szigriszt-Pazos perspicuity for Spanish (the INFLESZ scale): 206.835 − 62.3 syllables/word − words/sentence.

    INFLESZ (Barrio-Cantalejo et al. 2008, validated on texts for patients): under 40 very difficult,
    40–55 somewhat difficult, 55–65 normal, 65–80 fairly easy, over 80 very easy.
    """
    if not word_count or not sentence_count:
        return 0.0
    return 206.835 - 62.3 * syllable_count / word_count - word_count / sentence_count


def inflesz_band(score: float) -> str:
    """The INFLESZ label of a Szigriszt-Pazos score."""
    for limit, label in ((40, "very difficult"), (55, "somewhat difficult"), (65, "normal"), (80, "fairly easy")):
        if score < limit:
            return label
    return "very easy"
