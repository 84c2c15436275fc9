"""The blind corpus read and graded: one :class:`Outcome` per answer (not a test module).

Shared by ``test_blind_corpus.py`` (the assertions) and ``report.py`` (the evidence table). An
answer is graded with :func:`harness.score_answer`: the lesson's solution with the answer's
definitions run over it, every grade cell of the lesson run. Its outcome says how many points its
own exercise lost, which other exercises lost points, and whether the messages of its own
exercise name the manifest's family (through :data:`FAMILIES_OF`, the grader's keys read in the
corpus's vocabulary), name another family (a wrong name), or locate the difference.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # the repository: autograder, as under pytest

import harness  # noqa: E402

PARTS = ("tuning", "held_out", "held_out_2", "held_out_3", "held_out_4")

#: What each key the grader can name (``CheckFailed.mistake``) means in the corpus's family
#: vocabulary (FAMILIES.md). A key names the family of an answer when the answer's manifest
#: family is in the key's set. Derived from the keys' meanings (autograder/mistakes.py), not from
#: individual answers. ``seed_slip`` is a family of origin: a key that describes what the slip
#: does names it (SEED_ITEMS.md: S2 dz/db written as x, S3 dJdz = y - a, S4 [db, dw] for [w, b],
#: S1/S5 the wrong layer's quantity, the summed loss).
FAMILIES_OF = {
    "opposite_sign": {"opposite_sign", "seed_slip"},
    "swapped_outputs": {"wrong_return_order", "swapped_gradients", "seed_slip"},
    "reduced_mean": {"mean_not_sum"},
    "wrong_shape": {"wrong_return_type"},
    "gradient_ascent": {"opposite_sign"},
    "transpose": {"transpose"},
    "missing_transpose": {"transpose"},
    "reshape_for_transpose": {"reshape_for_transpose", "transpose"},
    "sum_not_mean": {"sum_not_mean", "seed_slip"},
    "mean_not_sum": {"mean_not_sum"},
    "sigma_prime_at_a": {"sigma_prime_at_a"},
    "sigma_for_sigma_prime": {"sigma_for_sigma_prime"},
    "h_prime_wrong_layer": {"wrong_layer", "seed_slip"},
    "wrong_layer_activation": {"wrong_layer", "seed_slip"},
    "wrong_layer": {"wrong_layer", "seed_slip"},
    "wrong_weights": {"wrong_layer", "seed_slip"},
    "inputs_for_activations": {"wrong_layer"},
    "logit_for_activation": {"wrong_layer", "missing_chain_factor", "other"},
    "missing_chain_factor": {"missing_chain_factor"},
    "forgotten_chain_factor": {"missing_chain_factor"},
    "forgotten_h_prime": {"missing_chain_factor"},
    "extra_sigma_prime": {"other", "seed_slip"},
    "dz_db_not_one": {"other", "missing_chain_factor", "seed_slip"},
    "single_path": {"missing_chain_factor", "other"},
    "mean_over_paths": {"mean_not_sum", "other"},
    "update_before_use": {"update_before_use"},
    "sequential_update": {"update_before_use"},
    "swapped_gradients": {"swapped_gradients"},
    "iteration_count": {"iteration_count"},
    "path_off_by_one": {"iteration_count"},
    "costs_off_by_one": {"iteration_count"},
    "per_example_steps": {"per_example_steps"},
    "batch_vs_example": {"per_example_steps"},
    "full_batch": {"per_example_steps"},
    "one_step_per_epoch": {"per_example_steps"},
    "ignores_argument": {"ignores_argument"},
    "mutates_input": {"mutates_input"},
    "unstable_numerics": {"unstable_numerics"},
    "clipped_log": {"unstable_numerics", "other"},
    "boundary_condition": {"boundary_condition"},
    "threshold_on_logit": {"boundary_condition", "other"},
    "wrong_return_type": {"wrong_return_type"},
    "final_value_only": {"wrong_return_type", "iteration_count"},
    "probabilities_not_labels": {"other", "wrong_return_type"},
    "diagonal_as_vector": {"wrong_return_type"},
    "wrong_return_order": {"wrong_return_order"},
    "wrong_output": {"wrong_return_order", "other"},
    "missing_bias": {"missing_bias"},
    "forgotten_bias": {"missing_bias"},
    "bias_not_updated": {"missing_bias", "wrong_learning_rate_use", "other"},
    "wrong_learning_rate_use": {"wrong_learning_rate_use"},
    "seed_slip": {"seed_slip"},
    "planted_bugs": {"other"},
    "no_update": {"other"},
    "stale_slope": {"other"},
    "product_of_means": {"other"},
    "forgotten_batch_sum": {"other", "iteration_count"},
    "forgotten_activation": {"other", "missing_chain_factor"},
    "activated_output": {"other", "sigma_for_sigma_prime"},
    "with_replacement": {"other"},
    "other_draw": {"other", "ignores_argument"},
    "unpaired_sample": {"other"},
    "same_x_every_example": {"other"},
    "no_shuffle": {"other", "ignores_argument"},
    "dropped_last_batch": {"boundary_condition", "iteration_count", "other"},
}


@dataclass(frozen=True)
class Answer:
    part: str
    lesson: str
    function: str
    file: str
    correct: bool
    family: str | None
    description: str

    @property
    def path(self) -> Path:
        return HERE / self.part / self.lesson / self.file

    @property
    def id(self) -> str:
        return f"{self.part}/{self.lesson}/{self.file}"

    @property
    def exercise_id(self) -> str:
        return f"{self.lesson}.{self.function}"


@dataclass
class Outcome:
    answer: Answer
    own_lost: float = 0.0
    own_max: float = 0.0
    elsewhere: dict = field(default_factory=dict)  # exercise id -> points lost
    named: list = field(default_factory=list)  # grader keys named in the own exercise
    located: bool = False
    messages: list = field(default_factory=list)  # (grade_id, message) of own failing cells

    @property
    def caught(self) -> bool:
        return self.own_lost > 0

    @property
    def right_names(self) -> list:
        fam = self.answer.family
        return [k for k in self.named if fam in FAMILIES_OF.get(k, {k})]

    @property
    def wrong_names(self) -> list:
        fam = self.answer.family
        return [k for k in self.named if fam not in FAMILIES_OF.get(k, {k})]

    @property
    def named_or_located(self) -> bool:
        """A right name, or (no name at all) a locating message."""
        if self.wrong_names:
            return False
        return bool(self.right_names) or self.located

    @property
    def lost_elsewhere(self) -> float:
        return float(sum(self.elsewhere.values()))


def answers(part=None, lesson=None):
    """Every answer of the corpus (of one part / lesson), from the manifests."""
    found = []
    for p in PARTS if part is None else (part,):
        for manifest in sorted((HERE / p).glob("*/manifest.json")):
            if lesson is not None and manifest.parent.name != lesson:
                continue
            for record in json.loads(manifest.read_text()):
                found.append(Answer(p, manifest.parent.name, record["function"],
                                    record["file"], bool(record["correct"]),
                                    record["family"], record.get("description", "")))
    return found


def grade(answer: Answer) -> Outcome:
    """Score ``answer`` over its lesson's solution and sort the points lost by exercise."""
    scores = harness.score_answer(answer.lesson, answer.path.read_text())
    outcome = Outcome(answer)
    for score in scores:
        lost = score.max_points - score.points
        if score.exercise_id == answer.exercise_id:
            outcome.own_max += score.max_points
            outcome.own_lost += lost
            if lost:
                outcome.messages.append((score.grade_id, score.message))
                if score.mistake is not None and score.mistake not in outcome.named:
                    outcome.named.append(score.mistake)
                outcome.located = outcome.located or score.located
        elif lost:
            outcome.elsewhere[score.exercise_id] = outcome.elsewhere.get(score.exercise_id,
                                                                         0.0) + lost
    return outcome
