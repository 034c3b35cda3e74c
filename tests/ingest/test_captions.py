"""Timed formats as real tools write them: YouTube/Teams/Zoom WebVTT, broadcast and film SRT, Whisper, Transcriber."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.ingest import IngestError
from tests.ingest.conftest import ingest_file, speakers_and_texts

YOUTUBE_AUTO = """WEBVTT
Kind: captions
Language: en

00:00:00.160 --> 00:00:02.869 align:start position:0%
 
so<00:00:00.400><c> today</c><00:00:00.640><c> we're</c><00:00:00.880><c> going</c><00:00:01.040><c> to</c>

00:00:02.869 --> 00:00:02.879 align:start position:0%
so today we're going to
 

00:00:02.879 --> 00:00:05.269 align:start position:0%
so today we're going to
talk<00:00:03.120><c> about</c><00:00:03.600><c> compilers</c>

00:00:05.269 --> 00:00:05.279 align:start position:0%
talk about compilers
 

00:00:05.279 --> 00:00:07.829 align:start position:0%
talk about compilers
[Music]<00:00:06.000><c> and</c><00:00:06.240><c> why</c><00:00:06.480><c> they</c><00:00:06.720><c> matter</c>
"""


def test_youtube_auto_captions_are_one_inferred_speaker_without_repeats_or_timings(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "auto.en.vtt", YOUTUBE_AUTO)
    assert transcript.format == "vtt"
    assert list(transcript.participants) == ["Speaker 1"]  # one voice, inferred: no sign of a second person
    assert any("inferred from the text" in w for w in transcript.warnings)
    (turn,) = transcript.turns
    assert " ".join(turn.text.split()) == "so today we're going to talk about compilers and why they matter"
    assert (turn.start, turn.end) == (0.16, 7.829)


LIVE_GROWING = """WEBVTT
Kind: captions
Language: zh

00:00:01.000 --> 00:00:03.000
大家好

00:00:02.000 --> 00:00:04.000
大家好我们今天

00:00:03.000 --> 00:00:05.000
大家好我们今天讲神经网络

00:00:05.500 --> 00:00:08.000 align:start position:0%
<c>反向传播</c>算法

00:00:08.000 --> 00:00:10.000
反向传播算法是训练神经网络的核心

00:00:10.000 --> 00:00:12.000
so today

00:00:10.500 --> 00:00:13.000
so today we talk about compilers
"""


def test_live_captions_that_grow_their_line_cue_by_cue_are_read_once(tmp_path: Path) -> None:
    # Each cue repeated the line before it with more words; all of them were kept ("大家好 大家好我们今天 …").
    transcript = ingest_file(tmp_path, "live.zh.vtt", LIVE_GROWING)
    (turn,) = transcript.turns
    assert turn.text.split() == [
        "大家好我们今天讲神经网络",
        "反向传播算法是训练神经网络的核心",
        "so",
        "today",
        "we",
        "talk",
        "about",
        "compilers",
    ]
    assert (turn.start, turn.end) == (1.0, 13.0)


TEAMS = """WEBVTT

0f4a6c1e-3b2a-4c1d-9b7e-1a2b3c4d5e6f/12-0
00:00:03.120 --> 00:00:05.480
<v Priya Natarajan>Good morning everyone, can you hear me?</v>

0f4a6c1e-3b2a-4c1d-9b7e-1a2b3c4d5e6f/12-1
00:00:05.480 --> 00:00:08.000
<v Priya Natarajan>Let's get started with R&amp;D.</v>

0f4a6c1e-3b2a-4c1d-9b7e-1a2b3c4d5e6f/13-0
00:00:08.900 --> 00:00:11.210
<v Tomás García>Yes, loud and clear.

0f4a6c1e-3b2a-4c1d-9b7e-1a2b3c4d5e6f/14-0
00:00:11.500 --> 00:00:13.000
<v.loud Priya Natarajan>Great.
<v Tomás García>Thanks.</v>
"""


def test_teams_voice_tags_with_cue_ids_classes_and_two_voices_in_one_cue(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "meeting.vtt", TEAMS)
    assert speakers_and_texts(transcript) == [
        ("Priya Natarajan", "Good morning everyone, can you hear me? Let's get started with R&D."),
        ("Tomás García", "Yes, loud and clear."),
        ("Priya Natarajan", "Great."),
        ("Tomás García", "Thanks."),
    ]
    assert [(t.start, t.end) for t in transcript.turns][:2] == [(3.12, 8.0), (8.9, 11.21)]


ZOOM = """WEBVTT - Design review

1
00:00:01.350 --> 00:00:04.020
Jordan Blake: Okay, we're recording now.

2
00:00:04.020 --> 00:00:07.410
Jordan Blake: Welcome to the design review.

3
00:00:07.800 --> 00:00:10.020
Mei-Ling Wu: Thanks Jordan. Note: the slides changed.

