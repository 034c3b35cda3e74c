"""Transcripts without speaker labels: turns and speakers inferred from the text alone (bot/ingest/turns_from_text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.ingest import load_aliases, parse_transcript
from bot.text.passages import build_passages
from tests.conftest import shared_or_skip
from tests.ingest.conftest import ingest_file

ALIASES = load_aliases(PROJECT_ROOT / "config" / "speakers.toml")

# Whisper's text output: one segment a line, nobody named in a label.
INTERVIEW_EN = """\
Welcome back to Harbour Voices. I'm Priya Nair, and my guest today is Owen Hart, harbour master for 19 years.
Thanks for having me, Priya.
Owen, what does a harbour master actually do on a normal day?
Mostly I watch the water.
I check the tide tables, I talk to the pilots, and I decide which boats can leave and when.
The tide here moves almost five metres between low and high water, so timing is everything.
Do the fishermen ever argue with you about that?
Yes, every week.
They want to leave at four in the morning because the fish are out there, but the sand bar does not care about the fish.
The tide decides when you leave, not the fish.
What was the hardest night you remember?
The storm of 2014.
We had a trawler stuck on the bar with six people on board and the lifeboat could not get close.
We waited three hours for the water to rise, and they all came home.
How has the job changed since you started?
The boats are bigger and the forecasts are better.
But the sand moves every winter, so we still go out and measure it ourselves with a weighted line.
Owen Hart, thank you for your time.
Thank you, Priya.
"""

# The same kind of file in Chinese, as SRT cues without names: the host introduces herself and her guest.
INTERVIEW_ZH = """\
1
00:00:00,000 --> 00:00:04,000
欢迎收听《工作方式》，我是主持人林晓。

2
00:00:04,000 --> 00:00:08,000
今天的嘉宾是周敏，她带领一个完全远程的团队已经五年了。

3
00:00:08,500 --> 00:00:10,000
谢谢邀请，很高兴来聊这个话题。

4
00:00:11,000 --> 00:00:14,000
周敏，你们团队分布在几个城市？

5
00:00:14,800 --> 00:00:17,000
七个城市，横跨三个时区。

6
00:00:17,000 --> 00:00:22,000
我们每周一上午有一个半小时的全员语音会，大家只聊上周做了什么、卡在哪里。

7
00:00:23,000 --> 00:00:26,000
远程工作最大的代价是什么？

8
00:00:26,900 --> 00:00:30,000
是偶然的对话没有了。

9
00:00:30,000 --> 00:00:35,000
在办公室里，你会在茶水间听到别的组的问题，远程的时候这些都要刻意安排。

10
00:00:36,000 --> 00:00:39,000
不同城市的同事，工资一样吗？

11
00:00:39,800 --> 00:00:42,000
一样。

12
00:00:42,000 --> 00:00:46,000
同样的工作拿同样的钱，这是我们最早定下的规矩之一。

13
00:00:47,000 --> 00:00:50,000
谢谢你，周敏。

14
00:00:50,800 --> 00:00:52,000
谢谢林晓。
"""

# A panel: a moderator and two panellists, and nobody says who they are.
PANEL = """\
Good evening and welcome to tonight's panel on city transport.
Let's start with buses. Are they still the backbone of the network?
Absolutely. Buses carry more people than the trams and the metro together, and they are the cheapest to expand.
I would push back a little on that.
Buses only work when they have their own lanes, and most of our streets give every lane to cars.
What would you change first if the budget were yours?
Bus lanes on the ten busiest corridors.
It is paint and enforcement, not tunnels, so it can be done in a year.
And what about cycling? Is it a serious option in winter?
Yes, if the lanes are cleared before the roads are.
Copenhagen and Montreal both do it, and their winter numbers barely drop.
I agree, but only for trips under five kilometres.
For the suburbs we need trains that run every ten minutes, not every half hour.
We have time for one last question. What should the city stop doing?
Building car parks in the centre.
Every space we build invites another car into the streets we are trying to calm.
Thank you both, and thank you all for coming tonight.
"""

# One person talking: a lecture with rhetorical questions that the speaker answers.
MONOLOGUE = """\
Today we look at why coastal towns flood more often than they used to.
What is a storm surge?
It is the rise of the sea pushed by wind and low pressure, on top of the normal tide.
Why does it matter more now?
Because the sea is higher to begin with, so the same storm reaches further inland.
Add subsiding land in river deltas, and a surge that once reached the harbour now reaches the high street.
There are three ways towns respond.
They build walls, they raise buildings, or they give land back to the water with salt marshes.
Walls are quick but they move the problem along the coast.
Marshes are slow, but they grow with the sea instead of against it.
Next week we will look at the cost of each option, town by town.
"""

LABELLED = """\
1
00:00:01,000 --> 00:00:03,000
Priya Nair: You've run this harbour for nineteen years. Is it still surprising?

2
00:00:03,500 --> 00:00:06,000
Owen Hart: It isn't. The tide here moves almost five metres.

