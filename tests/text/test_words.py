"""The ground floor of search: tokens, the bilingual dictionary and telling a question from a statement."""

from __future__ import annotations

from bot.text.dictionary import english_gloss, translated_terms
from bot.text.numbers import asks_quantity, states_number
from bot.text.passages import question_share
from bot.text.sentences import as_excerpt, asks_itself, ends_asking, is_question, may_ask, split_sentences
from bot.text.tokens import other_language, tokenize


def test_possessives_and_inflections_are_one_token() -> None:
    assert tokenize("DeepSeek's success") == ["deepseek", "success"]
    assert tokenize("the companies' salaries") == tokenize("company salary")
    assert tokenize("Wie reagiert für") == ["wie", "reagiert", "für"]  # accented Latin words stay whole


def test_a_chinese_question_gets_english_words_and_back() -> None:
    english = translated_terms("Claudio 的餐厅开在泰国哪个岛上?")
    assert {"thailand", "restaur"} <= set(english) and max(english.values()) <= 1.0
    # the dictionary's classifier notes (餐厅 /…/CL:间[jian1],家[jia1]/) are no meaning: no "cl", "jian1" tokens
    assert not {"cl", "jian1", "jia1", "ge4", "zuo4"} & set(english)
    # nor are senses the dictionary marks "(old)" (上峰 /peak/summit/(old) higher authorities/superiors/)
    superiors = set(translated_terms("上峰"))
    assert {"peak", "superior"} <= superiors and not {"higher", "author"} & superiors
    # nor are English suffixes (最 /-est/most/), which became the token "est"
    most = set(translated_terms("最重要的是什么?"))
    assert "import" in most and not {"est", "ly", "er"} & most, most
    # a compound the dictionary lacks (jieba keeps 网络安全 whole) is read through the words it is made of
    security = translated_terms("她为什么转行做网络安全?")
    assert {"network", "secur"} <= set(security), security
    chinese = translated_terms("How did the restaurant open?")
    assert "餐厅" in chinese and all(0 < w <= 1 for w in chinese.values())
    # an English phrase is looked up whole: "board of directors" is 董事会, which neither "board" nor "director"
    # alone translates to; the words still bring their own translations
    board = translated_terms("Why did the board of directors fire him?")
    assert board.get("董事会") == 1.0 and "导演" in board, board
    assert translated_terms("artificial intelligence").get("人工智能", 0) > 0.5
    # a family member Chinese tells apart and English does not: "grandmother" found none of 外祖母 ('maternal
    # grandmother'), 外婆, 祖母, and a question about 刘震云's grandmother was declined as sharing no word
    assert {"外祖母", "外婆", "祖母"} <= set(translated_terms("What does he say about his grandmother?"))
    assert {"哥哥", "弟弟"} <= set(translated_terms("his brother"))


def test_a_chinese_question_is_glossed_in_english_word_by_word_and_an_english_one_is_not() -> None:
    gloss = english_gloss("Claudio 的餐厅开在泰国哪个岛上?")
    assert {"claudio", "dining", "hall", "thailand"} <= set(gloss.split())  # 餐厅: dining hall
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in gloss)
    assert english_gloss("Where did Claudio open his restaurant?") == ""


def test_a_statement_with_an_agreement_tag_does_not_ask() -> None:
    assert not is_question("所有这些批评现在看来都很荒谬,对吧?")
    assert not is_question("That is wild, right?") and not is_question("It works, doesn't it?")
    assert is_question("Is it right?") and is_question("你觉得呢?") and is_question("Why doesn't it work?")
    assert ends_asking("We went remote.\nWhat did it cost?") and ends_asking("How? Costs differ a lot.")
    assert not ends_asking("What did it cost? A lot. We paid.")