4
00:00:10.020 --> 00:00:12.000
Warning: the deadline moved to 10:30 tomorrow.
5
00:00:12.500 --> 00:00:14.000
Jordan Blake: The answer is simple: ship it."""


def test_zoom_name_prefixes_and_colons_inside_speech(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "zoom.vtt", ZOOM)
    assert transcript.title == "Design review"
    assert speakers_and_texts(transcript) == [
        ("Jordan Blake", "Okay, we're recording now. Welcome to the design review."),
        ("Mei-Ling Wu", "Thanks Jordan. Note: the slides changed. Warning: the deadline moved to 10:30 tomorrow."),
        ("Jordan Blake", "The answer is simple: ship it."),
    ]


def test_a_word_holding_a_colon_opening_a_cue_is_no_speaker(tmp_path: Path) -> None:
    # Talk Python's PyScript episode: "BBC Micro:bit was something that I was involved in" made "BBC Micro" the
    # speaker of every cue after it (a label's colon has a space after it, or is a full-width one)
    cues = ["Welcome back to the show.", "BBC Micro:bit was something I worked on.", "So, yep, that's me."]
    vtt = "WEBVTT\n\n" + "".join(f"00:00:0{k}.000 --> 00:00:0{k}.900\n{c}\n\n" for k, c in enumerate(cues))
    transcript = ingest_file(tmp_path, "pyscript.vtt", vtt)
    assert "BBC Micro" not in transcript.participants
    assert "BBC Micro:bit was something I worked on." in " ".join(t.text for t in transcript.turns)


def test_srt_dialogue_dashes_bracket_and_capital_labels_markup_crlf_bom(tmp_path: Path) -> None:
    srt = (
        "1\r\n00:00:01,000 --> 00:00:03,000\r\n- Ana: Where were you?\r\n- Ben: Out.\r\n\r\n"
        "2\r\n00:00:03,500 --> 00:00:06,000\r\n<i>[Ben]</i> I told you <b>already</b>.\r\n\r\n"
        "3\r\n00:00:06,500 --> 00:00:08,000\r\nANA: No, you didn't.\r\n\r\n"
        "4\r\n00:00:08,500 --> 00:00:10,000\r\n[ANA] Fine.\r\n\r\n"
        "5\r\n00:00:10,500 --> 00:00:12,000\r\nBEN: Fine."  # no final newline
    )
    transcript = ingest_file(tmp_path, "film.srt", b"\xef\xbb\xbf" + srt.encode())
    assert transcript.format == "srt"
    assert speakers_and_texts(transcript) == [
        ("Ana", "Where were you?"),
        ("Ben", "Out. I told you already."),
        ("Ana", "No, you didn't. Fine."),
        ("Ben", "Fine."),
    ]
    assert transcript.participants == {"Ana": 2, "Ben": 2}


def test_broadcast_captions_with_speaker_change_marks_and_positioning(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,000\n>> ANNOUNCER: Good evening.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\n>> Tonight, the news.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\n>> SENATOR KIM: Thank you.\n>> ANNOUNCER: Welcome.\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\n{\\an8}>> SENATOR KIM: Glad to be here.\n"
    )
    transcript = ingest_file(tmp_path, "news.srt", srt)
    assert [t.speaker for t in transcript.turns] == ["Announcer", "Senator Kim", "Announcer", "Senator Kim"]
    assert all(">>" not in t.text and "an8" not in t.text for t in transcript.turns)


def test_srt_with_the_name_on_its_own_line(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,000\nJane Doe\nWelcome to the show.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nJohn Roe\nThanks, Jane.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nJane Doe\nLet's begin.\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\nSo we began\nwith the basics.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "n.srt", srt)) == [
        ("Jane Doe", "Welcome to the show."),
        ("John Roe", "Thanks, Jane."),
        ("Jane Doe", "Let's begin. So we began with the basics."),
    ]


TIGHT_CAPTIONS = (
    "1\n00:00:06,126 --> 00:00:09,976\nBekah: Hello and welcome to.Is\nSeason eight,episode four of the\n\n"
    "2\n00:00:09,976 --> 00:00:14,989\nVirtual Coffee Podcast.I'm Bekah,\nand this is a podcast that\n\n"
    "3\n00:00:14,989 --> 00:00:18,618\nfeatures members of the community.Find us\nat virtualcoffee.io or https://x.com/a,b.\n\n"
    "4\n00:00:18,618 --> 00:00:22,849\nHere with me today is my co-host,Dan.\n\n"
    "5\n00:00:22,849 --> 00:00:26,239\nDan: What up back?How's it going?Um,so,I,I,I\nthink it's good,really good.\n\n"
    "6\n00:00:26,239 --> 00:00:29,599\nBekah: It's going good.How's it going with you?\n\n"
    "7\n00:00:29,599 --> 00:00:31,879\nDan: Very,very well.I.Think so.\n"
)


def test_captions_written_without_a_space_after_punctuation_get_their_spaces_back(tmp_path: Path) -> None:
    # Seven Virtual Coffee episodes (seasons 7 and 8) were captioned so: every sentence of a quote ran into the
    # next ('Podcast.I'm'), and a summary's "sentence" was a whole minute of talk.
    assert speakers_and_texts(ingest_file(tmp_path, "s8e4.srt", TIGHT_CAPTIONS)) == [
        (
            "Bekah",
            "Hello and welcome to. Is Season eight, episode four of the Virtual Coffee Podcast. I'm Bekah, and this "
            "is a podcast that features members of the community. Find us at virtualcoffee.io or "
            "https://x.com/a,b. Here with me today is my co-host, Dan.",
        ),
        ("Dan", "What up back? How's it going? Um, so, I, I, I think it's good, really good."),
        ("Bekah", "It's going good. How's it going with you?"),
        ("Dan", "Very, very well. I. Think so."),
    ]
    # A few marks written so are the speaker's or the typist's own ('Dr.Chuck', 'a,b'): the file is left as written.
    usual = (
        "1\n00:00:01,000 --> 00:00:03,000\nAna: I asked Dr.Chuck, and he said a,b and c. Then we left.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nBen: Why?\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nAna: It was late.\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\nBen: Fair.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "usual.srt", usual))[0] == (
        "Ana",
        "I asked Dr.Chuck, and he said a,b and c. Then we left.",
    )


def test_a_file_of_one_caption_cue_is_read_as_captions(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "clip.srt", "1\n00:00:01,000 --> 00:00:03,000\nWe shipped it on Friday.\n")
    assert transcript.format == "srt"
    assert [(t.text, t.start) for t in transcript.turns] == [("We shipped it on Friday.", 1.0)]


def test_sound_descriptions_are_not_speakers(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\n[MUSIC PLAYING]\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\nKAI: Is it on?\n\n"
        "3\n00:00:04,000 --> 00:00:05,000\n[Door Slams] It's on.\n\n"
        "4\n00:00:05,000 --> 00:00:06,000\nKAI: Good.\n\n"
        "5\n00:00:06,000 --> 00:00:07,000\n[MUSIC PLAYING]\n"
    )
    transcript = ingest_file(tmp_path, "s.srt", srt)
    assert list(transcript.participants) == ["Kai"]


def whisper_segment(start: float, end: float, text: str, **extra: object) -> dict[str, object]:
    return {"start": start, "end": end, "text": text, **extra}


def test_whisper_output_without_speakers_keeps_its_times(tmp_path: Path) -> None:
    segments = [
        whisper_segment(0.0, 3.2, " Welcome to the show.", id=0, seek=0, tokens=[50364, 1], temperature=0.0),
        whisper_segment(3.2, 6.0, " Today we talk about rivers.", id=1, seek=0, tokens=[2], avg_logprob=-0.2),
    ]
    text = json.dumps({"text": " Welcome to the show. Today we talk about rivers.", "segments": segments})
    transcript = ingest_file(tmp_path, "episode.json", text)
    assert speakers_and_texts(transcript) == [("Speaker 1", "Welcome to the show. Today we talk about rivers.")]
    assert (transcript.turns[0].start, transcript.turns[0].end) == (0.0, 6.0)
    assert transcript.warnings


def test_whisperx_with_words_and_a_segment_the_diarizer_left_unassigned(tmp_path: Path) -> None:
    words = [{"word": "Hi", "start": 0.03, "end": 0.2, "score": 0.9, "speaker": "SPEAKER_00"}]
    data = {
        "segments": [
            whisper_segment(0.03, 2.5, " Hi Dana, thanks for coming.", speaker="SPEAKER_00", words=words),
            whisper_segment(2.6, 4.0, " Happy to be here.", speaker="SPEAKER_01", words=[]),
            whisper_segment(4.0, 5.0, " Let's begin.", words=[]),
            whisper_segment(5.1, 7.0, " So what is a river?", speaker="SPEAKER_00", words=[]),
        ],
        "word_segments": words,
    }
    transcript = ingest_file(tmp_path, "wx.json", json.dumps(data, indent=2))
    assert speakers_and_texts(transcript) == [
        ("Speaker 0", "Hi Dana, thanks for coming."),
        ("Dana", "Happy to be here. Let's begin."),
        ("Speaker 0", "So what is a river?"),
    ]
    assert [t.start for t in transcript.turns] == [0.03, 2.6, 5.1]


def test_diarized_segments_with_string_times(tmp_path: Path) -> None:
    segments = [
        {"start": "0.0", "end": "1.5", "speaker": "SPEAKER_00", "text": "Hello."},
        {"start": "00:00:01.500", "end": "00:00:03.000", "speaker": "SPEAKER_01", "text": "Hi there."},
    ]
    transcript = ingest_file(tmp_path, "d.json", json.dumps(segments))
    assert [(t.speaker, t.start, t.end) for t in transcript.turns] == [("Speaker 0", 0.0, 1.5), ("Speaker 1", 1.5, 3.0)]


def test_whisper_json_with_only_text(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "t.json", json.dumps({"text": " One long monologue.", "language": "en"}))
    assert speakers_and_texts(transcript) == [("Speaker 1", "One long monologue.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps({"segments": []}), "no transcript text"),
        (json.dumps({"name": "colloquy", "version": "1.0"}), "Whisper"),
    ],
)
def test_json_that_holds_no_transcript_is_refused(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        ingest_file(tmp_path, "x.json", content)


def test_whisper_tsv(tmp_path: Path) -> None:
    tsv = "start\tend\ttext\n0\t3200\tWelcome to the show.\n3200\t6000\tToday we talk rivers.\n"
    transcript = ingest_file(tmp_path, "w.tsv", tsv)
    assert transcript.format == "whisper-tsv"
    assert speakers_and_texts(transcript) == [("Speaker 1", "Welcome to the show. Today we talk rivers.")]
    assert (transcript.turns[0].start, transcript.turns[0].end) == (0.0, 6.0)


TRANSCRIBER = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE Trans SYSTEM "trans-14.dtd">
<Trans scribe="anon" audio_filename="radio_42" version="3" version_date="040302">
<Topics><Topic id="to1" desc="Les cafés"/></Topics>
<Speakers>
<Speaker id="spk1" name="Marie Dupont" check="no" dialect="native" accent="" scope="local"/>
<Speaker id="spk2" name="Jean Martin" check="no" dialect="native" accent="" scope="local"/>
</Speakers>
<Episode program="Radio Matin" air_date="2004-03-02 08:00">
<Section type="report" topic="to1" startTime="0" endTime="20.5">
<Turn speaker="spk1" startTime="0" endTime="6.2">
<Sync time="0"/>
Bonjour et bienvenue au café.
<Sync time="3.1"/>
<Event desc="rire" type="noise" extent="instantaneous"/>
Aujourd'hui nous parlons du thé.
</Turn>
<Turn speaker="spk2" startTime="6.2" endTime="12">
<Sync time="6.2"/>
Merci Marie.
</Turn>
<Turn speaker="spk1 spk2" startTime="12" endTime="15">
<Sync time="12"/>
<Who nb="1"/>
Oui.
<Who nb="2"/>
Non.
</Turn>
<Turn startTime="15" endTime="20.5"><Sync time="15"/></Turn>
</Section>
</Episode>
</Trans>
"""