3
00:00:06,000 --> 00:00:08,000
Owen Hart: Is that a lot? Yes, for a harbour this small.
"""


def turns_of(transcript) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(t.speaker, t.text) for t in transcript.turns]


def speaker_of(transcript, words: str) -> str:  # type: ignore[no-untyped-def]
    return next(t.speaker for t in transcript.turns if words in t.text)


def test_two_person_english_interview(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "harbour-voices.txt", INTERVIEW_EN, aliases=ALIASES)
    assert set(transcript.participants) == {"Priya Nair", "Owen Hart"}  # she introduces herself and him
    host = "Priya Nair"
    for question in ("what does a harbour master", "ever argue with you", "hardest night", "How has the job changed"):
        assert speaker_of(transcript, question) == host
    for answer in ("Mostly I watch the water", "Yes, every week", "The storm of 2014", "The boats are bigger"):
        assert speaker_of(transcript, answer) == "Owen Hart"
    # Each question is a turn of its own, followed by the answer: the conversation alternates.
    assert len(transcript.turns) >= 10
    assert all(a.speaker != b.speaker for a, b in zip(transcript.turns, transcript.turns[1:], strict=False))
    assert all(t.speaker_inferred for t in transcript.turns)
    assert any("inferred from the text" in w for w in transcript.warnings)


def test_chinese_interview_from_unlabelled_captions(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "remote-work.srt", INTERVIEW_ZH, aliases=ALIASES)
    assert set(transcript.participants) == {"林晓", "周敏"}
    for question in ("你们团队分布在几个城市", "最大的代价是什么", "工资一样吗"):
        assert speaker_of(transcript, question) == "林晓"
    for answer in ("七个城市", "偶然的对话没有了", "同样的工作拿同样的钱"):
        assert speaker_of(transcript, answer) == "周敏"
    assert transcript.turns[0].start == 0.0 and transcript.turns[-1].end == 52.0  # the cues' times are kept
    assert all(t.speaker_inferred for t in transcript.turns)


def test_panel_gets_roles_and_no_invented_names(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "panel.txt", PANEL, aliases=ALIASES)
    # Nobody is named, so nobody gets a name: not the cities, not the first words of sentences.
    assert set(transcript.participants) <= {"Host", "Guest"}
    assert "Copenhagen" not in transcript.participants and "Montreal" not in transcript.participants
    assert speaker_of(transcript, "Are they still the backbone") == "Host"
    assert speaker_of(transcript, "What should the city stop doing") == "Host"
    assert speaker_of(transcript, "Buses carry more people") == "Guest"
    assert speaker_of(transcript, "Building car parks in the centre") == "Guest"


def test_monologue_stays_one_speaker(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "lecture.txt", MONOLOGUE, aliases=ALIASES)
    assert list(transcript.participants) == ["Speaker 1"]
    assert len(transcript.turns) == 1  # its own questions are answered by the same voice
    assert transcript.turns[0].speaker_inferred


def test_a_talk_its_title_names_as_one_stays_one_voice_however_often_it_asks(tmp_path: Path) -> None:
    """李沐's keynote ("…｜李沐硅谷101年度线下大会演讲") asks its audience and answers itself, and was cut into a
    host's questions and a guest's answers; a title that calls the file a talk (演讲, keynote, lecture) keeps one
    voice. The same words under another title still read as a conversation."""
    body = (
        "So first of all, what's a voice agent?\n"
        "Basically, that's just an agent with a voice, and you talk to it instead of typing.\n"
        "Can you tell me a little bit more about yourself?\n"
        "That is what our game character asks the player in the first minute.\n"
        "Why does latency matter so much to you?\n"
        "Because a pause of two seconds feels like the line went dead.\n"
        "Is the technology ready?\n"
        "Yes, for selling insurance over the phone it now passes the certification test.\n"
    )
    for title in ("Keynote: what voice agents can do", "语音智能体的经验｜李沐年度大会演讲"):
        transcript = ingest_file(tmp_path, "talk.md", f"# {title}\n\n{body}", aliases=ALIASES)
        assert list(transcript.participants) == ["Speaker 1"] and len(transcript.turns) == 1
    chat = ingest_file(tmp_path, "chat.md", f"# What voice agents can do\n\n{body}", aliases=ALIASES)
    assert len(chat.participants) == 2


def test_labelled_file_is_never_resegmented(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "labelled.srt", LABELLED, aliases=ALIASES)
    assert turns_of(transcript) == [
        ("Priya Nair", "You've run this harbour for nineteen years. Is it still surprising?"),
        (
            "Owen Hart",
            "It isn't. The tide here moves almost five metres. Is that a lot? Yes, for a harbour this small.",
        ),
    ]
    assert not any(t.speaker_inferred for t in transcript.turns)
    assert not any("inferred" in w for w in transcript.warnings)


@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_labelled_development_files_keep_their_labels(folder: str) -> None:
    for path in sorted(shared_or_skip(folder).glob("0*")):
        if path.name.startswith("05_"):  # numbered voices that change inside sentences (tests/ingest/test_corpus.py)
            continue
        transcript = parse_transcript(path.read_bytes(), path.name, aliases=ALIASES)
        assert not any(t.speaker_inferred for t in transcript.turns), path.name


def test_unlabelled_bilingual_cues_keep_their_translations(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\n欢迎来到播客，今天我们聊聊屋顶花园。\n"
        "Welcome to the podcast, today we talk rooftop gardens.\n\n"
        "2\n00:00:04,500 --> 00:00:07,000\n你为什么开始种屋顶花园？\nWhy did you start growing rooftop gardens?\n\n"
        "3\n00:00:08,000 --> 00:00:11,000\n因为夏天太热了。\nBecause the summers got too hot.\n\n"
        "4\n00:00:11,000 --> 00:00:14,000\n你觉得值得吗？\nDo you think it was worth it?\n\n"
        "5\n00:00:15,000 --> 00:00:18,000\n是的，顶楼凉快了三度。\nYes, the top floor is three degrees cooler.\n"
    )
    transcript = ingest_file(tmp_path, "gardens.srt", srt, aliases=ALIASES)
    answers = [(t.text, t.translation) for t in transcript.turns if "Because" in t.text or "因为" in t.text]
    assert answers and all(text and translation for text, translation in answers)
    for turn in transcript.turns:  # line i of the text is the translation of line i of the other version
        assert turn.translation is not None and len(turn.text.split("\n")) == len(turn.translation.split("\n"))
    assert len(transcript.participants) == 2 and all(t.speaker_inferred for t in transcript.turns)


def test_broken_off_words_alone_on_a_line_are_not_speaker_names(tmp_path: Path) -> None:
    lines = ["So what did you change first?", "Okay-", "We changed the tutor settings."] * 4
    transcript = ingest_file(tmp_path, "whisper.txt", "\n".join(lines) + "\n", aliases=ALIASES)
    assert "Okay-" not in transcript.participants and all(t.speaker_inferred for t in transcript.turns)


# Whisper output that lost its question marks.
SIGNAL_PATH = (
    "Hello and welcome everyone to another episode of Signal Path.\n"
    "Can you tell us how you started making music with code.\n"
    "I started when I was six, copying programs out of a manual.\n"
    "My uncle had a computer and I spent every weekend at his house.\n"
    "What was the first thing you made that you were proud of.\n"
    "A little animation of two birds flying across the screen.\n"
)


def test_speech_recognition_without_question_marks(tmp_path: Path) -> None:
    # Whisper output that lost its question marks, and Chinese captions with no punctuation at all.
    transcript = ingest_file(tmp_path, "signal-path.txt", SIGNAL_PATH, aliases=ALIASES)
    assert speaker_of(transcript, "Can you tell us") == speaker_of(transcript, "What was the first thing") == "Host"
    assert speaker_of(transcript, "I started when I was six") == speaker_of(transcript, "two birds") == "Guest"
    cues = [
        "你是怎么开始做音乐的呢",
        "我六岁的时候开始学钢琴",
        "后来自己写程序做声音",
        "你现在还弹钢琴吗",
        "每天晚上都弹一个小时",
    ]
    srt = "".join(
        f"{i}\n00:00:{2 * i:02d},000 --> 00:00:{2 * i + 1:02d},500\n{cue}\n\n" for i, cue in enumerate(cues, 1)
    )
    transcript = ingest_file(tmp_path, "music.srt", srt, aliases=ALIASES)
    assert speaker_of(transcript, "你是怎么开始做音乐的呢") == speaker_of(transcript, "你现在还弹钢琴吗") == "Host"
    assert speaker_of(transcript, "我六岁的时候") == speaker_of(transcript, "每天晚上都弹") == "Guest"


def test_a_guest_the_host_welcomes_by_name_is_named(tmp_path: Path) -> None:
    """Corpus 05's host says "and yeah Claudio, so happy to have you on" and the guest was quoted as "Guest" for the
    whole episode; a speaker's own name ('I am Neha Narula, thank you for being here') welcomes no one."""
    welcomed = SIGNAL_PATH.replace(
        "Signal Path.\n",
        "Signal Path.\nToday a composer who writes music with code, and yeah Claudio, so happy to have you on.\n"
        "Thanks, it's a pleasure to be here.\n",
    )
    transcript = ingest_file(tmp_path, "signal-path.txt", welcomed, aliases=ALIASES)
    assert speaker_of(transcript, "I started when I was six") == speaker_of(transcript, "two birds") == "Claudio"
    assert speaker_of(transcript, "Can you tell us") == "Host"
    own = welcomed.replace("and yeah Claudio, so happy to have you on", "I am Claudio Rossi, thank you for being here")
    transcript = ingest_file(tmp_path, "own.txt", own, aliases=ALIASES)
    assert speaker_of(transcript, "Can you tell us") == "Claudio Rossi"  # who names themself asks here
    assert speaker_of(transcript, "I started when I was six") == "Guest"