def test_a_host_asks_without_a_question_mark() -> None:
    # indirect questions and requests to speak ask, as hosts say them and transcripts write them
    asking = [
        "Talk about the perks.",
        "However, I do want to know if there are any certifications you would recommend.",
        "I'd love to hear how you priced it.",
        "I’m curious whether that changed.",  # a typographic apostrophe, as web copies have it
        "So I'm wondering how that changed.",
        "Walk us through the first year.",
        "请您谈谈对开源的看法。",
        "我想问一下关于网络安全的问题。",
    ]
    assert all(map(is_question, asking))
    assert all(map(may_ask, asking))  # the quick test before splitting a passage lets every one through
    # the same words reporting, agreeing or musing do not
    stating = ["Tell me about it.", "I'm curious to see what happens.", "We talked about the perks.", "我们谈谈吧。"]
    assert not any(map(is_question, stating))
    assert ends_asking("Thanks. Talk about the perks.")
    assert not ends_asking("Talk about the perks. Lunch is free. We pay.")


def test_a_question_the_speaker_reports_asks_nothing() -> None:
    # an answer that quotes the question people ask (corpus 08: "The question is always, 'How many of this do you
    # do?'") answers; 573 of 68 536 surveyed passages quote one so
    reported = ['The question is always, "How many of this do you do?"', "他问我：「为什么？」", "He asked, “Why not?”"]
    assert not any(map(asks_itself, reported)) and all(map(is_question, reported))
    assert question_share(f"We recommend at least 100. {reported[0]} There's no magic number.") == 0.0
    assert not ends_asking(f"{reported[0]} We say 100.")
    # a question quoted whole, or quoting a phrase inside it, still asks
    asking = ['"How many of this do you do?"', 'Do you think of it as "vibe coding"?', "「为什么？」"]
    assert all(map(asks_itself, asking))


def test_a_particle_asks_where_the_question_mark_would_be() -> None:
    # Japanese asks with か or by asking to be told, Chinese speech-to-text writes 吗 with a full stop
    asking = ["最初の事業は何だったのですか。", "それは問題ではないでしょうか", "起業のきっかけを教えてください。",
              "本当にそうかな。", "你们当时考虑过开源吗。"]  # fmt: skip
    assert all(map(is_question, asking)) and all(map(may_ask, asking))
    # a list that ends "…とか", a request to try something, agreement sought with 不是吗, a plain statement
    stating = ["音楽とか。", "ぜひ使ってみてください。", "这本来就是开源的,不是吗。", "地元の農家とつなぐアプリです。"]
    assert not any(map(is_question, stating))


def test_questions_in_languages_the_tokens_cannot_read_are_told_apart() -> None:
    others = [
        "Wie entscheidet die Designfirma über die Gehälter?",
        "Pourquoi les bateaux ne peuvent-ils pas quitter le port?",
        "¿Qué dijo Altman sobre el código abierto?",
        "Что сказал Альтман о DeepSeek?",
        "アルトマンはDeepSeekについて何と言いましたか",
    ]
    assert all(map(other_language, others))
    ours = ["What did MIT say about der Spiegel?", "远程工作最大的代价是什么？", "xqzv blorptang 7781 wug", "Was it?"]
    assert not any(map(other_language, ours))  # one foreign word is a name; gibberish is no language


def test_questions_of_number_and_passages_that_state_one() -> None:
    asking = [
        "How big is the guest's audience?",
        "奥特曼觉得公司可以拿几个点的佣金?",
        "Until what year does the deal run?",
    ]
    assert all(map(asks_quantity, asking))
    assert not any(map(asks_quantity, ["Why did the company shut down?", "他几乎没怎么睡觉吗?"]))  # 几乎: almost
    assert all(map(states_number, ["she has 11,000 subscribers", "a hundred traces", "成本下降了上千倍", "收取2%"]))
    assert not any(map(states_number, ["GPT-4 and Web3 came up", "no figure at all", "一个想法"]))


def test_a_span_of_time_in_words_states_a_number() -> None:
    """A question of how long is answered by "it took me like a year": a quantity without a digit (until stop
    62 only "one year" or "12 months" counted, and another speaker's "three to four days" took the evidence)."""
    spans = ["And it took me like a year to figure it out.", "a couple of weeks ago", "over several decades",
             "eighty people came", "我做了十多年", "再过几年", "花了半年时间"]  # fmt: skip
    assert all(map(states_number, spans))
    idioms = ["One day his parents gave him a computer.", "Give me a second.", "a day in the life", "很多人", "多半"]
    assert not any(map(states_number, idioms))