def test_transcriber_xml_in_its_declared_latin_1(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "radio.trs", TRANSCRIBER.encode("latin-1"))
    assert (transcript.format, transcript.title, transcript.date) == ("transcriber", "Radio Matin", "2004-03-02")
    assert speakers_and_texts(transcript) == [
        ("Marie Dupont", "Bonjour et bienvenue au café. Aujourd'hui nous parlons du thé."),
        ("Jean Martin", "Merci Marie."),
        ("Marie Dupont", "Oui."),
        ("Jean Martin", "Non."),
    ]
    assert transcript.turns[0].section == "Les cafés"
    assert (transcript.turns[1].start, transcript.turns[1].end) == (6.2, 12.0)


@pytest.mark.parametrize(
    ("name", "table"),
    [
        (
            "premiere.csv",
            'Speaker Name,Start Time,End Time,Text\nAna Ruiz,00:00:01:12,00:00:04:00,"Welcome, everyone."\n'
            'Bo Chen,00:00:04:12,00:00:07:00,"Thanks, Ana. Glad to be here."\n',
        ),
        (
            "notes.md",
            "| Time | Speaker | Text |\n|---|---|---|\n| 00:00:01 | Ana Ruiz | Welcome, everyone. |\n"
            "| 00:00:04 | Bo Chen | Thanks, Ana. Glad to be here. |\n",
        ),
        (
            "export.tsv",
            "Speaker\tStart\tEnd\tText\nAna Ruiz\t1\t4\tWelcome, everyone.\n"
            "Bo Chen\t4\t7\tThanks, Ana. Glad to be here.\n",
        ),
    ],
)
def test_a_transcript_exported_as_a_table(tmp_path: Path, name: str, table: str) -> None:
    # CSV, TSV and Markdown tables were read as speech: the header, times, commas and pipes in every quote.
    transcript = ingest_file(tmp_path, name, table)
    assert speakers_and_texts(transcript) == [
        ("Ana Ruiz", "Welcome, everyone."),
        ("Bo Chen", "Thanks, Ana. Glad to be here."),
    ]
    assert [t.start for t in transcript.turns] == [1.0, 4.0]


def test_text_whose_first_line_has_commas_is_no_table(tmp_path: Path) -> None:
    text = "Ana, Bo, and the text we read\nAna: Welcome, everyone.\nBo: Thanks, Ana.\n"
    assert speakers_and_texts(ingest_file(tmp_path, "talk.txt", text)) == [
        ("Ana", "Welcome, everyone."),
        ("Bo", "Thanks, Ana."),
    ]


def test_xml_that_is_not_transcriber_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="<rss> root: not a transcript"):
        ingest_file(tmp_path, "feed.xml", '<?xml version="1.0"?><rss><channel/></rss>')


def test_xml_captions_ttml_and_youtube_timed_text(tmp_path: Path) -> None:
    # Broadcasters' TTML/DFXP and YouTube's timed text were refused as "not a Transcriber (.trs) file".
    ttml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml" '
        'xmlns:ttm="http://www.w3.org/ns/ttml#metadata" ttp:tickRate="10000000" '
        'xmlns:ttp="http://www.w3.org/ns/ttml#parameter"><body><div>'
        '<p begin="00:00:01.000" end="00:00:03.500" ttm:agent="Ana">Welcome to the programme.<br/>Tonight, tides.</p>'
        '<p begin="36000000t" end="6s" ttm:agent="Bo Chen"><span>Thank you for having me.</span></p>'
        "</div></body></tt>"
    )
    transcript = ingest_file(tmp_path, "tides.ttml", ttml)
    assert speakers_and_texts(transcript) == [
        ("Ana", "Welcome to the programme. Tonight, tides."),
        ("Bo Chen", "Thank you for having me."),
    ]
    named = ttml.replace(  # EBU-TT names its agents in the head
        "<body>",
        '<head><ttm:agent xml:id="Ana" type="person"><ttm:name type="full">Ana Ruiz</ttm:name></ttm:agent></head>'
        "<body>",
    )
    assert [t.speaker for t in ingest_file(tmp_path, "named.ttml", named).turns] == ["Ana Ruiz", "Bo Chen"]
    assert [(t.start, t.end) for t in transcript.turns] == [(1.0, 3.5), (3.6, 6.0)]
    timed = (
        '<?xml version="1.0" encoding="utf-8" ?><transcript><text start="0.5" dur="2.1">welcome back</text>'
        '<text start="2.6" dur="3">today we&amp;#39;re making bread</text></transcript>'
    )
    (turn,) = ingest_file(tmp_path, "bread.xml", timed).turns
    assert (turn.text, turn.start, turn.end) == ("welcome back\ntoday we're making bread", 0.5, 5.6)
    srv3 = '<?xml version="1.0"?><timedtext format="3"><body><p t="500" d="2100">welcome back</p></body></timedtext>'
    (turn,) = ingest_file(tmp_path, "bread.srv3", srv3).turns
    assert (turn.text, turn.start, turn.end) == ("welcome back", 0.5, 2.6)