# Speech recognition's Markdown (one stamped line per sentence, nobody named): some lines open with words before a
# colon (reported speech, an editor's note) or are a short phrase with no punctuation, which look like labels.
STAMPED_ZH = """\
# 具身季报：机器人走进工厂

[00:00:01] 欢迎收听晚点聊，我是曼奇，今天的嘉宾是陈哲。  
[00:00:06] 大家好，很高兴回来。  
[00:00:09] 你觉得这个季度最重要的事情是什么？  
[00:00:13] 我觉得是人形机器人第一次走进了工厂。  
[00:00:18] 客户一开始都很怀疑。  
[00:00:21] 然后老板说：你们先来试三个月。  
[00:00:25] 三个月以后，他们就下了第二批订单。  
[00:00:30] 对方说：这个比我们想的快。  
[00:00:34] 那成本是怎么降下来的？  
[00:00:37] 主要是灵巧手的价格降了一半  
[00:00:41] 插入一个小说明：下面这段录音的音质不太好。  
[00:00:45] 供应链也成熟了很多。  
[00:00:49] 明年你最期待看到什么？  
[00:00:52] 希望看到机器人进到家庭里面。  
"""


def test_speech_recognition_lines_that_look_labelled_are_not_speakers(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "latetalk.md", STAMPED_ZH, aliases=ALIASES)
    for phrase in ("然后老板说", "对方说", "插入一个小说明", "主要是灵巧手的价格降了一半"):
        assert phrase not in transcript.participants
    assert all(t.speaker_inferred for t in transcript.turns)  # inferred, not one 'Unknown' turn
    host = speaker_of(transcript, "最重要的事情是什么")
    assert speaker_of(transcript, "成本是怎么降下来的") == speaker_of(transcript, "明年你最期待") == host
    assert speaker_of(transcript, "走进了工厂") == speaker_of(transcript, "供应链也成熟了") != host
    assert "然后老板说：你们先来试三个月" in " ".join(t.text for t in transcript.turns)  # the words are kept


