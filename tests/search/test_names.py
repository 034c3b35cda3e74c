"""Which speakers a question names: the rules a user relies on, in a library of many speakers."""

from __future__ import annotations

from pathlib import Path

from bot.ingest import load_aliases, parse_transcript
from bot.search.service import match_speakers, mentioned_speakers

CONFIG = Path(__file__).resolve().parents[2] / "config" / "speakers.toml"


def library_speakers(n: int) -> list[str]:
    """A large library's speakers: many guests, a few of them the people the questions below name."""
    return sorted({*(f"Guest {i} Person{i}" for i in range(n)), "Sam Altman", "Masayoshi Son", "孫正義", "Lisa Su"})


def test_names_are_found_and_stripped_among_thousands_of_speakers() -> None:
    speakers = library_speakers(3000)
    named, rest = mentioned_speakers("What did Altman say about compute?", speakers)
    assert named == {"Sam Altman"} and rest == "What did say about compute?"
    named, rest = mentioned_speakers("sam altman's plan for energy", speakers)  # a full name in any case
    assert named == {"Sam Altman"} and rest == "plan for energy"
    named, rest = mentioned_speakers("孙正义怎么看人工智能", speakers)  # the other script
    assert named == {"孫正義"} and rest == "怎么看人工智能"
    assert mentioned_speakers("what did Person2999 say", speakers)[0] == {"Guest 2999 Person2999"}
    # names of one and two letters too (only forms starting with two letters of the question are tried)
    short = [*speakers, "Q", "马云"]
    assert mentioned_speakers("What did Q say about rates?", short)[0] == {"Q"}
    assert mentioned_speakers("馬雲怎么看电商", short) == ({"马云"}, "怎么看电商")


def test_a_lowercase_word_is_not_a_single_name() -> None:
    speakers = library_speakers(3000)
    question = "what my son said about school"
    assert mentioned_speakers(question, speakers) == (frozenset(), question)
    assert mentioned_speakers("Su on margins", speakers)[0] == set()  # too short to be a name on its own


def test_an_alias_names_its_person() -> None:
    aliases = load_aliases(CONFIG)  # the shipped table: 奥特曼 is one of Sam Altman's names
    named, rest = mentioned_speakers("奥特曼怎么看算力", library_speakers(3000), aliases)
    assert named == {"Sam Altman"} and rest == "怎么看算力"


def test_a_typed_speaker_option_finds_the_stored_name_among_thousands() -> None:
    speakers = set(library_speakers(3000))
    assert match_speakers("altman", speakers) == {"Sam Altman"}
    assert match_speakers("SAM ALTMAN", speakers) == {"Sam Altman"}
    assert match_speakers("孙正义", speakers) == {"孫正義"}
    assert match_speakers("%", speakers) == frozenset()


def test_a_full_name_also_finds_the_first_name_other_transcripts_stored() -> None:
    """Lenny's Podcast labels its host 'Lenny Rachitsky' in some episodes and 'Lenny' in others (the corpus
    README says so): a search scoped to Lenny Rachitsky left out every 'Lenny' episode once one said his full name."""
    speakers = {*library_speakers(300), "Lenny Rachitsky", "Lenny", "Lenny Kravitz", "Shreya Shankar"}
    assert match_speakers("Lenny Rachitsky", speakers) == {"Lenny Rachitsky", "Lenny"}
    assert match_speakers("lenny", speakers) == {"Lenny"}  # a first name typed alone: that stored name
    assert match_speakers("Shreya Shankar", speakers) == {"Shreya Shankar"}


def test_people_the_table_knows_are_one_speaker_in_every_script() -> None:
    # A Chinese transcript of Mark Zuckerberg kept the label 扎克伯格, which an English question naming him missed.
    aliases = load_aliases(CONFIG)
    talk = "主持人：你怎么看开源？\n扎克伯格：开源会赢。\n主持人：为什么？\n扎克伯格：因为开发者更多。\n"
    transcript = parse_transcript(talk.encode(), "meta.txt", aliases=aliases)
    assert set(transcript.participants) == {"主持人", "Mark Zuckerberg"}
    speakers = [*library_speakers(3000), "Mark Zuckerberg"]
    assert mentioned_speakers("What does Zuckerberg think of open source?", speakers, aliases)[0] == {"Mark Zuckerberg"}
    assert mentioned_speakers("扎克伯格怎么看开源", speakers, aliases)[0] == {"Mark Zuckerberg"}


def test_a_chinese_speaker_is_named_in_pinyin_either_way_round() -> None:
    # A Chinese transcript labels its guest 姚舜宇; an English question names him as English texts write him.
    speakers = [*library_speakers(3000), "姚舜宇", "曾志远", "主持人"]
    assert mentioned_speakers("What does Shunyu Yao think of Anthropic?", speakers) == (
        {"姚舜宇"},
        "What does think of Anthropic?",
    )
    assert mentioned_speakers("why did yao shunyu leave physics", speakers)[0] == {"姚舜宇"}
    assert mentioned_speakers("What did Zeng Zhiyuan study?", speakers)[0] == {"曾志远"}  # a surname's own reading
    assert match_speakers("Shunyu Yao", set(speakers)) == {"姚舜宇"}  # /quote speaker:"Shunyu Yao"
    assert mentioned_speakers("What did Yao say?", speakers)[0] == set()  # a surname alone is too little
