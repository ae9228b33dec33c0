"""The concept grader: fair to paraphrase and typos, unmoved by near-misses and keyword lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim.core.bank import Concept, FollowUp, Misconception, Question, load_bank
from interview_sim.core.grading import (
    MAX_ANSWER_CHARS,
    REQUIRED_MISSING_CAP,
    Grader,
    analyse,
)
from interview_sim.core.text import stem, tokenize
from interview_sim.locations import bundled_banks_dir

FIXTURES = Path(__file__).parent / "fixtures"


def concept(
    name: str, *aliases: str, weight: float = 1, required: bool = False, bonus: bool = False
) -> Concept:
    return Concept(name, aliases or (name,), weight, required, bonus)


def question(*concepts: Concept, misconceptions: tuple[Misconception, ...] = ()) -> Question:
    return Question(
        id="t-q",
        topic="t",
        difficulty="easy",
        prompt="?",
        concepts=concepts,
        follow_ups=(),
        model_answer="-",
        misconceptions=misconceptions,
    )


# Near-miss vocabulary: every term of a confusable pair is a term some bank uses.
PAIRS = question(
    concept("top-k", "top-k", "top k sampling"),
    concept("top-p", "top-p", "nucleus"),
    concept("encoder", "encoder"),
    concept("decoder", "decoder"),
    concept("lora", "LoRA"),
    concept("qlora", "QLoRA"),
    concept("pretraining", "pretraining"),
    concept("fine-tuning", "fine-tuning"),
)
GRADER = Grader([PAIRS])


def matched(item: Question | FollowUp, answer: str, grader: Grader = GRADER) -> set[str]:
    return {c.name for c in grader.grade(item, answer).concepts if c.matched}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("we use top-p here", {"top-p"}),
        ("we use top-k here", {"top-k"}),
        ("an encoder only model", {"encoder"}),
        ("a decoder only model", {"decoder"}),
        ("QLoRA quantizes the base", {"qlora"}),
        ("LoRA adds adapters", {"lora"}),
        ("pre-training at scale", {"pretraining"}),
        ("finetuning on tasks", {"fine-tuning"}),
        ("fine tuning on tasks", {"fine-tuning"}),
    ],
    ids=[
        "top-p",
        "top-k",
        "encoder",
        "decoder",
        "qlora",
        "lora",
        "pre-training",
        "finetuning",
        "fine-tuning-spaced",
    ],
)
def test_near_misses_never_count_as_the_other_term(answer: str, expected: set[str]) -> None:
    assert matched(PAIRS, answer) == expected


def test_typos_inflections_and_spelling_variants_still_match() -> None:
    q = question(
        concept("attention", "self-attention mechanism"),
        concept("tokenisation", "tokenization"),
        concept("embeddings", "embedding vectors"),
        concept("normalisation", "layer normalization"),
    )
    grader = Grader([q])
    answer = (
        "the self atention mechanisms use tokenisation, embeding vector and layer normalisation"
    )
    assert matched(q, answer, grader) == {
        "attention",
        "tokenisation",
        "embeddings",
        "normalisation",
    }


def test_word_order_within_a_phrase_is_tolerated() -> None:
    q = question(concept("memory reduction", "reduces memory"))
    assert matched(q, "the memory it reduces is large", Grader([q])) == {"memory reduction"}


@pytest.mark.parametrize(
    "raw",
    [
        "the\u00a0kv\u00a0cache",  # non-breaking spaces
        "the kv\u200b cache",  # zero-width space
        "THE KV CACHE",
        "the \uff2b\uff36 cache",  # fullwidth letters (NFKC)
        "the kv-cache",
    ],
    ids=["nbsp", "zero-width", "upper", "fullwidth", "hyphen"],
)
def test_normalisation_finds_the_phrase_and_offsets_point_at_it(raw: str) -> None:
    q = question(concept("kv cache", "kv cache"))
    result = Grader([q]).grade(q, raw)
    hit = result.concepts[0]
    assert hit.matched
    assert raw[hit.start : hit.end].lower().replace("\u00a0", " ").endswith("cache")


@pytest.mark.parametrize(
    ("typed", "alias"),
    [
        ("raising Adam's \u03b2\u2082 to 0.9999", "beta2 to 0.9999"),  # subscript two
        ("a scale of \u03b1 over r", "alpha over r"),
        ("divide the logits by \u03c4", "divide by tau"),
        ("a \u0394 that depends on the input", "delta depends on the input"),  # capital delta
        ("about 4\u00d7 less memory", "4x less memory"),
        ("memory is 2\u00d7layers\u00d7heads", "2 x layers"),  # a formula: x between terms
        ("a table of V\u00d7d", "v x d"),
    ],
)
def test_greek_letters_and_the_times_sign_match_their_spelled_names(typed: str, alias: str) -> None:
    q = question(concept("spelled", alias))
    hit = Grader([q]).grade(q, typed).concepts[0]
    assert hit.matched, typed
    assert hit.start is not None and hit.end is not None
    assert typed[hit.start : hit.end].strip()  # the highlight lands on the typed characters


@pytest.mark.parametrize(
    ("alias", "right", "wrong"),
    [
        (
            "same slope for every head",
            "every head gets a slope of its own",
            "the same slope for every head",
        ),
        ("prefers other models", "the judge prefers its own models", "it prefers other models"),
        ("both losses go up", "the validation loss starts to go up", "both losses go up"),
    ],
)
def test_words_of_identity_and_quantity_are_part_of_what_a_misconception_says(
    alias: str, right: str, wrong: str
) -> None:
    m = Misconception("a wrong claim", (alias,), "-")
    q = question(concept("something", "something"), misconceptions=(m,))
    grader = Grader([q])
    assert grader.grade(q, right).misconceptions == ()
    assert [x.statement for x in grader.grade(q, wrong).misconceptions] == [m.statement]


def test_a_word_found_twice_near_the_phrase_is_taken_where_the_phrase_fits() -> None:
    # "bins" stands three words before and three after "maximum": the one after completes it.
    q = question(concept("ece", "maximum gap across bins"))
    hit = Grader([q]).grade(q, "ECE bins predictions and reports the maximum gap across bins")
    assert hit.concepts[0].matched
    assert hit.concepts[0].start == len("ECE bins predictions and reports the ")


def test_of_two_places_a_phrase_fits_the_one_in_its_order_wins() -> None:
    q = question(concept("colours", "red green blue"))
    answer = "Cold hot green blue tone red car green blue."
    hit = Grader([q]).grade(q, answer).concepts[0]
    assert hit.start is not None and hit.end is not None
    assert answer[hit.start : hit.end] == "red car green blue"


def test_smart_quotes_and_possessives() -> None:
    tokens = tokenize("the model\u2019s \u201cattention\u201d")
    assert [t.stem for t in tokens] == ["the", "model", "attention"]
    assert stem("probabilities") == stem("probability")
    assert stem("quantized") == stem("quantizing") == stem("quantize")


def test_plural_acronyms_lose_their_s_but_latin_words_keep_it() -> None:
    assert stem("gpus") == stem("gpu") and stem("tpus") == stem("tpu")
    assert stem("corpus") != stem("corpu") and stem("bias") == "bias"


def test_misconceptions_are_flagged_unless_negated() -> None:
    m = Misconception(
        "MQA shares key-query pairs", ("shares key query pairs",), "It shares keys and values."
    )
    q = question(concept("shared kv", "shared keys and values", required=True), misconceptions=(m,))
    grader = Grader([q])
    wrong = grader.grade(q, "all heads shares key query pairs and shared keys and values")
    right = grader.grade(q, "it shared keys and values; it never shares key query pairs")
    assert [x.statement for x in wrong.misconceptions] == [m.statement]
    assert right.misconceptions == ()
    assert wrong.score < right.score


@pytest.mark.parametrize("negator", ["didn't", "hasn't", "haven't", "couldn't"])
def test_past_and_perfect_negations_deny_a_misconception(negator: str) -> None:
    m = Misconception("OpenAI published GPT-4's size", ("published its size",), "It did not.")
    q = question(concept("sizes", "parameter count"), misconceptions=(m,))
    grader = Grader([q])
    assert grader.grade(q, "OpenAI published its size in the report").misconceptions
    assert not grader.grade(q, f"OpenAI {negator} published its size").misconceptions


def test_a_verdict_after_a_claim_looks_only_after_it() -> None:
    # "right" after the claim is no verdict; a "never" that ends the text is not before it
    m = Misconception("Dropout causes overfitting", ("overfitting",), "It reduces it.")
    q = question(concept("noise", "random zeroing"), misconceptions=(m,))
    grader = Grader([q])
    assert grader.grade(q, "Overfitting, right, is what you get here. Never.").misconceptions
    assert not grader.grade(q, "Overfitting, that is not true here.").misconceptions


def test_instead_disowns_what_it_replaces_and_states_what_it_introduces() -> None:
    m = Misconception(
        "ALiBi multiplies the attention scores", ("multiplies the scores",), "It adds a bias."
    )
    q = question(concept("bias", "linear bias"), misconceptions=(m,))
    grader = Grader([q])
    assert not grader.grade(q, "it adds a bias instead of multiplies the scores").misconceptions
    assert grader.grade(q, "it drops embeddings and instead multiplies the scores").misconceptions


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("It is not true that in multi-query attention all heads shares key query pairs.", False),
        ("A common misconception is that the heads shares key query pairs.", False),
        ("It is wrong to say that MQA therefore shares key query pairs across heads.", False),
        ("Contrary to the claim that the heads shares key query pairs, they share K and V.", False),
        ("Contrary to what many think, MQA shares key query pairs.", True),
        ("A common misconception, but in fact the heads shares key query pairs.", True),
        ("It is not true that it is slow. MQA shares key query pairs.", True),
        ("A common mistake is to think the heads shares key query pairs.", False),
        ("A classic pitfall is assuming all heads shares key query pairs.", False),
        ("Pitfall: thinking the heads shares key query pairs.", False),
        ("The mistake was elsewhere; MQA shares key query pairs.", True),
        ("A common misunderstanding is that the heads shares key query pairs.", False),
        ("Some people think the heads shares key query pairs; they share K and V.", False),
        ("I think the heads shares key query pairs.", True),
        ("People often say the heads shares key query pairs; they share K and V.", False),
        ("'MQA shares key query pairs' is false: it shares K and V.", False),
        ("That the heads shares key query pairs is not true.", False),
        ("MQA shares key query pairs, but not false ones.", True),
        ("MQA shares key query pairs. A false start, that sentence.", True),
        ("MQA shares key query pairs, which is a myth.", False),
        ("MQA shares key query pairs, which gives wrong attention patterns.", True),
        ("- MQA shares key query pairs\n- wrong heads get pruned", True),
        ("Some caches read the keys, and MQA shares key query pairs across heads.", True),
    ],
    ids=[
        "not-true",
        "misconception-is",
        "wrong-to-say",
        "contrary-to-the-claim",
        "contrary-then-asserted",
        "but-in-fact",
        "next-sentence",
        "mistake-is",
        "pitfall-is",
        "pitfall-colon",
        "mistake-ends-before-the-claim",
        "misunderstanding",
        "some-people-think",
        "i-think",
        "people-say",
        "is-false-after",
        "not-true-after",
        "contrast-then-false",
        "false-in-the-next-sentence",
        "is-a-myth-after",
        "wrong-describes-no-verdict",
        "wrong-on-the-next-line",
        "some-things-read-is-no-report",
    ],
)
def test_a_misconception_framed_as_rejected_is_not_flagged(answer: str, flagged: bool) -> None:
    # A person who names a wrong claim to reject it ("it is not true that ...") is not making
    # it, however far into the sentence the claim's words come; a contrast or a new sentence
    # ends the frame.
    m = Misconception(
        "MQA shares key-query pairs", ("shares key query pairs",), "It shares keys and values."
    )
    q = question(concept("shared kv", "shared keys and values"), misconceptions=(m,))
    result = Grader([q]).grade(q, answer)
    assert bool(result.misconceptions) is flagged


def test_required_concepts_cap_the_score_and_bonus_only_adds() -> None:
    q = question(
        concept("core", "core idea", required=True, weight=1),
        concept("detail a", "detail alpha", weight=3),
        concept("depth", "deep insight", bonus=True),
    )
    grader = Grader([q])
    without_core = grader.grade(q, "the detail alpha is explained here, with a deep insight")
    assert without_core.score <= REQUIRED_MISSING_CAP
    full = grader.grade(q, "the core idea and the detail alpha, explained")
    with_bonus = grader.grade(q, "the core idea and the detail alpha, plus a deep insight")
    assert full.score == 100 and with_bonus.score == 100
    partial = grader.grade(q, "only the core idea is explained here")
    partial_bonus = grader.grade(q, "only the core idea is explained here, with a deep insight")
    assert partial_bonus.score > partial.score


def test_empty_and_whitespace_answers_score_zero() -> None:
    for answer in ("", "   \n\t  "):
        result = GRADER.grade(PAIRS, answer)
        assert result.score == 0 and not result.hit


def test_huge_answer_is_graded_on_a_capped_window_and_says_so() -> None:
    answer = ("padding words about nothing in particular " * 6000) + " the encoder"
    assert len(answer) > 200_000
    result = GRADER.grade(PAIRS, answer)
    assert result.truncated
    assert any("only the first part was graded" in n for n in result.notes)
    assert not result.concepts[2].matched  # the term beyond the cap is not seen
    early = GRADER.grade(PAIRS, "the encoder " + answer)
    assert early.concepts[2].matched and len(answer) > MAX_ANSWER_CHARS


def test_follow_ups_are_graded_against_their_own_concepts() -> None:
    fu = FollowUp("why", "t-q", "why?", ("top-k",), (concept("renorm", "renormalise"),), "-")
    grader = Grader([PAIRS])
    assert matched(fu, "you renormalise the kept probabilities", grader) == {"renorm"}


# --------------------------------------------------------------------------- real banks


@pytest.fixture(scope="module")
def bundled():
    bank = load_bank([bundled_banks_dir()])
    return bank, Grader(bank.questions())


def test_keyword_list_scores_clearly_below_an_explanation(bundled) -> None:
    bank, grader = bundled
    q = bank.question("dec-greedy-vs-beam")
    terms = [c.aliases[0] for c in q.concepts if not c.bonus]
    keyword_list = ", ".join(terms)
    explanation = grader.grade(q, q.model_answer)
    listed = grader.grade(q, keyword_list)
    bulleted = grader.grade(q, "\n".join(f"- {t}" for t in terms))
    assert listed.keyword_list and bulleted.keyword_list
    assert explanation.score >= 80
    assert listed.score <= explanation.score - 30
    assert bulleted.score <= explanation.score - 30
    # Every concept named, none explained: well below the pass line, not just under it.
    assert listed.score <= 30 and bulleted.score <= 30
    assert any("list of keywords" in n for n in listed.notes)


@pytest.mark.parametrize(
    "answer",
    [
        "keys and values, per layer, per head, past tokens, avoid recomputation, grows with"
        " context, GQA",
        "direct and indirect injection\ninstructions and data mixed\nhuman in the loop\n"
        "least privilege\noutput filtering",
        # short phrases heavy with function words: three or more, none over four words
        "cost per query, lost in the middle, prompt caching",
        "with and without, are you sure, flip rate",
        "cost per query • lost in the middle • prompt caching",
    ],
    ids=["commas", "lines", "phrases", "phrases-of-function-words", "bullets-on-one-line"],
)
def test_a_list_of_terms_with_function_words_inside_still_reads_as_a_list(answer: str) -> None:
    assert analyse(answer).keyword_list


@pytest.mark.parametrize(
    "answer",
    ["cross entropy 2 nats: perplexity e^2 ≈ 7.39", "0.95^20 ≈ 0.36 success rate"],
)
def test_a_short_worked_number_is_an_answer_not_a_keyword_list(answer: str) -> None:
    # A follow-up answered with its working has no function words, and is not a list of terms.
    assert not analyse(answer).keyword_list


def test_a_list_of_terms_citing_papers_still_reads_as_a_list() -> None:
    # "et al. 2020" ends an abbreviation, not a sentence: the list is still a list of terms,
    # while prose that cites a paper is still prose.
    listed = "pre-LN, residual stream, gradient norm at init, warmup, Xiong et al. 2020, RMSNorm"
    assert analyse(listed).keyword_list
    prose = (
        "Xiong et al. 2020 showed that post-LN needs warmup. Pre-LN keeps an identity path, "
        "so gradients stay stable, e.g. in deep models."
    )
    assert not analyse(prose).keyword_list


@pytest.mark.parametrize(
    "answer",
    [
        "Top-k keeps the k most likely tokens, renormalises, and samples from them.",
        "The cache stores keys and values. It grows with context, per layer and per head.",
        "- queries, keys and values are projections of the input\n"
        "- the scores are a softmax of scaled dot products\n"
        "- the output is a weighted sum of the values",
        # Terse notes that relate their terms (arrows, "=", "term: ...") on most lines.
        "causes\n- lr too high -> huge Adam steps\n- fp16 overflow, bad batches\n"
        "fixes: skip batches, lower lr, restart from a checkpoint",
        "SVD:\n- A = U S V^T, any m x n matrix\n- singular values >= 0\n- rank = nonzero sigmas",
        "It is lost in the middle of the prompt, so put it first, or last.",
        "Sampling is greedy, at every step, so no variety.",
        "Yes, it is greedy, with no randomness.",
    ],
    ids=[
        "one-sentence",
        "two-sentences",
        "bullets-with-verbs",
        "notes-arrows",
        "notes-equals",
        "short-clauses-with-a-subject",
        "short-clauses-with-a-verb",
        "yes-then-short-clauses",
    ],
)
def test_an_explanation_with_commas_or_bullets_is_not_a_keyword_list(answer: str) -> None:
    assert not analyse(answer).keyword_list


def seed_answers() -> dict[str, dict[str, str]]:
    return json.loads((FIXTURES / "seed_answers.json").read_text(encoding="utf-8"))


def both_document_cases() -> list[tuple[str, str]]:
    bank = load_bank([bundled_banks_dir()])
    cases = []
    for q in bank.questions():
        docs = {ref.split()[0] for ref in q.seed_refs}
        if docs == {"000", "003"}:
            cases.extend((q.id, ref) for ref in q.seed_refs)
    return cases


@pytest.mark.parametrize(
    ("question_id", "ref"), both_document_cases(), ids=lambda x: str(x).replace(" ", "")
)
def test_seed_answers_pass_and_pick_their_own_question(bundled, question_id: str, ref: str) -> None:
    """Each document's answer to a question both documents ask must pass on the merged
    question and score higher there than on any other question in the banks, unless it states
    an error the question's note corrects: then that misconception is flagged and it fails."""
    bank, grader = bundled
    answer = analyse(seed_answers()[ref]["answer"])
    question = bank.question(question_id)
    result = grader.grade(question, answer)
    if result.misconceptions:
        assert question.note, f"{ref}: {result.misconceptions[0].statement} flagged"
        assert not result.passed
        return
    own = result.score
    best_other, other_id = max(
        (grader.grade(q, answer).score, q.id) for q in bank.questions() if q.id != question_id
    )
    assert own >= 60, f"{ref} scores {own} on {question_id}"
    assert own > best_other, f"{ref}: {own} on {question_id} but {best_other} on {other_id}"