def test_a_quote_cut_inside_a_sentence_is_shown_as_an_excerpt() -> None:
    # unpunctuated speech-to-text: the passage starts and stops mid-sentence
    cut = "to fit nicely together and that's when I fell in love with generative art and I started publishing on"
    assert as_excerpt(cut) == f"…{cut}…"
    assert as_excerpt("and that was my covid life, ") == "…and that was my covid life,…"
    # whole sentences, a Chinese line without its final mark, speech broken off with a dash: left as they are
    for whole in (
        "I fell in love immediately.",
        "Is it safe?",
        "没错",
        "我们在黑暗中摸索了很长时间。",
        "So in this case-",
    ):
        assert as_excerpt(whole) == whole
    assert as_excerpt("  ") == "  "


def test_a_title_before_a_name_ends_no_sentence() -> None:
    # "Dr." split "talking with Dr. Jane Goodall" in two: a passage could begin at "Jane Goodall about her work" and
    # a summary quote end at "talking with Dr."
    assert split_sentences("I met Dr. Jane Goodall. Mrs. Lee agreed. It costs 3.5 dollars. Ask Drew. Fine.") == [
        "I met Dr. Jane Goodall.",
        "Mrs. Lee agreed.",
        "It costs 3.5 dollars.",
        "Ask Drew.",
        "Fine.",
    ]


def test_a_mark_a_comma_follows_ends_no_sentence() -> None:
    # A summary's point read ", so I could build a bit of savings, but…": the sentence had been cut after "Yahoo!".
    # A quoted question goes on too, and no sentence begins with a comma.
    said = 'I left Yahoo!, so I saved. They ask "Did you go to school?", and it\'s no. Was it hard? Yes! 好吗？好。'
    assert split_sentences(said) == [
        "I left Yahoo!, so I saved.",
        'They ask "Did you go to school?", and it\'s no.',
        "Was it hard?",
        "Yes!",
        "好吗？",
        "好。",
    ]
    assert split_sentences('She said "no!": it was over… , and so on.') == ['She said "no!": it was over… , and so on.']


def test_a_stop_a_lower_case_word_follows_ends_no_sentence() -> None:
    # Speech trailing off and going on was cut in two, and the second half read as a sentence of its own: a quote
    # or summary point began "maybe ten years in the police." (1 417 of 2 368 surveyed files held such a cut).
    said = "I did research after about... maybe ten years. I moved from the U.S. to Australia, e.g. for family. Fine."
    assert split_sentences(said) == [
        "I did research after about... maybe ten years.",
        "I moved from the U.S. to Australia, e.g. for family.",
        "Fine.",
    ]
    assert split_sentences("It was… well, odd. iOS is not. Right.") == ["It was… well, odd.", "iOS is not.", "Right."]
    # captions that write no capitals keep every stop
    assert split_sentences("yeah. so we started. it was fun.") == ["yeah.", "so we started.", "it was fun."]


def test_words_trailing_off_go_on_past_a_dash_but_a_list_s_next_item_starts_one() -> None:
    # A summary's point began "- we learned from that." and another "- and I can probably say this now": a dash
    # after words trailing off or an abbreviation goes on (10 sentences in 131 130 surveyed passages)...
    said = 'They said "Well..." - and I can say this now. We compared caches etc. - we learned from that. Fine.'
    assert split_sentences(said) == [
        'They said "Well..." - and I can say this now.',
        "We compared caches etc. - we learned from that.",
        "Fine.",
    ]
    said = "I brought him over. -- so he sat at my desk."
    assert split_sentences(said) == [said]
    # ...but a hyphen after a plain full stop, in notes, is a list's next item
    notes = "This code is mostly completed. - middle: TxGraph knows fees. - bottom: the mempool."
    assert split_sentences(notes) == [
        "This code is mostly completed.",
        "- middle: TxGraph knows fees.",
        "- bottom: the mempool.",
    ]