def test_two_named_speakers_in_one_cue(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,000\nJane: Hi.\nJohn: Hello.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nJane: Ready?\n\n3\n00:00:05,000 --> 00:00:07,000\nJohn: Yes.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "two.srt", srt)) == [
        ("Jane", "Hi."),
        ("John", "Hello."),
        ("Jane", "Ready?"),
        ("John", "Yes."),
    ]


def test_names_in_brackets_and_a_dash_line_between_two_speakers_in_a_cue(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n00:00:08.000 --> 00:00:12.000\n(Danyel Fisher)\nWhat is your\n\n"
        "00:00:16.000 --> 00:00:20.000\n(Danyel Fisher)\nbackground?\n-\n \n"
        "(Dana Bettinger)\nSafari wise or life wise\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "i.vtt", vtt)) == [
        ("Danyel Fisher", "What is your background?"),
        ("Dana Bettinger", "Safari wise or life wise"),
    ]


def test_a_title_case_first_line_is_a_caption_not_a_speaker(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,000\nGood Morning\neveryone, welcome.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nToday We Talk\nabout rivers.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "gm.srt", srt)) == [
        ("Speaker 1", "Good Morning everyone, welcome. Today We Talk about rivers.")
    ]


def test_bilingual_subtitles_keep_each_cue_with_its_translation(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\n莱克斯：欢迎来到播客\nLex Fridman: Welcome to the podcast.\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\n很高兴见到你\nGreat to see you.\n\n"
        "3\n00:00:07,000 --> 00:00:10,000\n山姆：谢谢邀请我\nSam: Thanks for having me.\n\n"
        "4\n00:00:10,000 --> 00:00:13,000\n我们从GPT-4开始聊吧\nLet's start with GPT-4.\n"
    )
    transcript = ingest_file(tmp_path, "bilingual.srt", srt)
    assert transcript.languages == ["en", "zh-Hans"]
    assert [(t.speaker, t.text, t.translation) for t in transcript.turns] == [
        ("Lex Fridman", "Welcome to the podcast.\nGreat to see you.", "欢迎来到播客\n很高兴见到你"),
        ("Sam", "Thanks for having me.\nLet's start with GPT-4.", "谢谢邀请我\n我们从GPT-4开始聊吧"),
    ]
    # one cue a language at the same times, as subtitle mergers write them: the two languages were one text in turn
    split = re.sub(
        r"(\d+)\n(\S+ --> \S+)\n(.+)\n(.+)\n", lambda m: f"{m[1]}\n{m[2]}\n{m[3]}\n\n{m[1]}b\n{m[2]}\n{m[4]}\n", srt
    )
    assert split.count(" --> ") == 8
    again = ingest_file(tmp_path, "merged.srt", split)
    assert [(t.speaker, t.text, t.translation) for t in again.turns] == [
        (t.speaker, t.text, t.translation) for t in transcript.turns
    ]


def test_pronouns_and_guest_tags_after_a_name_are_not_part_of_it(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nKaren Liu: Revenue is up: mostly enterprise.\n\n"
        "2\n00:00:03.000 --> 00:00:05.000\nJean-Luc Picard (he/him): Is that net of churn?\n\n"
        "3\n00:00:05.000 --> 00:00:07.000\n<v Schmidt, Anna (External)>It is.</v>\n"
    )
    transcript = ingest_file(tmp_path, "zoom.vtt", vtt)
    assert [t.speaker for t in transcript.turns] == ["Karen Liu", "Jean-Luc Picard", "Schmidt, Anna"]


def test_later_cues_shorten_a_titled_name_to_a_first_name_in_capitals(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:00,000 --> 00:00:02,500\n[Emily Watson]\nHi, this is Deep Dive.\n\n"
        "2\n00:00:02,500 --> 00:00:05,000\n(Dr. Raj Patel) Thanks for having me.\n\n"
        "3\n00:00:05,000 --> 00:00:08,000\n>> EMILY: So how bad is it?\n\n"
        "4\n00:00:08,000 --> 00:00:11,000\n>> RAJ: Worse than you think.\n\n"
        "5\n00:00:11,000 --> 00:00:14,000\n>> COLLINS: Not me.\n"
    )
    transcript = ingest_file(tmp_path, "show.srt", srt)
    assert [t.speaker for t in transcript.turns] == [
        "Emily Watson", "Dr. Raj Patel", "Emily Watson", "Dr. Raj Patel", "Collins",
    ]  # fmt: skip


def test_a_surname_in_capitals_is_shown_as_the_full_name(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nNARRATOR: In 1969, the world watched.\n\n"
        "2\n00:00:04,000 --> 00:00:08,000\nMICHAEL COLLINS: I was alone.\n\n"
        "3\n00:00:08,000 --> 00:00:11,000\nNARRATOR: Collins orbited for 21 hours.\n\n"
        "4\n00:00:11,000 --> 00:00:14,000\nCOLLINS: I wasn't lonely.\n"
    )
    assert ingest_file(tmp_path, "doc.srt", srt).participants == {"Narrator": 2, "Michael Collins": 2}


def test_sound_descriptions_and_subtitle_credits_are_not_speech(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:21,000 --> 00:00:24,000\n(DOOR CREAKS)\nHello? Is anyone there?\n\n"
        "2\n00:00:24,500 --> 00:00:27,000\nOver here (NASA) said.\n\n"
        "3\n00:00:27,500 --> 00:00:30,000\nSubtitles by ExampleSubs\nwww.examplesubs.org\n"
    )
    (turn,) = ingest_file(tmp_path, "film.srt", srt).turns
    assert (turn.text, turn.end) == ("Hello? Is anyone there? Over here (NASA) said.", 27.0)


def test_a_subtitle_group_s_credits_and_whisper_s_captions_of_silence_are_not_speech(tmp_path: Path) -> None:
    # The group's credit opened the file as an "Unknown" speaker's turn, and its roles closed the guest's last one.
    srt = (
        '1\n00:00:01,000 --> 00:00:03,000\n{\\an8}<font color="#ffff00">本字幕由某某字幕组翻译</font>\n\n'
        "2\n00:00:03,500 --> 00:00:06,000\n<i>主持人：</i>欢迎来到节目\n\n"
        "3\n00:00:06,500 --> 00:00:09,000\n嘉宾：谢谢邀请。我以前在字幕组工作过，翻译：我也做过。\n\n"
        "4\n00:00:15,500 --> 00:00:18,000\n{\\an8}翻译：小王 校对：小李 时间轴：小张\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "fansub.srt", srt)) == [
        ("主持人", "欢迎来到节目"),
        ("嘉宾", "谢谢邀请。我以前在字幕组工作过，翻译：我也做过。"),
    ]
    # Whisper fills silence in Chinese audio with the captions it was trained on
    segments = [
        {"start": 0.0, "end": 4.0, "text": "大家好，欢迎收听本期节目。"},
        {"start": 4.0, "end": 9.0, "text": "我们下期再见。"},
        {"start": 30.0, "end": 34.0, "text": "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目"},
        {"start": 34.0, "end": 36.0, "text": "字幕由Amara.org社区提供"},
    ]
    (turn,) = ingest_file(tmp_path, "whisper.json", json.dumps({"segments": segments})).turns
    assert (turn.text, turn.end) == ("大家好，欢迎收听本期节目。我们下期再见。", 9.0)