def _stamped_chat(opening: list[str], pairs: int, late: str) -> str:
    """A host's questions and a guest's answers as stamped speech-to-text lines, a line `late` in the guest's
    last answer."""
    lines = [*opening]
    for k in range(pairs):
        lines.append(f"第{k + 1}个问题，你当时为什么这样决定？")
        lines.append(f"因为市场变化很大，我们必须调整方向，这是第{k + 1}次。")
    lines += ["最后一个问题，你现在开心吗？", late]
    return "".join(f"[00:{k // 60:02}:{k % 60:02}] {line}  \n" for k, line in enumerate(lines))


def test_speech_recognition_that_stops_punctuating_is_read_a_line_at_a_time(tmp_path: Path) -> None:
    # a Whisper transcript of WhynotTV punctuated for 17 minutes and not for the next two hours: its short lines
    # ('[00:17:50] 对', '呃', '哈哈哈哈') were read as speakers' headers (50 turns of '对', 37 of '呃'), and once
    # not, its 2 800 unpunctuated lines as three sentences
    lines = ["欢迎收听城市播客，我是晓岚。", "今天的嘉宾是周敏，她带领一个远程团队。", "谢谢邀请，很高兴来。"]
    for k in range(4):
        lines += [f"第{k + 1}个问题，你当时为什么这样决定？", f"因为市场变化很大，我们必须调整方向，这是第{k + 1}次。"]
    for k in range(12):
        lines += [f"那第{k + 5}个问题你当时是这样决定的吗", "对", f"因为城市的水变贵了我们只好换做法这是第{k + 5}次"]
        lines += ["呃", "所以我们就开始做了"]
    text = "".join(f"[00:{k // 60:02}:{k % 60:02}] {line}  \n" for k, line in enumerate(lines))
    transcript = ingest_file(tmp_path, "stops-punctuating.md", text, aliases=ALIASES)
    assert set(transcript.participants) == {"晓岚", "周敏"}, transcript.participants
    assert speaker_of(transcript, "那第16个问题") == "晓岚"
    assert speaker_of(transcript, "这是第16次") == "周敏"


def test_unpunctuated_chinese_captions_name_the_host_who_signs_on_and_no_header(tmp_path: Path) -> None:
    # bilibili subtitles, a line each and no punctuation: the sign-on ('欢迎收听硅谷101' / '我是红军') ran into one
    # string where a name ends at no pause; short lines without a grammar word ('[00:00:02] 欢迎收听城市播客') could
    # be taken for a speaker's header over the rest of the file; and 'the two guests' are no one guest's name
    def chat(opening: list[str]) -> str:
        lines = [*opening]
        for k in range(8):
            lines += [f"那第{k + 1}个问题你当时是这样决定的吗", "对", f"因为水变贵了我们只好换做法这是第{k + 1}次"]
        return "".join(f"[00:{k // 60:02}:{k % 60:02}] {line}  \n" for k, line in enumerate(lines))

    opening = ["大家好", "欢迎收听城市播客", "我是晓岚", "今天的嘉宾是周敏", "她带领一个远程团队"]
    transcript = ingest_file(tmp_path, "subtitles.md", chat(opening), aliases=ALIASES)
    assert set(transcript.participants) == {"晓岚", "周敏"}, transcript.participants
    assert speaker_of(transcript, "那第8个问题") == "晓岚" and speaker_of(transcript, "这是第8次") == "周敏"
    # and a quote keeps each line's pause ('大家好欢迎收听城市播客我是晓岚' ran the lines together)
    quotes = [draft.text for draft in build_passages(transcript.turns)]
    assert any("大家好 欢迎收听城市播客 我是晓岚" in quote for quote in quotes), quotes[:2]
    opening = ["大家好", "欢迎收听城市播客", "我是晓岚", "今天的两位嘉宾是周敏", "还有林立", "他们带领一个远程团队"]
    transcript = ingest_file(tmp_path, "two-guests.md", chat(opening), aliases=ALIASES)
    assert set(transcript.participants) == {"晓岚", "Guest"}, transcript.participants


def test_words_after_i_am_deep_in_the_talk_name_no_one(tmp_path: Path) -> None:
    # '我是高兴的' ('I am glad') late in the talk is no self-introduction; '我是林晓' in the opening is.
    text = _stamped_chat(["大家好，欢迎收听，我是林晓。"], 14, "我是高兴的。")
    transcript = ingest_file(tmp_path, "glad.md", text, aliases=ALIASES)
    assert set(transcript.participants) == {"林晓", "Guest"}
    assert speaker_of(transcript, "你现在开心吗") == "林晓" and speaker_of(transcript, "我是高兴的") == "Guest"


