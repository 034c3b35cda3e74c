"""Latin-script transcripts are labelled with their own language, and their titles name themes, not articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.text.keywords import content_words
from tests.ingest.conftest import ingest_file

FRENCH = """Julien Dubois : Bonjour Claire, merci d'être là. Comment êtes-vous devenue architecte ?
Claire Martin : J'ai grandi à Lyon, entourée de chantiers. Mon père était maçon, et je passais mes mercredis avec lui.
Julien Dubois : Quel est le projet dont vous êtes la plus fière ?
Claire Martin : Une école en bois à Grenoble, construite en dix-huit mois. L'école consomme quarante pour cent \
d'énergie en moins, et les enfants y sont bien.
Julien Dubois : Un conseil pour les jeunes architectes ?
Claire Martin : Écoutez les gens qui vont habiter vos bâtiments, pas seulement les clients. Le bois, c'est l'avenir.
"""
SPANISH = """Marta Ruiz: Bienvenida, Lucía. ¿Cómo empezó tu interés por la energía solar?
Lucía Fernández: Crecí en Almería, donde el sol es casi infinito. A los quince años construí mi primer panel \
con piezas recicladas.
Marta Ruiz: ¿Cuánto cuesta hoy instalar paneles en una vivienda?
Lucía Fernández: Una instalación típica de cinco kilovatios cuesta unos seis mil euros, y se amortiza en siete años.
Marta Ruiz: ¿Qué le dirías a alguien que duda?
Lucía Fernández: Que empiece pequeño. La peor decisión es no decidir nada mientras la factura sigue subiendo.
"""
ENGLISH_QUOTING = """Ann Lee: The band opened with "La vida es bella y el mar es azul" and the crowd sang along.
Bob Ray: Was that the moment you knew the tour would work? It was the first night in Madrid for the band.
Ann Lee: It was. The whole crowd sang the chorus with us, and after that we stopped worrying about the tickets.
"""
PORTUGUESE = """Ana: Olá, João. Como você começou a trabalhar com café? Eu sei que a sua família tem uma fazenda.
João: Sim, meu avô plantava café em Minas. Eu não queria isso no começo, mas depois voltei para a fazenda.
Ana: O que mudou desde então?
João: Muito. Hoje vendemos para o Japão e a qualidade do grão é muito melhor do que era.
"""
ITALIAN = """Marco: Buongiorno Giulia, grazie per essere qui. Come hai cominciato a fare il pane?
Giulia: Ho cominciato da bambina, nella cucina di mia nonna. Lei faceva il pane ogni domenica e io la guardavo.
Marco: Qual è il segreto di un buon pane?
Giulia: Il tempo. Non si può avere fretta con la lievitazione, questo è il punto più importante.
"""
DUTCH = """Sanne: Welkom, Pieter. Hoe ben je begonnen met fietsen maken?
Pieter: Ik was twaalf en mijn vader had een werkplaats. Ik heb daar elke zaterdag gewerkt, en dat vond ik heerlijk.
Sanne: Wat is het moeilijkste aan je werk?
Pieter: Goede onderdelen vinden. Het duurt nu soms maanden voordat een frame uit Taiwan komt.
"""
INDONESIAN = """Rina: Selamat datang di acara kami. Di mana Anda tinggal sekarang?
Budi: Saya tinggal di Jakarta dan bekerja di kantor yang ada di pusat kota, di dekat stasiun.
Rina: Apa yang Anda lakukan di akhir pekan?
Budi: Saya bertemu teman di kafe, lalu kami berjalan di taman di belakang rumah saya.
"""


@pytest.mark.parametrize(
    ("name", "text", "language"),
    [
        ("entretien.txt", FRENCH, "fr"),
        ("entrevista.txt", SPANISH, "es"),
        ("entrevista-pt.txt", PORTUGUESE, "pt"),
        ("intervista.txt", ITALIAN, "it"),
        ("interview-nl.txt", DUTCH, "nl"),
        ("tour.txt", ENGLISH_QUOTING, "en"),
        ("wawancara.txt", INDONESIAN, "en"),  # "di" (Italian's "of") a dozen times is no Italian: as before
    ],
)
def test_a_transcript_is_labelled_with_its_own_latin_script_language(
    tmp_path: Path, name: str, text: str, language: str
) -> None:
    """A French or Spanish interview was labelled English (the script alone cannot tell them apart): the English
    language filter returned it and a summary asked for in English showed it with no notice. An English
    interview quoting a Spanish line stays English, and so does a language the bot does not tell apart."""
    transcript = ingest_file(tmp_path, name, text)
    assert transcript.languages == [language]
    assert {turn.lang for turn in transcript.turns} == {language}


def test_an_untitled_french_interview_is_titled_by_its_themes_not_its_articles(tmp_path: Path) -> None:
    """Titles, chapters and keywords count content words: French articles and prepositions were among them
    ("pour, les, architectes"), and accented letters split words ("Écoutez" read 'coutez')."""
    transcript = ingest_file(tmp_path, "entretien.txt", FRENCH)
    themes = transcript.title.split("—", 1)[1].replace(",", " ").split()
    assert themes and not {"les", "pour", "des", "une", "dans", "avec", "sont"} & set(themes), transcript.title
    words = set(content_words(FRENCH))
    assert {"école", "énergie", "écoutez", "bâtiments"} <= words, sorted(words)
    assert not {"coutez", "nergie", "cole", "les", "pour", "l'école", "d'énergie"} & words


SPANISH_PANEL = """Nic Carter: ¿Puede el capital riesgo competir con bitcoin? Creo que hay cosas que no se pueden hacer.
Florian Maier: Soy un fondo de bitcoin. Esas inversiones tienen que tener un horizonte largo, y a veces no hay salida.
Nic Carter: ¿Y las acciones de las empresas de minería? Puede que sean una cobertura a corto plazo.
Florian Maier: Las acciones de minería son cosas muy volátiles. Es difícil competir contra bitcoin con esas ganancias.
Nic Carter: Entonces el capital riesgo tiene que tener paciencia. Puede que las empresas de minería sean la apuesta.
Florian Maier: Soy escéptico. Las empresas de minería dependen del precio, y a veces las cosas cambian muy rápido.
"""


def test_a_spanish_panel_s_themes_are_not_its_everyday_verbs(tmp_path: Path) -> None:
    """A real Spanish panel (bitcointranscripts, Baltic Honeybadger 2018) was titled and summarized by "soy",
    "puede", "cosas", "tener", "esas", "contra": words of talk, like English "thing" and "can", not themes."""
    transcript = ingest_file(tmp_path, "panel.es.md", SPANISH_PANEL)
    themes = set(transcript.title.split("—", 1)[1].replace(",", " ").split())
    assert themes and not {"soy", "puede", "cosas", "tener", "esas", "contra", "veces"} & themes, transcript.title
    assert {"minería", "empresas", "acciones"} & themes, transcript.title
    words = set(content_words(SPANISH_PANEL))  # what titles, chapters and a summary's keywords are drawn from
    assert not {"soy", "puede", "cosas", "tener", "esas", "contra", "veces", "hacer", "creo"} & words, sorted(words)
    assert {"minería", "empresas", "acciones", "inversiones", "cobertura", "ganancias"} <= words


SPANISH_ROLES = """Entrevista con Lucía Fernández sobre energía solar
Por Marta Ruiz