def test_speech_to_text_caught_in_a_loop_is_read_once(tmp_path: Path) -> None:
    # Whisper over music wrote "我们下期再见。" twelve times: twelve quotes, and a summary point, of one goodbye.
    segments = [{"start": 0.0, "end": 4.0, "text": "今天我们聊聊存储引擎为什么难做。"}]
    segments += [{"start": 4.0 + 2 * i, "end": 6.0 + 2 * i, "text": "我们下期再见。"} for i in range(12)]
    segments += [{"start": 40.0 + i, "end": 41.0 + i, "text": "好。"} for i in range(3)]
    (turn,) = ingest_file(tmp_path, "loop.json", json.dumps({"segments": segments})).turns
    assert turn.text == "今天我们聊聊存储引擎为什么难做。我们下期再见。好。好。好。"  # a backchannel is how people talk
    assert turn.end == 43.0
    # Whisper's Chinese often has no punctuation: each segment its own line, the loop the same line again
    bare = [{"start": 2.0 * i, "end": 2.0 * i + 2, "text": t} for i, t in enumerate(
        ["大家好欢迎收听本期节目", *["我们下期再见"] * 8, "我们下期再见了吧", "好的 谢谢大家"])]  # fmt: skip
    (turn,) = ingest_file(tmp_path, "bare.json", json.dumps({"segments": bare})).turns
    assert turn.text.split("\n") == ["大家好欢迎收听本期节目", "我们下期再见", "我们下期再见了吧", "好的 谢谢大家"]
    # in a text transcript made by speech-to-text too, within a line; who said what is read as before
    text = (
        "Jay: I'm not going to talk about it. I'm not going to talk about it. I'm not going to talk about it. Anyway.\n"
        "Kathy: Yeah. Yeah. Yeah. Fair enough, fair enough.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "loop.txt", text)) == [
        ("Jay", "I'm not going to talk about it. Anyway."),
        ("Kathy", "Yeah. Yeah. Yeah. Fair enough, fair enough."),
    ]


def test_chinese_labels_in_square_brackets_and_a_guest_who_says_her_name(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\n【主持人】大家好，欢迎来到《硅谷101》。\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\n【嘉宾】大家好，我是陈茜。\n\n"
        "3\n00:00:07,000 --> 00:00:10,000\n【主持人】今天聊聊芯片。\n\n"
        "4\n00:00:10,000 --> 00:00:13,000\n【嘉宾】我是觉得这个话题很大。\n"
    )
    transcript = ingest_file(tmp_path, "zh.srt", srt)
    assert speakers_and_texts(transcript) == [
        ("主持人", "大家好，欢迎来到《硅谷101》。"),
        ("陈茜", "大家好，我是陈茜。"),
        ("主持人", "今天聊聊芯片。"),
        ("陈茜", "我是觉得这个话题很大。"),
    ]


def test_whisper_cpp_json_times_in_milliseconds(tmp_path: Path) -> None:
    data = {
        "model": {"type": "base"},
        "result": {"language": "en"},
        "transcription": [
            {"timestamps": {"from": "00:00:00,000", "to": "00:00:04,200"}, "offsets": {"from": 0, "to": 4200},
             "text": " Ask not what your country can do for you,"},
            {"timestamps": {"from": "00:00:04,200", "to": "00:00:08,000"}, "offsets": {"from": 4200, "to": 8000},
             "text": " ask what you can do for your country."},
        ],
    }  # fmt: skip
    (turn,) = ingest_file(tmp_path, "speech.json", json.dumps(data)).turns
    assert turn.text == "Ask not what your country can do for you, ask what you can do for your country."
    assert (turn.start, turn.end) == (0.0, 8.0)


def test_hugging_face_pipeline_chunks_keep_their_times(tmp_path: Path) -> None:
    # transformers' speech-recognition pipeline with timestamps: only its "text" was read, without a time.
    data = {
        "text": " Ask not what your country can do for you, ask what you can do for your country.",
        "chunks": [
            {"timestamp": [0.0, 4.2], "text": " Ask not what your country can do for you,"},
            {"timestamp": [4.2, 8.0], "text": " ask what you can do for your country."},
        ],
    }
    (turn,) = ingest_file(tmp_path, "speech.json", json.dumps(data)).turns
    assert turn.text == "Ask not what your country can do for you, ask what you can do for your country."
    assert (turn.start, turn.end) == (0.0, 8.0)
    data = [{"timestamp": "00:01:05", "speaker": "Ana", "text": "Hi."}, {"timestamp": "00:01:07", "speaker": "Bo",
            "text": "Hello."}]  # fmt: skip
    assert [t.start for t in ingest_file(tmp_path, "list.json", json.dumps(data)).turns] == [65.0, 67.0]


