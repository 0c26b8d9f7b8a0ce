"""Tests for newsevents.langid: offline language identification with an English default."""

from __future__ import annotations

import pytest

from newsevents.clean import CleanOptions, clean_text
from newsevents.langid import MIN_LETTERS, detect_language

#: Sentences written for these tests (news-like, one or two sentences each), by language.
SENTENCES: dict[str, list[str]] = {
    "en": [
        "The foreign ministers of both countries met in Geneva on Tuesday to discuss a ceasefire.",
        "Police arrested dozens of protesters outside parliament after the vote on the new budget.",
        "Emmanuel Macron and Vladimir Putin spoke by phone for nearly two hours, the Kremlin said.",
        "Oil prices fell sharply as traders worried about weaker demand from factories in Asia.",
        "Rebels seized the town overnight and the army said it would launch a counter-offensive.",
        "Kremlin spokesman Dmitry Peskov told reporters that Moscow was ready for dialogue with NATO.",
        "The head of state has declared that the negotiations will continue in the week which comes, in Istanbul.",
    ],
    "fr": [
        "Les ministres des affaires étrangères se sont réunis mardi à Genève pour discuter d'un cessez-le-feu.",
        "La police a arrêté des dizaines de manifestants devant l'Assemblée nationale après le vote du budget.",
        "Le président a promis de nouvelles mesures pour soutenir les agriculteurs touchés par la sécheresse.",
    ],
    "de": [
        "Die Außenminister beider Länder trafen sich am Dienstag in Genf, um über eine Waffenruhe zu sprechen.",
        "Die Polizei hat nach der Abstimmung über den Haushalt Dutzende Demonstranten vor dem Parlament festgenommen.",
        "Die Regierung kündigte an, die Steuern für kleine Unternehmen im kommenden Jahr zu senken.",
    ],
    "es": [
        "Los ministros de exteriores de ambos países se reunieron el martes en Ginebra para hablar de una tregua.",
        "La policía detuvo a decenas de manifestantes frente al congreso después de la votación del presupuesto.",
        "El gobierno anunció que bajará los impuestos a las pequeñas empresas el próximo año.",
    ],
    "it": [
        "I ministri degli esteri dei due paesi si sono incontrati martedì a Ginevra per discutere di una tregua.",
        "La polizia ha arrestato decine di manifestanti davanti al parlamento dopo il voto sul bilancio.",
    ],
    "pt": [
        "Os ministros das relações exteriores dos dois países reuniram-se na terça-feira em Genebra.",
        "A polícia prendeu dezenas de manifestantes em frente ao parlamento depois da votação do orçamento.",
    ],
    "nl": [
        "De ministers van buitenlandse zaken van beide landen kwamen dinsdag in Genève bijeen voor overleg.",
        "De politie heeft na de stemming over de begroting tientallen demonstranten voor het parlement opgepakt.",
    ],
    "ru": [
        "Министры иностранных дел двух стран встретились во вторник в Женеве, чтобы обсудить перемирие.",
        "Полиция задержала десятки протестующих у здания парламента после голосования по бюджету.",
    ],
    "ar": [
        "اجتمع وزيرا خارجية البلدين يوم الثلاثاء في جنيف لمناقشة وقف إطلاق النار بين الطرفين.",
        "اعتقلت الشرطة عشرات المتظاهرين أمام البرلمان بعد التصويت على الميزانية الجديدة للدولة.",
    ],
    "tr": [
        "İki ülkenin dışişleri bakanları ateşkesi görüşmek üzere salı günü Cenevre'de bir araya geldi.",
        "Polis, bütçe oylamasının ardından meclis önünde onlarca göstericiyi gözaltına aldı.",
    ],
    "zh": [
        "两国外交部长星期二在日内瓦会面，讨论停火问题以及人道主义援助的安排和后续的谈判进程。",
        "预算投票结束后，警方在议会大楼外逮捕了数十名抗议者，其中包括几名学生领袖和记者。",
    ],
}

#: Headlines and fragments: too short to decide, so English by default.
SHORT = ["Gaza truce", "Putin meets Macron", "Hamas releases hostages", "Bundestag stimmt zu", "Paz en Colombia"]


def accuracy() -> tuple[int, int]:
    """(correct, total) over SENTENCES."""
    total = correct = 0
    for lang, sentences in SENTENCES.items():
        for s in sentences:
            total += 1
            correct += detect_language(s)[0] == lang
    return correct, total


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_each_language_is_identified(lang: str) -> None:
    for sentence in SENTENCES[lang]:
        code, confidence = detect_language(sentence)
        assert code == lang, sentence
        if lang in ("fr", "de", "es", "it", "pt", "nl", "tr"):  # Latin script: must be sure to say so
            assert confidence >= 0.9


def test_overall_accuracy_on_written_sentences() -> None:
    correct, total = accuracy()
    assert total >= 30
    assert correct == total


@pytest.mark.parametrize("text", SHORT + ["", "   ", "12 345 678", "https://example.org/a/very/long/path/to/some/page"])
def test_short_or_letterless_text_defaults_to_english(text: str) -> None:
    assert detect_language(text) == ("en", 0.0)


def test_short_threshold_is_on_letters() -> None:
    assert len("Bundestag stimmt zu") < MIN_LETTERS


def test_clean_text_fills_language() -> None:
    fr = " ".join(SENTENCES["fr"])
    assert clean_text(fr, "Réunion à Genève").language == "fr"
    assert clean_text(" ".join(SENTENCES["en"]), "Talks in Geneva").language == "en"
    assert clean_text("Gaza truce holds").language == "en"
    assert clean_text(fr, options=CleanOptions(detect_language=False)).language is None