ENTREVISTADORA: Bienvenida, Lucía. ¿Cómo empezó tu interés por la energía solar?
ENTREVISTADA: Crecí en Almería, donde el sol es casi infinito. A los quince años construí mi primer panel.
ENTREVISTADORA: ¿Cuánto cuesta hoy instalar paneles en una vivienda?
ENTREVISTADA: Una instalación típica de cinco kilovatios cuesta unos seis mil euros.
"""
GERMAN_ROLES = """Interview mit Jonas Weber über Lastenräder

MODERATORIN: Herr Weber, wie kam es zu Ihrer Firma?
GAST: Ich habe 2015 in meiner Garage angefangen, Lastenräder zu bauen. Heute haben wir zweiundvierzig Mitarbeiter.
MODERATORIN: Was ist das größte Problem der Branche?
GAST: Die Lieferketten. Ein Rahmen aus Taiwan braucht inzwischen sechs Monate, und das ist nicht gut für uns.
"""


# A Spanish paper's layout: 'P.' (pregunta) and 'R.' (respuesta) open the paragraphs; until stop 42 the whole page
# was one turn, title and byline included.
SPANISH_PRESS = """Entrevista con Lucía Fernández, directora del museo

Por Marta Ruiz

P. ¿Por qué decidió volver a Madrid?

R. Porque aquí está mi familia.

P. ¿Cuál es el mayor reto?

R. La financiación.
"""


# Dialogue dashes: each turn opens with a raya (Spanish) or a dash (French), the speaker changing at each; until
# stop 43 the whole page was one turn, title included.
SPANISH_DASHES = """Entrevista a Lucía Fernández: "La ciencia necesita paciencia"

Por Marta Ruiz