_ASKED, _ANSWERED = "Welcome to the show. What do you build?", "Solar water pumps for farms."
# Amazon Transcribe's words before it wrote audio_segments: (start, end, word), times as strings
_AMAZON_ASKED = [(f"{0.08 + 0.25 * i:.2f}", f"{0.3 + 0.3 * i:.2f}", w) for i, w in enumerate(_ASKED[:-1].split())]
_AMAZON_ANSWERED = [(f"{2.6 + 0.5 * i:.2f}", f"{2.9 + 0.8 * i:.2f}", w) for i, w in enumerate(_ANSWERED[:-1].split())]
SERVICE_JSON = {
    "deepgram": {"metadata": {"duration": 9.0}, "results": {
        "channels": [{"alternatives": [{"transcript": "welcome to the show what do you build solar water pumps"}]}],
        "utterances": [{"start": 0.08, "end": 2.4, "transcript": _ASKED, "speaker": 0, "channel": 0},
                       {"start": 2.6, "end": 6.1, "transcript": _ANSWERED, "speaker": 1, "channel": 0}]}},
    # Deepgram without utterances (until stop 69 one voice without times): smart formatting's paragraphs, or words
    "deepgram paragraphs": {"results": {"channels": [{"alternatives": [{
        "transcript": f"{_ASKED} {_ANSWERED}", "paragraphs": {"transcript": "", "paragraphs": [
            {"sentences": [{"text": "Welcome to the show.", "start": 0.08, "end": 1.0},
                           {"text": "What do you build?", "start": 1.1, "end": 2.4}],
             "speaker": 0, "start": 0.08, "end": 2.4},
            {"sentences": [{"text": _ANSWERED, "start": 2.6, "end": 6.1}],
             "speaker": 1, "start": 2.6, "end": 6.1}]}}]}]}},
    "deepgram words": {"results": {"channels": [{"alternatives": [{"transcript": f"{_ASKED} {_ANSWERED}", "words": [
        *({"word": w.lower(), "punctuated_word": w, "start": 0.08 + 0.25 * i, "end": 0.3 + 0.3 * i, "speaker": 0}
          for i, w in enumerate(_ASKED.split())),
        *({"word": w.lower(), "punctuated_word": w, "start": 2.6 + 0.5 * i, "end": 2.6 + 0.7 * (i + 1), "speaker": 1}
          for i, w in enumerate(_ANSWERED.split()))]}]}]}},
    "amazon": {"jobName": "j", "status": "COMPLETED", "results": {
        "transcripts": [{"transcript": f"{_ASKED} {_ANSWERED}"}], "items": [],
        "audio_segments": [{"id": 0, "transcript": _ASKED, "start_time": "0.08", "end_time": "2.40",
                            "speaker_label": "spk_0"},
                           {"id": 1, "transcript": _ANSWERED, "start_time": "2.60", "end_time": "6.10",
                            "speaker_label": "spk_1"}]}},
    "amazon, before audio_segments": {"results": {
        "transcripts": [{"transcript": f"{_ASKED} {_ANSWERED}"}],
        "speaker_labels": {"speakers": 2, "segments": [
            {"speaker_label": f"spk_{n}", "items": [{"speaker_label": f"spk_{n}", "start_time": s} for s, _, _ in said]}
            for n, said in enumerate((_AMAZON_ASKED, _AMAZON_ANSWERED))]},
        "items": [
            *({"type": "pronunciation", "start_time": s, "end_time": e, "alternatives": [{"content": w}]}
              for s, e, w in _AMAZON_ASKED),
            {"type": "punctuation", "alternatives": [{"content": "?"}]},
            *({"type": "pronunciation", "start_time": s, "end_time": e, "alternatives": [{"content": w}]}
              for s, e, w in _AMAZON_ANSWERED),
            {"type": "punctuation", "alternatives": [{"content": "."}]}]}},
    "azure": {"source": "https://example.org/talk.wav", "durationInTicks": 61000000, "recognizedPhrases": [
        {"recognitionStatus": "Success", "channel": 0, "speaker": 0, "offsetInTicks": 800000,
         "durationInTicks": 23200000, "nBest": [{"confidence": 0.9, "lexical": "welcome to the show",
                                                 "display": _ASKED}]},
        {"recognitionStatus": "Success", "channel": 0, "speaker": 1, "offsetInTicks": 26000000,
         "durationInTicks": 35000000, "nBest": [{"display": _ANSWERED}]}]},
    "speechmatics": {"format": "2.9", "results": [
        *({"type": "word", "start_time": 0.08 + 0.25 * i, "end_time": 0.3 + 0.3 * i,
           "alternatives": [{"content": w, "speaker": "Speaker 0"}]} for i, w in enumerate(_ASKED[:-1].split())),
        {"type": "punctuation", "start_time": 2.4, "end_time": 2.4,
         "alternatives": [{"content": "?", "speaker": "Speaker 0"}]},
        *({"type": "word", "start_time": 2.6 + 0.5 * i, "end_time": 3.0 + 0.5 * i,
           "alternatives": [{"content": w, "speaker": "Speaker 1"}]} for i, w in enumerate(_ANSWERED[:-1].split())),
        {"type": "punctuation", "start_time": 6.1, "end_time": 6.1,
         "alternatives": [{"content": ".", "speaker": "Speaker 1"}]}]},
    "revai": {"monologues": [
        {"speaker": 0, "elements": [{"type": "text", "value": _ASKED, "ts": 0.08, "end_ts": 2.4}]},
        {"speaker": 1, "elements": [{"type": "text", "value": "Solar", "ts": 2.6, "end_ts": 3.0},
                                    {"type": "punct", "value": " "},
                                    {"type": "text", "value": "water pumps for farms", "ts": 3.1, "end_ts": 6.1},
                                    {"type": "punct", "value": "."}]}]},
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(SERVICE_JSON))
def test_other_speech_services_json_keeps_speakers_and_times(tmp_path: Path, service: str) -> None:
    # Deepgram, Amazon Transcribe and Rev.ai output was refused: "JSON without a list of segments"; Azure Speech's
    # and Speechmatics' until stop 62.
    transcript = ingest_file(tmp_path, f"{service}.json", json.dumps(SERVICE_JSON[service]))
    assert speakers_and_texts(transcript) == [("Speaker 0", _ASKED), ("Speaker 1", _ANSWERED)]
    assert [(t.start, t.end) for t in transcript.turns] == [(0.08, 2.4), (2.6, 6.1)]


def test_google_speech_to_text_json_keeps_speakers_and_times(tmp_path: Path) -> None:
    """Google Cloud Speech-to-Text's response was refused ("JSON without a list of segments"). Diarized, its last
    result lists every word with a speaker tag; otherwise each result is a segment timed by its words (times are
    '0.080s' strings, or seconds and nanos)."""

    def word(text: str, start: float, end: float, tag: int | None = None) -> dict[str, object]:
        return {"startTime": f"{start:.3f}s", "endTime": f"{end:.3f}s", "word": text} | (
            {"speakerTag": tag} if tag else {}
        )

    asked = [word(w, 0.08 + 0.3 * i, 0.38 + 0.3 * i) for i, w in enumerate(_ASKED.split())]
    answered = [word(w, 2.6 + 0.5 * i, 3.1 + 0.5 * i) for i, w in enumerate(_ANSWERED.split())]
    results = [
        {"alternatives": [{"transcript": _ASKED, "confidence": 0.93, "words": asked}], "resultEndTime": "2.400s"},
        {"alternatives": [{"transcript": f" {_ANSWERED}", "words": answered}], "resultEndTime": "6.100s"},
    ]
    plain = {"@type": "type.googleapis.com/google.cloud.speech.v1.LongRunningRecognizeResponse", "results": results}
    transcript = ingest_file(tmp_path, "google.json", json.dumps(plain))
    assert " ".join(t.text for t in transcript.turns) == f"{_ASKED} {_ANSWERED}"
    assert (transcript.turns[0].start, transcript.turns[-1].end) == (0.08, 6.1)
    tagged = [dict(w, speakerTag=1) for w in asked] + [dict(w, speakerTag=2) for w in answered]
    diarized = {"results": [*results, {"alternatives": [{"transcript": "", "words": tagged}]}]}
    diarized["results"][0]["alternatives"][0]["words"][0]["startTime"] = {"nanos": 80000000}
    transcript = ingest_file(tmp_path, "diarized.json", json.dumps(diarized))
    assert speakers_and_texts(transcript) == [("Speaker 1", _ASKED), ("Speaker 2", _ANSWERED)]
    assert [(t.start, t.end) for t in transcript.turns] == [(0.08, 2.48), (2.6, 5.1)]  # from the tagged words


def test_a_podcast_feed_s_json_transcript_keeps_speakers_and_times(tmp_path: Path) -> None:
    # The Podcasting 2.0 transcript a feed links with <podcast:transcript type="application/json"> was refused.
    segments = [
        {"speaker": "Alice Chen", "startTime": 0.5, "endTime": 3.2, "body": "Welcome. I'm joined by Bob Ortiz."},
        {"speaker": "Bob Ortiz", "startTime": 3.4, "endTime": 5.0, "body": "Thanks for having me, Alice."},
    ]
    transcript = ingest_file(tmp_path, "episode.json", json.dumps({"version": "1.0.0", "segments": segments}))
    assert speakers_and_texts(transcript) == [
        ("Alice Chen", "Welcome. I'm joined by Bob Ortiz."),
        ("Bob Ortiz", "Thanks for having me, Alice."),
    ]
    assert [(t.start, t.end) for t in transcript.turns] == [(0.5, 3.2), (3.4, 5.0)]