def test_there_are_merged_questions_to_check() -> None:
    assert len(both_document_cases()) >= 30


def test_an_alias_is_not_pieced_together_across_a_sentence_end() -> None:
    q = Question(
        "t-frozen",
        "t",
        "easy",
        "Which weights does LoRA train?",
        (Concept("base frozen", ("frozen weights",), 1, False, False),),
        (),
        "-",
    )
    grader = Grader([q])
    assert grader.grade(q, "The base model's weights stay frozen.").score == 100
    assert grader.grade(q, "LoRA updates all weights. Frozen? Never.").score == 0
    assert grader.grade(q, "It trains all the weights\nfrozen layers: none").score == 0


def test_a_complete_answer_that_states_a_wrong_claim_scores_as_a_wrong_answer(bundled) -> None:
    # Calibration (issue 12): a confidently wrong answer scores 25 or less, however much else
    # of the model answer it recites.
    bank, grader = bundled
    q = bank.question("dec-greedy-vs-beam")
    right = grader.grade(q, q.model_answer)
    wrong = grader.grade(
        q, q.model_answer + " Beam search is also what you use for creative writing and stories."
    )
    assert right.score >= 80
    assert [m.statement for m in wrong.misconceptions] == [q.misconceptions[0].statement]
    assert wrong.score <= 25


def test_a_wrong_claim_in_a_fuller_answer_scores_above_one_in_a_thinner_answer() -> None:
    # Flagged answers used to tie at the cap, so a correct answer flagged by mistake ranked with
    # a confidently wrong one; the score now scales to the cap by how much of the answer is right.
    q = question(
        concept("experts", "expert networks"),
        concept("router", "router"),
        concept("sparse", "only a few experts"),
        concept("capacity", "more parameters"),
        misconceptions=(Misconception("MoE saves memory", ("saves memory",), "-"),),
    )
    grader = Grader([q])
    wrong_claim = " It saves memory."
    complete = (
        "The layer holds many expert networks, and a router sends each token to only a few"
        " experts, so the model gets more parameters for the same compute per token."
    )
    half = "The layer holds many expert networks, and a router decides where each token goes."
    assert grader.grade(q, complete).score == 100
    assert grader.grade(q, complete + wrong_claim).score == 25
    assert grader.grade(q, half + wrong_claim).score == 12