def test_a_chinese_host_s_sign_on_names_them_by_the_name_they_go_by(tmp_path: Path) -> None:
    # 晚点聊's '欢迎收听晚点聊，我是曼奇。' and 张小珺商业访谈录's '…，我是小俊': a given name or nickname that starts
    # with no common surname left the host "Host" in 22 of 163 PodWiki transcripts
    opening = ["欢迎收听城市播客，我是晓岚。", "今天的嘉宾是周敏，她带领一个远程团队。", "谢谢邀请，很高兴来。"]
    transcript = ingest_file(tmp_path, "signed.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    assert speaker_of(transcript, "你现在开心吗") == "晓岚"
    assert speaker_of(transcript, "因为市场变化很大") == "周敏"
    # and signing off at the end ('我是陈茜，那我们就下期视频再见了，拜。', 硅谷101's hosts, "Host" in 6 transcripts)
    opening = ["大家好，欢迎来到城市播客。", "今天的嘉宾是周敏，她带领一个远程团队。", "谢谢邀请，很高兴来。"]
    chat = _stamped_chat(opening, 3, "很开心。") + "[00:09:00] 我是晓岚，那我们就下期视频再见了，拜。  \n"
    transcript = ingest_file(tmp_path, "signed-off.md", chat, aliases=ALIASES)
    assert speaker_of(transcript, "你现在开心吗") == "晓岚"
    # what the guest called a teacher ('他在我叫何老师', Teacher He) is no name the guest gives themself
    opening = ["欢迎收听城市播客。", "你的启蒙老师是谁？", "当时计算机的一个启蒙老师，他在我叫何老师，对我影响很大。"]
    transcript = ingest_file(tmp_path, "teacher.md", "# 周敏：城市与水\n\n" + _stamped_chat(opening, 3, "很开心。"))
    assert speaker_of(transcript, "因为市场变化很大") == "周敏", transcript.participants


def test_a_host_s_narrated_introduction_is_the_host_s_up_to_where_the_conversation_starts(tmp_path: Path) -> None:
    # 晚点聊's openings: a cold open, the sign-on, the guest named, then a minute of the host's narration of
    # the guest's story, which went to the guest after the name; it runs to '我们正式进入本期节目吧' (or from
    # '以下内容是我和杨硕的对话' to '现在请与我一起进入和杨硕的对话'): 8 of 163 PodWiki transcripts
    opening = [
        "我觉得水会越来越贵。",
        "欢迎收听城市播客，我是晓岚。",
        "今天的嘉宾是水务研究所的创始人周敏。",
        "这家研究所在经过四年的研发之后，刚刚于六月初完成了A轮融资六点五亿元，估值来到四十亿元。",
        "他们做的事和研究所的名字一样，城市水循环，这是一个去年还相对小众，而到今年被频繁讨论的方向。",
        "我们和周敏一起聊了城市水循环是什么，为什么这个领域在现在变得火热。",
        "率先做到的城市会把其他城市甩得越来越远，这个逻辑成立吗？",
        "我们正式进入本期节目吧。",
    ]
    transcript = ingest_file(tmp_path, "narrated.md", _stamped_chat(opening, 4, "很开心。"), aliases=ALIASES)
    assert speaker_of(transcript, "在经过四年的研发之后") == speaker_of(transcript, "我们和周敏一起聊了") == "晓岚"
    assert speaker_of(transcript, "因为市场变化很大") == "周敏"


def test_the_one_a_host_interviewed_is_not_the_host(tmp_path: Path) -> None:
    # '我曾三次采访周南' ('I have interviewed 周南 three times'): 采访 before a name is no credit line.
    text = _stamped_chat(["大家好，欢迎收听。", "过去六年里，我曾三次采访周南，每次见他都很忙。"], 3, "很开心。")
    transcript = ingest_file(tmp_path, "interviewed.md", text, aliases=ALIASES)
    assert speaker_of(transcript, "你现在开心吗") != "周南"


def test_an_english_phrase_beside_a_chinese_guest_is_not_the_host(tmp_path: Path) -> None:
    # The headline names the guest; 'Kimi Moment' in the teaser is a product's moment, not the other speaker.
    opening = ["今年的Kimi Moment跟去年的DeepSeek Moment真的不一样，大家好，欢迎收听。"]
    text = "# 对话叶奇意：中国两代AI\n\n" + _stamped_chat(opening, 3, "很开心。")
    transcript = ingest_file(tmp_path, "moment.md", text, aliases=ALIASES)
    assert "Kimi Moment" not in transcript.participants


# A teaser, then the talk: products and companies said beside the words an introduction uses are nobody.
PRODUCTS_EN = """\
I have a lot more confidence in Nippon Time being able to turn it around.
Welcome back to the show. What do you make of the custom chips the cloud companies build?
Honestly, I would welcome Trainium to demonstrate what it can do on the benchmarks.
Nobody shows up to the benchmarks, and that tells you something about the cost.
Why would anybody buy them then?
Because they already own the data centres, and the chips are cheap to them.
"""


def test_a_product_after_welcome_or_confidence_is_no_speaker(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "chips.txt", PRODUCTS_EN, aliases=ALIASES)
    assert not {"Trainium", "Nippon Time"} & set(transcript.participants), transcript.participants


def test_a_guest_introduced_with_a_description_is_named_and_the_introduction_is_the_host_s(tmp_path: Path) -> None:
    opening = ["大家好，我是小俊。今天我们的嘉宾是Google DeepMind研究员姚舜宇。"]
    transcript = ingest_file(tmp_path, "guest.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    assert "姚舜宇" in transcript.participants
    assert speaker_of(transcript, "今天我们的嘉宾是") != "姚舜宇"  # who introduces the guest is the host
    assert speaker_of(transcript, "因为市场变化很大") == "姚舜宇"
    # a leader of an industry is no one's name ('龙头', a surname's character and one more)
    opening = ["今天这期节目，我们请到的嘉宾是全球光互联的龙头，硅谷一家公司的创始人。"]
    transcript = ingest_file(tmp_path, "leader.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    assert "龙头" not in transcript.participants


def test_a_talk_s_speaker_named_on_its_first_line_and_a_one_off_questioner_stay_labelled(tmp_path: Path) -> None:
    lines = ["张教授：今天我讲一讲城市的水。"] + [f"第{k + 1}点，城市的排水系统需要重新设计。" for k in range(30)]
    lines += ["李明：我想问一下，老城区怎么办？"]  # each named once: the file's first line says who talks
    text = "".join(f"[00:{k // 60:02}:{k % 60:02}] {line}  \n" for k, line in enumerate(lines))
    transcript = ingest_file(tmp_path, "talk.md", text, aliases=ALIASES)
    assert speaker_of(transcript, "老城区怎么办") == "李明" and speaker_of(transcript, "第12点") == "张教授"
    assert not any(t.speaker_inferred for t in transcript.turns)


def test_the_people_a_title_opens_with_name_the_guest_and_the_host(tmp_path: Path) -> None:
    # A podcast's own transcript names nobody in its text, but its title opens with whom the episode is about.
    chat = _stamped_chat(["大家好，欢迎收听。"], 3, "很开心。")
    transcript = ingest_file(tmp_path, "guest.md", "# 周晓岚：城市与水\n\n" + chat, aliases=ALIASES)
    assert speaker_of(transcript, "因为市场变化很大") == "周晓岚" and speaker_of(transcript, "你现在开心吗") == "Host"
    transcript = ingest_file(tmp_path, "rare.md", "# 路晓岚：城市与水\n\n" + chat, aliases=ALIASES)  # a rare surname
    assert speaker_of(transcript, "因为市场变化很大") == "路晓岚"
    transcript = ingest_file(tmp_path, "rarer.md", "# 对话盛晓岚：城市与水\n\n" + chat, aliases=ALIASES)  # 对话盛颖：…
    assert speaker_of(transcript, "因为市场变化很大") == "盛晓岚"
    # or says whom the host talks with ('口述SpaceX开发史：和前高管洪力德聊，…', '…：与Andrew Dai聊Gemini…')
    transcript = ingest_file(tmp_path, "with.md", "# 城市：和建筑师周晓岚聊，十年\n\n" + chat, aliases=ALIASES)
    assert speaker_of(transcript, "因为市场变化很大") == "周晓岚"
    # two names joined by '×': the guest, then the host; with one a name, which of them it is is no one's guess
    transcript = ingest_file(tmp_path, "both.md", "# 【正片】建筑师周晓岚×林晓！城市与水\n\n" + chat, aliases=ALIASES)
    assert speaker_of(transcript, "因为市场变化很大") == "周晓岚" and speaker_of(transcript, "你现在开心吗") == "林晓"
    transcript = ingest_file(tmp_path, "show.md", "# 城市坐标 × 建筑师周晓岚：城市与水\n\n" + chat, aliases=ALIASES)
    assert set(transcript.participants) == {"Guest", "Host"}
    # the title says whose the name is where the text gave it the other role ("谢谢你，周晓岚" in turns read as answers)
    thanked = chat.replace("这是第1次。", "这是第1次。谢谢你，周晓岚。").replace(
        "这是第2次。", "这是第2次。谢谢你，周晓岚。"
    )
    transcript = ingest_file(tmp_path, "thanked.md", thanked, aliases=ALIASES)
    assert speaker_of(transcript, "你现在开心吗") == "周晓岚"  # the text alone names the one asking
    transcript = ingest_file(tmp_path, "titled.md", "# 周晓岚：城市与水\n\n" + thanked, aliases=ALIASES)
    assert speaker_of(transcript, "因为市场变化很大") == "周晓岚" and speaker_of(transcript, "你现在开心吗") == "Host"
    # a word is no name ('马拉松', marathon), nor is a title that does not open with one
    for title in ("# 马拉松：城市与水", "# 城市与水，周晓岚的十年"):
        transcript = ingest_file(tmp_path, "word.md", f"{title}\n\n{chat}", aliases=ALIASES)
        assert set(transcript.participants) == {"Guest", "Host"}, title
    english = "".join(
        f"[00:00:{k:02}] {line}  \n"
        for k, line in enumerate(
            INTERVIEW_EN.replace(
                "I'm Priya Nair, and my guest today is Owen Hart, harbour master", "this one is about harbour masters"
            )
            .replace("Owen Hart, thank you", "Thank you")
            .splitlines()
        )
    )
    transcript = ingest_file(
        tmp_path, "tides.md", "# Owen Hart (harbour master) – Why the tide decides\n\n" + english, aliases=ALIASES
    )
    assert speaker_of(transcript, "Mostly I watch the water") == "Owen Hart"


def test_a_podcast_s_opening_announcing_the_show_and_its_guest_is_the_host_s(tmp_path: Path) -> None:
    # speech recognition of Chinese video podcasts: the host's announcement, with no question in it, was the guest's
    # ('翁家翌: Hello，大家好，本期嘉宾翁家翌，他于二零二二年加入OpenAI…'; the turns of 94 of 147 surveyed files moved)
    opening = [
        "Hello，大家好，本期嘉宾周晓岚，她于二零二二年加入一家研究所。",
        "这里是城市播客，现在请和我一起进入周晓岚的世界。",
        "周晓岚，欢迎你来到城市播客。",
    ]
    transcript = ingest_file(tmp_path, "show.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    for words in ("本期嘉宾", "这里是城市播客", "欢迎你来到", "你现在开心吗"):
        assert speaker_of(transcript, words) == "Host", words
    assert speaker_of(transcript, "因为市场变化很大") == "周晓岚"
    # and its sign-off, after the guest's last answer
    closing = ["OK，那今天非常感谢周晓岚做客城市播客，分享了她十年的经历。", "我们下期再见。"]
    chat = _stamped_chat(opening, 3, "很开心，这十年我学到了很多东西。")
    chat += "".join(f"[01:00:{k:02d}] {line}  \n" for k, line in enumerate(closing))
    transcript = ingest_file(tmp_path, "closing.md", chat, aliases=ALIASES)
    assert speaker_of(transcript, "非常感谢周晓岚做客") == speaker_of(transcript, "下期再见") == "Host"
    assert speaker_of(transcript, "这十年我学到了") == "周晓岚"
    # a guest introduced by name who then says '我是' it is the guest saying hello, though nothing else tells it: the
    # hello ran into the host's turn, and the host was named after the guest
    opening = [
        "欢迎收听城市播客。",
        "本期我访谈了水务公司的总裁周晓岚。",
        "周晓岚有近三十年的经验。",
        "本期节目由水务公司支持播出，我们正式进入节目吧。",
        "大家好，我是周晓岚，我管水务公司的业务。",
    ]
    chat = _stamped_chat(opening, 3, "很开心。")
    transcript = ingest_file(tmp_path, "hello.md", chat, aliases=ALIASES)
    assert speaker_of(transcript, "本期我访谈了") == speaker_of(transcript, "你现在开心吗") == "Host"
    assert speaker_of(transcript, "大家好，我是周晓岚") == "周晓岚"
    # the title's spelling of the name over speech recognition's ('洪乐潼', which the text heard as '洪乐彤')
    transcript = ingest_file(tmp_path, "titled.md", "# 周晓蓝：城市与水\n\n" + chat, aliases=ALIASES)
    assert speaker_of(transcript, "大家好，我是周晓岚") == "周晓蓝"
    # a host inviting the guest to the show ('今天非常高兴邀请到了…许华哲来做客'), who says hello by the given name
    # alone ('大家好，我是华哲'): the roles of 晚点聊's episode with 许华哲 were the wrong way round
    opening = ["今天非常高兴邀请到了城市领域的研究者周晓岚来做客，分享她的经历。", "大家好，我是晓岚，我在研究所工作。"]
    transcript = ingest_file(tmp_path, "invited.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    assert speaker_of(transcript, "高兴邀请到了") == speaker_of(transcript, "你现在开心吗") == "Host"
    assert speaker_of(transcript, "我是晓岚") == speaker_of(transcript, "因为市场变化很大") == "周晓岚"
    # and one announcing whom the show has invited today ('今天我们邀请到的是一位AI领域的明星创业者…他就是…严俊杰'):
    # 罗永浩's introduction of 闫俊杰 was the guest's
    opening = ["欢迎收看城市播客。", "一键三连。今天我们邀请到的是一位研究者，她就是周晓岚。她做了十年研究。"]
    transcript = ingest_file(tmp_path, "today.md", _stamped_chat(opening, 3, "很开心。"), aliases=ALIASES)
    assert speaker_of(transcript, "今天我们邀请到") == speaker_of(transcript, "你现在开心吗") == "Host"


def _show(opening: list[str], late: str) -> str:
    """A podcast's stamped text export with no labels: the host's opening, a chat, `late` in the guest's last answer."""
    chat = ["How did you get into measuring flaky tests?", "By accident, really. A build failed one day in ten."]
    for k in range(8):
        chat += [f"What did study number {k + 1} teach you?", f"That timing is the usual cause, about {k + 3} in ten."]
    lines = [*opening, *chat, "And what runs your queue today?", late, "Greg, thanks for being here.", "Thank you."]
    return "".join(f"00:{k // 60:02}:{k % 60:02} {line}\n\n" for k, line in enumerate(lines))


SHOW_OPENING = [
    "Your tests pass on Monday and fail on Tuesday with no change to the code.",
    "On this episode, we have Greg Lund here to tell us why.",
    "This is Code Hour, episode 12, recorded March 3rd.",
    "Welcome to Code Hour, a weekly podcast on Python. This is your host, Dana Whitfield.",
    "This episode is brought to you by Fusion Auth. Fusion Auth handles logins so you do not have to.",
    "So, welcome to the show.",
    "Thanks for having me. It's great to be here.",
]


def test_a_show_s_host_is_named_by_their_sign_on_not_by_its_sponsor(tmp_path: Path) -> None:
    # Talk Python To Me's text transcripts: 16 of 56 sampled episodes named the host after a sponsor ("brought to
    # you by Fusion Auth" read as a byline), 48 left "Host" though the host says "This is your host, Michael
    # Kennedy"; and an hour in, "talking to MailChimp" introduced a guest "Mail".
    text = _show(SHOW_OPENING, "I'm already talking to Postgres for that, and to MailChimp for the emails.")
    transcript = ingest_file(tmp_path, "code-hour-12.txt", text, aliases=ALIASES)
    assert speaker_of(transcript, "What did study number 3") == "Dana Whitfield", transcript.participants
    assert set(transcript.participants) == {"Dana Whitfield", "Greg Lund"}  # "On this episode, we have Greg Lund"
    assert speaker_of(transcript, "By accident, really") == speaker_of(transcript, "about 9 in ten") == "Greg Lund"
    assert not {"Fusion Auth", "Postgres", "Mail", "MailChimp"} & set(transcript.participants)


def test_an_english_host_s_read_introduction_is_the_host_s_up_to_the_guest_s_welcome(tmp_path: Path) -> None:
    # Talk Python To Me's first episode: the host signs on, reads a plug for a course and the guest's biography,
    # then 'Nicola, welcome to the show.' The plug and the biography had gone to the guest, and so a summary's
    # first point was the host's "And who better to learn EVE from than Nicola, the creator and maintainer himself."
    opening = [
        "This is Code Hour, episode 12, with guest Greg Lund, recorded March 3rd.",
        "Welcome to Code Hour, a weekly podcast on Python. This is your host, Dana Whitfield.",
        "Follow me on Mastodon.",
        "Keep up with the show and listen to past episodes at codehour.fm.",
        "This episode, we'll be talking to Greg Lund about flaky tests.",
        "Before we get to the interview, a quick announcement.",
        "Greg and I made a course about test timing, and who better to learn it from than Greg himself.",
        "Let me introduce Greg.",
        "Greg is a build engineer in Oslo who measures flaky tests for a living.",
        "Greg, welcome to the show.",
        "Hi, Dana.",
        "Thank you for having me.",
    ]
    transcript = ingest_file(tmp_path, "code-hour-1.txt", _show(opening, "Redis."), aliases=ALIASES)
    read = ("Keep up with the show", "who better to learn it", "Greg is a build engineer", "Greg, welcome")
    assert {speaker_of(transcript, words) for words in read} == {"Dana Whitfield"}, transcript.participants
    assert speaker_of(transcript, "By accident, really") == "Greg Lund"


def test_a_host_saying_whom_they_are_speaking_with_today_is_the_host(tmp_path: Path) -> None:
    # Dwarkesh Patel's openings, 'Today I'm speaking with Andrej Karpathy.' (or 'chatting with', 'Today we are
    # interviewing…'): the host's first words went to the guest they name (3 of 13 English transcripts)
    opening = [
        "Today I'm speaking with Greg Lund, who measures flaky tests at a build company.",
        "Greg, why do your tests pass on Monday and fail on Tuesday?",
        "First of all, thank you for having me here.",
        "It is mostly timing: a test waits for a server that is sometimes slow.",
    ]
    transcript = ingest_file(tmp_path, "speaking-with.txt", _show(opening, "Redis."), aliases=ALIASES)
    assert speaker_of(transcript, "Today I'm speaking with") == speaker_of(transcript, "why do your tests") == "Host"
    assert speaker_of(transcript, "It is mostly timing") == "Greg Lund"


def test_a_host_alone_signing_on_stays_one_voice(tmp_path: Path) -> None:
    # a welcome and "This is your host" are both the host's: one role's phrases are no sign of a second person
    opening = ["Welcome to Code Hour, a weekly podcast on Python. This is your host, Dana Whitfield."]
    text = "\n".join([*opening, *MONOLOGUE.splitlines()])
    transcript = ingest_file(tmp_path, "code-hour-0.txt", text, aliases=ALIASES)
    assert set(transcript.participants) == {"Dana Whitfield"}


def test_labels_that_begin_late_in_the_file_are_not_trusted(tmp_path: Path) -> None:
    # Talk Python's isolation episode: "Speaker 1:" from minute 35 of 55 on; before it one "Unknown" turn, after it
    # one "Speaker 1" turn (2 turns in all). Eight episodes read so; their speakers are now inferred.
    lines = ["Welcome to Code Hour, a weekly podcast on Python. This is your host, Dana Whitfield."]
    for k in range(30):
        lines += [
            f"What did study number {k + 1} teach you?",
            f"That timing is the usual cause, in {k + 3} of every hundred runs.",
        ]
    text = "".join(
        f"00:{n // 60:02}:{n % 60:02} {'Speaker 1: ' if n > 45 and n % 2 else ''}{line}\n\n"
        for n, line in enumerate(lines)
    )
    transcript = ingest_file(tmp_path, "code-hour-20.txt", text, aliases=ALIASES)
    assert "Unknown" not in transcript.participants and len(transcript.turns) > 20, transcript.participants
    assert speaker_of(transcript, "study number 2 ") == speaker_of(transcript, "study number 29") == "Dana Whitfield"
    assert any("labels begin" in warning for warning in transcript.warnings)