def test_bilibili_and_youtube_json_captions_are_read_with_their_times(tmp_path: Path) -> None:
    # Bilibili's subtitle JSON and YouTube's json3 (as yt-dlp saves them) were refused.
    bilibili = {"type": "AIsubtitle", "lang": "zh", "body": [
        {"from": 0.5, "to": 2.8, "sid": 1, "location": 2, "content": "大家好，欢迎来到我的频道"},
        {"from": 2.8, "to": 6.1, "sid": 2, "location": 2, "content": "今天聊一聊大模型的训练成本"}]}  # fmt: skip
    (turn,) = ingest_file(tmp_path, "bili.json", json.dumps(bilibili, ensure_ascii=False)).turns
    assert (turn.text, turn.start, turn.end) == ("大家好，欢迎来到我的频道\n今天聊一聊大模型的训练成本", 0.5, 6.1)
    youtube = {"wireMagic": "pb3", "events": [
        {"tStartMs": 0, "dDurationMs": 3000, "segs": [{"utf8": "welcome back everyone"}]},
        {"tStartMs": 3000, "dDurationMs": 2500, "segs": [{"utf8": "today we bake"}, {"utf8": " sourdough"}]},
        {"tStartMs": 5500, "dDurationMs": 10, "aAppend": 1, "segs": [{"utf8": "\n"}]}]}  # fmt: skip
    (turn,) = ingest_file(tmp_path, "talk.en.json3", json.dumps(youtube)).turns
    assert (turn.text, turn.start, turn.end) == ("welcome back everyone\ntoday we bake sourdough", 0.0, 5.5)


def test_diarized_utterances_json(tmp_path: Path) -> None:
    data = {
        "text": "Hello there. I'm good.",
        "words": [{"text": "Hello", "start": 250, "end": 600, "speaker": "A"}],
        "utterances": [
            {"speaker": "A", "start": 250, "end": 2100, "text": "Hello there, how are you?", "words": []},
            {"speaker": "B", "start": 2300, "end": 4000, "text": "I'm good, thanks.", "words": []},
        ],
    }
    transcript = ingest_file(tmp_path, "aai.json", json.dumps(data))
    assert speakers_and_texts(transcript) == [
        ("Speaker A", "Hello there, how are you?"),
        ("Speaker B", "I'm good, thanks."),
    ]
    assert transcript.turns[1].start == 2.3


def test_diarized_speakers_named_by_a_name_at_the_end_of_a_clause(tmp_path: Path) -> None:
    segments = [
        {"start": 0.0, "end": 3.2, "text": " Thanks for coming on.", "speaker": "SPEAKER_01"},
        {"start": 3.4, "end": 6.0, "text": " Of course, Luis. Happy to be here.", "speaker": "SPEAKER_00"},
        {"start": 6.0, "end": 9.0, "text": " Great. Dana, tell us about 2019.", "speaker": "SPEAKER_01"},
        {"start": 9.0, "end": 12.0, "text": " Well, it was hard, God.", "speaker": "SPEAKER_00"},
        # a month ending a list is nobody addressed: this once named the host "December"
        {"start": 12.0, "end": 15.0, "text": " We open in October, November, December.", "speaker": "SPEAKER_01"},
        {"start": 15.0, "end": 18.0, "text": " And then Miami, in December.", "speaker": "SPEAKER_01"},
    ]
    transcript = ingest_file(tmp_path, "x.json", json.dumps({"segments": segments}))
    assert list(transcript.participants) == ["Luis", "Speaker 0"]


def test_whisperx_segment_without_a_speaker_takes_the_one_its_words_carry(tmp_path: Path) -> None:
    words = [{"word": "Right,", "start": 4.0, "end": 4.3, "speaker": "SPEAKER_00"}, {"word": "go.", "start": 4.4}]
    data = {
        "segments": [
            whisper_segment(0.0, 2.0, " Ready?", speaker="SPEAKER_00", words=[]),
            whisper_segment(2.0, 4.0, " Ready.", speaker="SPEAKER_01", words=[]),
            whisper_segment(4.0, 5.0, " Right, go.", words=words),
        ]
    }
    transcript = ingest_file(tmp_path, "wx.json", json.dumps(data))
    assert speakers_and_texts(transcript) == [
        ("Speaker 0", "Ready?"),
        ("Speaker 1", "Ready."),
        ("Speaker 0", "Right, go."),
    ]


def test_youtube_sbv_captions(tmp_path: Path) -> None:
    sbv = (
        "0:00:00.599,0:00:04.160\nHi everyone, welcome to my channel.\n\n"
        "0:00:04.160,0:00:08.320\nToday: bread.\n\n0:00:08.320,0:00:11.000\nFirst, the starter.\n"
    )
    transcript = ingest_file(tmp_path, "captions.sbv", sbv)
    assert transcript.format == "sbv"
    (turn,) = transcript.turns
    assert (turn.text, turn.start, turn.end) == (
        "Hi everyone, welcome to my channel. Today: bread. First, the starter.",
        0.599,
        11.0,
    )


def test_speaker_change_marks_in_the_middle_of_a_line_are_not_words(tmp_path: Path) -> None:
    """`>>` inside a line is no word, and someone else speaks after it (stop 41: before, one turn held both)."""
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n>> Welcome back. >> Thanks for having me.\n"
    turns = ingest_file(tmp_path, "tv.vtt", vtt).turns
    assert [t.text for t in turns] == ["Welcome back.", "Thanks for having me."]
    assert turns[0].speaker != turns[1].speaker


@pytest.mark.parametrize("punctuated", [True, False])
def test_speaker_change_marks_in_captions_are_where_turns_change(tmp_path: Path, punctuated: bool) -> None:
    """Broadcast and YouTube captions mark each new speaker with `>>` and name nobody. The marks decide where turns
    change, in punctuated captions and in bare ones (each cue a unit): before, the text alone did, and the host's
    second sentence ("Today we talk about tides.") went to the guest's turn."""
    said = [
        "Welcome back to the show.", "Today we talk about tides.", "Thanks for having me.", "Tides are fascinating.",
        "Why twice a day?", "Because of the moon and the sun.",
    ]  # fmt: skip
    if not punctuated:
        said = [line.lower().rstrip(".?") for line in said]
    cues = [(">> " if n in (0, 2, 4, 5) else "") + line for n, line in enumerate(said)]
    times = [f"00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000" for n in range(1, len(cues) + 1)]
    srt = "\n".join(f"{n}\n{time}\n{cue}\n" for n, (time, cue) in enumerate(zip(times, cues, strict=True), 1))
    joiner = " " if punctuated else "\n"
    assert speakers_and_texts(ingest_file(tmp_path, "tides.srt", srt)) == [
        ("Host", joiner.join(said[0:2])),
        ("Guest", joiner.join(said[2:4])),
        ("Host", said[4]),
        ("Guest", said[5]),
    ]


def test_speaker_change_marks_in_captions_copied_as_plain_text(tmp_path: Path) -> None:
    """The same marks in a plain-text copy of the captions were read as Markdown quotes and dropped, and the text
    alone decided (stop 41 left it): now they say where turns change, wrapped lines and marks mid-line included."""
    text = (
        ">> Welcome back to the show.\nToday we talk about tides\nwith an oceanographer.\n>> Thanks for having me.\n"
        ">> So what drives the tides?\n>> The moon, mostly. >> Really? The moon?\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "tides.txt", text)) == [
        ("Host", "Welcome back to the show. Today we talk about tides with an oceanographer."),
        ("Guest", "Thanks for having me."),
        ("Host", "So what drives the tides?"),
        ("Guest", "The moon, mostly."),
        ("Host", "Really? The moon?"),
    ]