—¿Cuándo decidió ser investigadora?
—A los quince años, después de visitar un laboratorio en Sevilla.
Fue una tarde de octubre.
—¿Qué fue lo más difícil?
—Conseguir financiación. ¿Sabe cuántos años trabajé sin sueldo? Tres.
"""
FRENCH_DASHES = """Entretien avec Claire Martin, architecte

– Comment est née votre passion pour le bois ?
– Dans l'atelier de mon grand-père, à Lyon.
– Quel a été votre premier projet ?
– Une école primaire en 2009, entièrement en pin.
"""

# Japanese interviews dash only the questions, each answer the paragraphs below it.
JAPANESE_DASHES = """インタビュー：山田太郎氏に聞く

――起業のきっかけは何だったのですか。
地元の商店街が寂しくなっていくのを見て、何かできないかと考えました。

――最初の事業は？
農家と飲食店をつなぐアプリです。
最初の一年は利用者が三十人しかいませんでした。

――今後の目標を教えてください。
九州の百の町で使ってもらいたいです。
"""


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (SPANISH_ROLES, ["Marta Ruiz", "Lucía Fernández"] * 2),
        (GERMAN_ROLES, ["Moderatorin", "Jonas Weber"] * 2),
        (SPANISH_PRESS, ["Marta Ruiz", "Lucía Fernández"] * 2),
        (SPANISH_DASHES, ["Marta Ruiz", "Lucía Fernández"] * 2),
        (FRENCH_DASHES, ["Interviewer", "Claire Martin"] * 2),
        (JAPANESE_DASHES, ["Interviewer", "山田太郎"] * 3),  # named by "山田太郎氏に聞く"
    ],
    ids=["spanish", "german", "spanish-press", "spanish-dashes", "french-dashes", "japanese-dashes"],
)
def test_role_labels_in_other_languages_take_the_names_the_page_gives_them(
    tmp_path: Path, text: str, speakers: list[str]
) -> None:
    """ENTREVISTADORA / ENTREVISTADA and MODERATORIN / GAST are the interviewer and the interviewee, as Q / A and
    主持人 / 嘉宾 are: the answers go to the person the title says is interviewed ("con", "mit"), the questions to
    the byline ("Por Marta Ruiz"); a role nobody names keeps its label. They stayed the labels before."""
    transcript = ingest_file(tmp_path, "roles.txt", text)
    assert [turn.speaker for turn in transcript.turns] == speakers
    assert not any(t.text.startswith(("—", "–", "―", "P.", "R.")) for t in transcript.turns)


def test_dashes_that_do_not_alternate_questions_and_answers_are_no_dialogue(tmp_path: Path) -> None:
    """A list of dashed points, or dashed lines that do not ask and answer in turn, stays text."""
    points = "Ana: Three things matter.\n– cost\n– time\n– people\n– luck\nBen: Agreed. Which first?\nAna: Cost.\n"
    assert [t.speaker for t in ingest_file(tmp_path, "points.txt", points).turns] == ["Ana", "Ben", "Ana"]


@pytest.mark.parametrize(
    ("text", "guest"),
    [
        ("진행자: 오늘 모신 분은 김민수 대표입니다. 안녕하세요.\n"
         "게스트: 안녕하세요. 초대해 주셔서 감사합니다.\n"
         "진행자: 회사를 처음 시작하게 된 계기가 무엇인가요?\n"
         "게스트: 대학 시절 동아리에서 만든 번역 앱이 계기였어요.\n", "김민수"),
        ("진행자: 안녕하세요, 여러분. 오늘도 함께해 주셔서 감사합니다.\n"
         "게스트: 안녕하세요, 저는 박지현입니다. 로봇 회사를 운영해요.\n"
         "진행자: 회사를 시작한 계기가 궁금합니다.\n"
         "게스트: 대학원에서 만든 로봇 팔이 계기였습니다.\n", "박지현"),
    ],
    ids=["introduced", "self-introduced"],
)  # fmt: skip
def test_a_korean_guest_is_named_as_the_talk_introduces_them(tmp_path: Path, text: str, guest: str) -> None:
    """The host's '오늘 모신 분은 김민수 대표입니다' or the guest's '저는 박지현입니다' names the guest role (it stayed
    게스트), and the title names the guest, not the host's role beside them ('박지현 & 진행자' in the first version)."""
    transcript = ingest_file(tmp_path, "ko.txt", text)
    assert [t.speaker for t in transcript.turns] == ["진행자", guest] * 2
    assert transcript.title is not None and transcript.title.startswith(guest) and "진행자" not in transcript.title