def test_names_after_the_words_in_files_that_sign_their_cues(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nWelcome to the show. (Maria)\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\nThanks for having me. (Jon)\n\n"
        "3\n00:00:07,000 --> 00:00:10,000\nLet's begin. (Maria)\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "signed.srt", srt)) == [
        ("Maria", "Welcome to the show."), ("Jon", "Thanks for having me."), ("Maria", "Let's begin."),
    ]  # fmt: skip
    aside = (
        "1\n00:00:01,000 --> 00:00:04,000\nMaria: We met at the agency (NASA)\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\nJon: Oh.\n\n3\n00:00:05,000 --> 00:00:06,000\nMaria: Yes.\n"
    )
    assert ingest_file(tmp_path, "aside.srt", aside).turns[0].text == "We met at the agency (NASA)"


def test_zoom_participants_named_after_their_devices(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nJane's iPhone: Can you hear me?\n\n"
        "2\n00:00:03.000 --> 00:00:05.000\nConference Room B: Yes.\n\n"
        "3\n00:00:05.000 --> 00:00:07.000\nJane's iPhone: Great.\n"
    )
    assert [t.speaker for t in ingest_file(tmp_path, "zoom.vtt", vtt).turns] == [
        "Jane's iPhone", "Conference Room B", "Jane's iPhone",
    ]  # fmt: skip


FANSUB_ASS = """\ufeff[Script Info]
; Script generated by Aegisub
Title: 对话李明：开源数据库
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour
Style: 中文,Microsoft YaHei,20,&H00FFFFFF
Style: English,Arial,14,&H00FFFFFF
Style: Staff,Arial,12,&H00FFFFFF

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Comment: 0,0:00:00.00,0:00:01.00,中文,,0,0,0,,校对：小王
Dialogue: 0,0:00:00.00,0:00:05.00,Staff,,0,0,0,,本字幕由某某字幕组制作 仅供学习交流
Dialogue: 0,0:00:00.00,0:00:05.00,Sign,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}
Dialogue: 0,0:00:01.00,0:00:04.00,中文,Anna,0,0,0,,{\\an8}你为什么开始做数据库？
Dialogue: 0,0:00:04.50,0:00:09.00,中文,李明,0,0,0,,因为银行的核心系统\\N全都依赖国外的数据库。
Dialogue: 0,0:00:01.00,0:00:04.00,English,Anna,0,0,0,,Why did you start building databases?
Dialogue: 0,0:00:04.50,0:00:09.00,English,李明,0,0,0,,Because the banks' systems{\\i1} all{\\i0} ran on foreign ones.
Dialogue: 0,0:00:09.50,0:00:12.00,中文,Anna,0,0,0,,现在有多少用户？
Dialogue: 0,0:00:09.50,0:00:12.00,English,Anna,0,0,0,,How many users do you have now?
Dialogue: 0,0:00:12.50,0:00:16.00,中文,李明,0,0,0,,两百多家银行。
Dialogue: 0,0:00:12.50,0:00:16.00,English,李明,0,0,0,,More than two hundred banks.
"""


def test_a_fansub_ass_file_is_bilingual_cues_not_its_headers(tmp_path: Path) -> None:
    # .ass was read as 'Name: text' lines: speakers "Format", "Style" and "Dialogue", the file's header as speech.
    transcript = ingest_file(tmp_path, "talk.ass", FANSUB_ASS)
    assert transcript.title == "对话李明：开源数据库"
    assert speakers_and_texts(transcript) == [
        ("Anna", "Why did you start building databases?"),
        ("李明", "Because the banks' systems all ran on foreign ones."),
        ("Anna", "How many users do you have now?"),
        ("李明", "More than two hundred banks."),
    ]
    assert [t.translation for t in transcript.turns][1] == "因为银行的核心系统全都依赖国外的数据库。"  # \\N, no space
    assert [t.start for t in transcript.turns] == [1.0, 4.5, 9.5, 12.5]


def test_two_voices_at_the_same_times_in_an_ass_file_stay_two_speakers(tmp_path: Path) -> None:
    # Events with the same times were one cue under the first one's name: "Amazing." became Hamel's own words.
    ass = (
        "[Script Info]\nTitle: Evals\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:14:58.00,0:15:00.00,Default,Hamel Husain,0,0,0,,It is. Yes, it is.\n"
        "Dialogue: 0,0:14:58.00,0:15:00.00,Default,Lenny Rachitsky,0,0,0,,Amazing. That's so cool.\n"
        "Dialogue: 0,0:15:00.00,0:15:02.00,Default,Hamel Husain,0,0,0,,It's a real system prompt.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "evals.ass", ass)) == [
        ("Hamel Husain", "It is. Yes, it is."),
        ("Lenny Rachitsky", "Amazing. That's so cool."),
        ("Hamel Husain", "It's a real system prompt."),
    ]


def _cues(*texts: str) -> str:
    return "\n".join(
        f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000\n{text}\n" for n, text in enumerate(texts, 1)
    )


def test_captions_that_break_a_line_after_the_first_word_of_a_turn(tmp_path: Path) -> None:
    """Virtual Coffee's SRT files wrap their lines anywhere, so a turn can open `Name: That's` / `awesome.`: that
    first line was read as a name alone above the words, and the speaker came out "Bekah Hawrot Weigel: That's"
    (33 turns of one episode), or, said once, the label stayed inside the other speaker's words."""
    srt = _cues(
        "Bekah Hawrot Weigel: Welcome, Drew.\nHow did you start?",
        "Drew Clements: With a book, and",
        "a lot of patience.",
        "Bekah Hawrot Weigel: That's\nawesome. I love those stories.",
        "Drew Clements: Thanks.",
        "Nice. That's cool.\nBekah Hawrot Weigel: Vacation",
        "2021. What did you do?",
    )
    assert speakers_and_texts(ingest_file(tmp_path, "vc.srt", srt)) == [
        ("Bekah Hawrot Weigel", "Welcome, Drew. How did you start?"),
        ("Drew Clements", "With a book, and a lot of patience."),
        ("Bekah Hawrot Weigel", "That's awesome. I love those stories."),
        ("Drew Clements", "Thanks. Nice. That's cool."),
        ("Bekah Hawrot Weigel", "Vacation 2021. What did you do?"),
    ]


def test_a_file_name_or_a_lower_case_word_before_a_colon_is_speech(tmp_path: Path) -> None:
    """ "Learning / Tensorflow.js: Powerful machine learning" made a speaker of the book's title, and "asking a /
    question: what is…" one of the word "question" (a role, which then took a name from the page)."""
    srt = _cues(
        "Bekah Hawrot Weigel: He just released his book, Learning",
        "Tensorflow.js: Powerful machine\nlearning in JavaScript.",
        "And I want to start off with asking a\nquestion: what do you do for fun?",
        "Gant Laborde: I cook.",
    )
    assert speakers_and_texts(ingest_file(tmp_path, "gant.srt", srt)) == [
        (
            "Bekah Hawrot Weigel",
            "He just released his book, Learning Tensorflow.js: Powerful machine learning in JavaScript. "
            "And I want to start off with asking a question: what do you do for fun?",
        ),
        ("Gant Laborde", "I cook."),
    ]
